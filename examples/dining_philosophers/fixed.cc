// examples/dining_philosophers/fixed.cc: everyone takes the lower-numbered fork first
// (a global lock order). The harness reports nothing.
#include "examples/dining_philosophers/dining_philosophers.h"
#include "gtest/gtest.h"

namespace dining_philosophers {
namespace {

TEST(DiningPhilosophersFixed, EveryoneTakesTheLowerNumberedForkFirst) {
  EXPECT_EQ(Dine(Fix::kLowerFirst, /*rounds=*/20), 3 * 20);
}

}  // namespace
}  // namespace dining_philosophers
