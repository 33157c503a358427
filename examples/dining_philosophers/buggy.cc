// examples/dining_philosophers/buggy.cc: every philosopher takes the left fork first.
// This test FAILS by design: the harness reports the lock-order cycle
// fork-0 => fork-1 => fork-2 => fork-0 (a potential deadlock), although this run never
// deadlocks. Tagged "manual"; run it with
// `bazel test //examples/dining_philosophers:buggy`.
#include "examples/dining_philosophers/dining_philosophers.h"
#include "gtest/gtest.h"

namespace dining_philosophers {
namespace {

TEST(DiningPhilosophersBuggy, EveryoneTakesTheLeftForkFirst) { EXPECT_EQ(DineLeftFirst(), 3); }

}  // namespace
}  // namespace dining_philosophers
