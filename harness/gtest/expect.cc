// harness/gtest/expect.cc: ScopedFindingExpectation and the current test's expectations.
#include "harness/gtest/expect.h"

#include <mutex>
#include <sstream>
#include <vector>

#include "harness/gtest/listener.h"
#include "harness/runtime/recorder.h"

namespace harness {
namespace {

struct Expectations {
  std::mutex mutex;
  std::vector<::testing::Matcher<const FindingSummary&>> matchers;
};

Expectations& CurrentExpectations() {
  static Expectations* expectations = new Expectations;
  return *expectations;
}

}  // namespace

void ExpectFindingsForCurrentTest(::testing::Matcher<const FindingSummary&> matcher) {
  Expectations& expectations = CurrentExpectations();
  std::lock_guard<std::mutex> hold(expectations.mutex);
  expectations.matchers.push_back(std::move(matcher));
}

bool IsExpectedInCurrentTest(const FindingSummary& summary) {
  Expectations& expectations = CurrentExpectations();
  std::lock_guard<std::mutex> hold(expectations.mutex);
  for (const auto& matcher : expectations.matchers) {
    if (matcher.Matches(summary)) return true;
  }
  return false;
}

void ClearExpectationsForCurrentTest() {
  Expectations& expectations = CurrentExpectations();
  std::lock_guard<std::mutex> hold(expectations.mutex);
  expectations.matchers.clear();
}

ScopedFindingExpectation::ScopedFindingExpectation(
    ::testing::Matcher<const FindingSummary&> matcher, std::source_location location)
    : matcher_(std::move(matcher)), location_(location) {
  ExpectFindingsForCurrentTest(matcher_);
}

ScopedFindingExpectation::~ScopedFindingExpectation() {
  HarnessListener* listener = InstalledHarnessListener();
  if (listener == nullptr) {
    ADD_FAILURE_AT(location_.file_name(), location_.line())
        << "harness: finding expectations need the harness listener: link "
           "//harness:gtest_main or call harness::InstallHarnessListener()";
    return;
  }
  Trace trace;
  Report report = listener->AnalyzeCurrentTest(&trace);
  std::ostringstream seen;
  for (const Finding& finding : report.findings) {
    FindingSummary summary = Summarize(trace, finding);
    if (matcher_.Matches(summary)) return;
    seen << "\n  ";
    PrintTo(summary, &seen);
  }
  std::ostringstream expected;
  matcher_.DescribeTo(&expected);
  ADD_FAILURE_AT(location_.file_name(), location_.line())
      << "harness: expected a finding that " << expected.str() << "\nFindings so far:"
      << (report.findings.empty() ? std::string(" none") : seen.str());
}

}  // namespace harness
