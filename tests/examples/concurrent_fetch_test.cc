// The exact finding of //examples/concurrent_fetch:buggy: a data race on 'names' between
// two fetchers' appends (which two depends on the run: any two of the three).
#include "examples/concurrent_fetch/concurrent_fetch.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/gtest/expect.h"
#include "tests/examples/example_sites.h"

namespace harness::examples_test {
namespace {

using ::testing::AllOf;
using ::testing::AnyOf;
using ::testing::Eq;

TEST(ConcurrentFetchExample, BuggyRacesOnTheResultList) {
  const std::string append = SiteOf("examples/concurrent_fetch/concurrent_fetch.h", "append");
  auto fetcher = AnyOf(Eq("fetcher-1"), Eq("fetcher-4"), Eq("fetcher-6"));
  ScopedFindingExpectation append_against_append(
      AllOf(IsDataRace(), HasSiteTimes(append, 2), ObjectsAre("names", "names"),
            ThreadsMatch(fetcher, fetcher)));
  concurrent_fetch::FetchAllUnlocked({1, 4, 6});
}

}  // namespace
}  // namespace harness::examples_test
