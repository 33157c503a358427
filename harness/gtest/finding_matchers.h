// harness/gtest/finding_matchers.h: findings as tests see them (kind, sites, objects,
// threads by name), and GoogleTest matchers over that view, for tests of code that is
// meant to be buggy:
//
//   harness::ScopedFindingExpectation expect(testing::AllOf(
//       harness::IsDataRace(), harness::HasSite("account.h:16"),
//       harness::InvolvesObject("balance")));
#ifndef HARNESS_GTEST_FINDING_MATCHERS_H_
#define HARNESS_GTEST_FINDING_MATCHERS_H_

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "harness/report/finding.h"
#include "harness/trace/trace.h"

namespace harness {

struct FindingSummary {
  FindingKind kind = FindingKind::kDataRace;
  std::optional<MisuseKind> misuse;  // for kMisuse
  // "account.h:16" for every frame of every site of the finding (the call site and,
  // when recorded, its symbolized stack), in report order.
  std::vector<std::string> sites;
  std::vector<std::string> objects;  // names of the objects involved (empty if unnamed)
  std::vector<std::string> threads;  // names of the threads involved
};

// Summarize(): the view of `finding` (made from `trace`) that the matchers below see.
FindingSummary Summarize(const Trace& trace, const Finding& finding);

void PrintTo(const FindingSummary& summary, std::ostream* out);

// IsDataRace() / IsLockOrderCycle() / IsDeadlock() / IsMisuse(kind): the finding's kind.
inline ::testing::Matcher<const FindingSummary&> IsOfKind(FindingKind kind) {
  return ::testing::Field("kind", &FindingSummary::kind, kind);
}
inline ::testing::Matcher<const FindingSummary&> IsDataRace() {
  return IsOfKind(FindingKind::kDataRace);
}
inline ::testing::Matcher<const FindingSummary&> IsLockOrderCycle() {
  return IsOfKind(FindingKind::kLockOrderCycle);
}
inline ::testing::Matcher<const FindingSummary&> IsDeadlock() {
  return IsOfKind(FindingKind::kDeadlock);
}
inline ::testing::Matcher<const FindingSummary&> IsMisuse(MisuseKind kind) {
  return ::testing::AllOf(IsOfKind(FindingKind::kMisuse),
                          ::testing::Field("misuse", &FindingSummary::misuse, kind));
}

// HasSite("account.h:16"): some site of the finding ends with the given text (a file
// suffix and line: "account.h:16", "bank_account/account.h:16").
inline ::testing::Matcher<const FindingSummary&> HasSite(const std::string& file_and_line) {
  return ::testing::Field("sites", &FindingSummary::sites,
                          ::testing::Contains(::testing::EndsWith(file_and_line)));
}
// InvolvesObject("balance") / InvolvesThread("depositor-1"): by name.
inline ::testing::Matcher<const FindingSummary&> InvolvesObject(const std::string& name) {
  return ::testing::Field("objects", &FindingSummary::objects, ::testing::Contains(name));
}
inline ::testing::Matcher<const FindingSummary&> InvolvesThread(const std::string& name) {
  return ::testing::Field("threads", &FindingSummary::threads, ::testing::Contains(name));
}

}  // namespace harness

#endif  // HARNESS_GTEST_FINDING_MATCHERS_H_
