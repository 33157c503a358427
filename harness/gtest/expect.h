// harness/gtest/expect.h: expectations for tests of code that is meant to be buggy.
// A finding an expectation matches does not fail the test; an expectation that no
// finding matches does.
//
//   EXPECT_RACE(account.Deposit(1) in two threads...);
//   {
//     harness::ScopedFindingExpectation expect(testing::AllOf(
//         harness::IsDataRace(), harness::HasSite("account.h:16")));
//     RunDepositors();
//   }
#ifndef HARNESS_GTEST_EXPECT_H_
#define HARNESS_GTEST_EXPECT_H_

#include <source_location>

#include "gmock/gmock.h"
#include "harness/gtest/finding_matchers.h"

namespace harness {

class ScopedFindingExpectation {
 public:
  // ScopedFindingExpectation(matcher)
  // From here to the end of the current test, findings matching `matcher` are expected:
  // they do not fail the test. When this object goes out of scope, the test so far must
  // have at least one such finding, or the test fails at `location` with the findings
  // there were. Requires the harness listener (//harness:gtest_main).
  explicit ScopedFindingExpectation(
      ::testing::Matcher<const FindingSummary&> matcher,
      std::source_location location = std::source_location::current());
  ~ScopedFindingExpectation();

  ScopedFindingExpectation(const ScopedFindingExpectation&) = delete;
  ScopedFindingExpectation& operator=(const ScopedFindingExpectation&) = delete;

 private:
  ::testing::Matcher<const FindingSummary&> matcher_;
  std::source_location location_;
};

// Registers `matcher` as expected for the rest of the current test (used by the
// listener to excuse findings).
void ExpectFindingsForCurrentTest(::testing::Matcher<const FindingSummary&> matcher);
// True when some expectation of the current test matches `summary`.
bool IsExpectedInCurrentTest(const FindingSummary& summary);
// Forgets the current test's expectations (at the start of each test).
void ClearExpectationsForCurrentTest();

}  // namespace harness

// EXPECT_RACE(statement): running `statement` leaves the test with a data race.
#define EXPECT_RACE(statement) \
  HARNESS_EXPECT_FINDING_(::harness::IsDataRace(), statement)
// EXPECT_LOCK_ORDER_CYCLE(statement): ... with a lock-order cycle (potential deadlock).
#define EXPECT_LOCK_ORDER_CYCLE(statement) \
  HARNESS_EXPECT_FINDING_(::harness::IsLockOrderCycle(), statement)
// EXPECT_MISUSE(kind, statement): ... with a misuse of that MisuseKind.
#define EXPECT_MISUSE(kind, statement) HARNESS_EXPECT_FINDING_(::harness::IsMisuse(kind), statement)

#define HARNESS_EXPECT_FINDING_(matcher, statement)                           \
  do {                                                                        \
    ::harness::ScopedFindingExpectation harness_expectation_(matcher);    \
    statement;                                                                \
  } while (false)

#endif  // HARNESS_GTEST_EXPECT_H_
