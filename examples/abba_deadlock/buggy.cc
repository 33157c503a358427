// examples/abba_deadlock/buggy.cc: two transfers lock two accounts in opposite orders
// and really deadlock. This test FAILS by design, within a second and never at Bazel's
// timeout: the harness's watchdog reports the deadlock (each thread, the lock it waits
// for, who holds it and where it was taken) and exits with status 66. Tagged "manual";
// run it with `bazel test //examples/abba_deadlock:buggy`.
#include "examples/abba_deadlock/abba_deadlock.h"
#include "gtest/gtest.h"

namespace abba_deadlock {
namespace {

TEST(AbbaDeadlockBuggy, TransfersInOppositeDirectionsDeadlock) {
  EXPECT_EQ(TransferBothWays(), 200);
}

}  // namespace
}  // namespace abba_deadlock
