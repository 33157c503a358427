// The exact finding of //examples/transfers:buggy: one lock-order cycle
// alice => bob => alice, the edge alice => bob by "alice-to-bob" and bob => alice by
// "bob-to-alice", each taken at "lock-from" then "lock-to".
#include "examples/transfers/transfers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/gtest/expect.h"
#include "tests/examples/example_sites.h"

namespace harness::examples_test {
namespace {

using ::testing::AllOf;

const char kHeader[] = "examples/transfers/transfers.h";

TEST(TransfersExample, BuggyHasAnAbbaCycle) {
  ScopedFindingExpectation cycle(
      AllOf(IsLockOrderCycle(), HasSiteTimes(SiteOf(kHeader, "lock-from"), 2),
            HasSiteTimes(SiteOf(kHeader, "lock-to"), 2), ObjectsAre("alice", "bob"),
            ThreadsAre("alice-to-bob", "bob-to-alice")));
  transfers::OppositeTransfers();
}

}  // namespace
}  // namespace harness::examples_test
