// The exact finding of //examples/lock_handoff:buggy: one misuse, "unlock of a mutex
// held by another thread", by 'worker' at its unlock of 'not-ready', naming main's
// lock() as where the holder took it. (The example's header exports the two lines.)
#include "examples/lock_handoff/lock_handoff.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/gtest/expect.h"
#include "tests/examples/example_sites.h"

namespace harness::examples_test {
namespace {

using ::testing::AllOf;

const std::string kHeader = "examples/lock_handoff/lock_handoff.h";

TEST(LockHandoffExample, BuggyUnlocksAMutexHeldByAnotherThread) {
  ScopedFindingExpectation foreign_unlock(AllOf(
      IsMisuse(MisuseKind::kUnlockHeldByOtherThread),
      HasSiteTimes(kHeader + ":" + std::to_string(lock_handoff::kWorkerUnlockLine), 1),
      HasSiteTimes(kHeader + ":" + std::to_string(lock_handoff::kCoordinatorLockLine), 1),
      ObjectsAre("not-ready"), ThreadsAre("worker", "main")));
  EXPECT_EQ(lock_handoff::MutexAsSignal(), 42);
}

}  // namespace
}  // namespace harness::examples_test
