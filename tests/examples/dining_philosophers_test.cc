// The exact finding of //examples/dining_philosophers:buggy: one lock-order cycle
// fork-0 => fork-1 => fork-2 => fork-0, one edge per philosopher, each taken at
// "take-left" then "take-right".
#include "examples/dining_philosophers/dining_philosophers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/gtest/expect.h"
#include "tests/examples/example_sites.h"

namespace harness::examples_test {
namespace {

using ::testing::AllOf;

const char kHeader[] = "examples/dining_philosophers/dining_philosophers.h";

TEST(DiningPhilosophersExample, BuggyHasALockOrderCycleOverTheThreeForks) {
  ScopedFindingExpectation cycle(
      AllOf(IsLockOrderCycle(), HasSiteTimes(SiteOf(kHeader, "take-left"), 3),
            HasSiteTimes(SiteOf(kHeader, "take-right"), 3),
            ObjectsAre("fork-0", "fork-1", "fork-2"),
            ThreadsAre("philosopher-0", "philosopher-1", "philosopher-2")));
  EXPECT_EQ(dining_philosophers::DineLeftFirst(), 3);
}

}  // namespace
}  // namespace harness::examples_test
