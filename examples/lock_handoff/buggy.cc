// examples/lock_handoff/buggy.cc: a worker unlocks the mutex its coordinator locked.
// This test FAILS by design: the harness reports "unlock of a mutex held by another
// thread" with both sites. Tagged "manual": run it with
// `bazel test //examples/lock_handoff:buggy`.
#include "examples/lock_handoff/lock_handoff.h"
#include "gtest/gtest.h"

namespace lock_handoff {
namespace {

TEST(LockHandoffBuggy, WorkerUnlocksTheCoordinatorsMutex) { EXPECT_EQ(MutexAsSignal(), 42); }

}  // namespace
}  // namespace lock_handoff
