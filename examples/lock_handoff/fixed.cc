// examples/lock_handoff/fixed.cc: the worker signals through a semaphore. The harness
// reports nothing.
#include "examples/lock_handoff/lock_handoff.h"
#include "gtest/gtest.h"

namespace lock_handoff {
namespace {

TEST(LockHandoffFixed, WorkerReleasesASemaphore) { EXPECT_EQ(SemaphoreAsSignal(), 42); }

}  // namespace
}  // namespace lock_handoff
