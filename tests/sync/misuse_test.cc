// Tests of the wrappers under misuse: each misuse is recorded and refused (never passed
// on to the std primitive where that is undefined, never a hang), the program goes on,
// and the misuse analysis names it with both sites.
#include <chrono>
#include <new>
#include <thread>
#include <mutex>
#include <shared_mutex>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/check/misuse_detector.h"
#include "harness/harness.h"
#include "tests/testing/misuse_testing.h"
#include "tests/testing/trace_testing.h"

namespace harness {
namespace {

using ::testing::ElementsAre;
using trace_testing::BriefEvents;
using trace_testing::AwaitBlockedOn;
using trace_testing::FindObject;
using trace_testing::Misuses;
using trace_testing::SiteOf;
using trace_testing::StartTestRecording;

TEST(MisuseTest, RelockOfMutexIsRefusedNotDeadlocked) {
  StartTestRecording();
  Mutex mu("misuse.relock");
  mu.lock(); const uint32_t first_line = __LINE__;
  mu.lock(); const uint32_t second_line = __LINE__;
  mu.unlock();  // pairs with the refused lock(): ignored
  mu.unlock();  // releases the real hold
  EXPECT_TRUE(mu.try_lock());
  mu.unlock();
  Trace trace = CollectTrace();
  ObjectId m = FindObject(trace, "misuse.relock");
  EXPECT_THAT(BriefEvents(trace, m),
              ElementsAre("T0 object_create", "T0 lock #1", "T0 lock_refused", "T0 unlock #2",
                          "T0 lock #3 detail=1", "T0 unlock #4"));
  std::vector<Misuse> misuses = Misuses(trace);
  ASSERT_EQ(misuses.size(), 1u);
  EXPECT_EQ(misuses[0].kind, MisuseKind::kRelockNonRecursive);
  EXPECT_EQ(misuses[0].object, m);
  EXPECT_EQ(SiteOf(trace, misuses[0].site).line, second_line);
  EXPECT_EQ(SiteOf(trace, misuses[0].other_site).line, first_line);
}

TEST(MisuseTest, TryLockByHolderFails) {
  Mutex mu("misuse.try");
  mu.lock();
  EXPECT_FALSE(mu.try_lock());
  mu.unlock();
  TimedMutex timed("misuse.timed");
  timed.lock();
  EXPECT_FALSE(timed.try_lock_for(std::chrono::milliseconds(1)));
  timed.unlock();
}

TEST(MisuseTest, UnlockOfUnlockedMutexIsRefused) {
  StartTestRecording();
  Mutex mu("misuse.unlocked");
  mu.unlock(); const uint32_t line = __LINE__;
  Trace trace = CollectTrace();
  std::vector<Misuse> misuses = Misuses(trace);
  ASSERT_EQ(misuses.size(), 1u);
  EXPECT_EQ(misuses[0].kind, MisuseKind::kUnlockNotHeld);
  EXPECT_EQ(SiteOf(trace, misuses[0].site).line, line);
}

TEST(MisuseTest, UnlockOfMutexHeldByAnotherThreadIsRefused) {
  StartTestRecording();
  Mutex mu("misuse.other");
  mu.lock(); const uint32_t lock_line = __LINE__;
  uint32_t unlock_line = 0;
  Thread intruder("intruder", [&] {
    mu.unlock(); unlock_line = __LINE__;
  });
  intruder.join();
  mu.unlock();
  Trace trace = CollectTrace();
  std::vector<Misuse> misuses = Misuses(trace);
  ASSERT_EQ(misuses.size(), 1u);
  EXPECT_EQ(misuses[0].kind, MisuseKind::kUnlockHeldByOtherThread);
  EXPECT_EQ(trace.threads()[misuses[0].thread].name, "intruder");
  EXPECT_EQ(trace.threads()[misuses[0].other_thread].name, "main");
  EXPECT_EQ(SiteOf(trace, misuses[0].site).line, unlock_line);
  EXPECT_EQ(SiteOf(trace, misuses[0].other_site).line, lock_line);
}

TEST(MisuseTest, SharedMutexMisuse) {
  StartTestRecording();
  SharedMutex rw("misuse.rw");
  rw.unlock_shared(); const uint32_t stray_line = __LINE__;
  rw.lock_shared();
  rw.lock_shared(); const uint32_t again_line = __LINE__;
  EXPECT_FALSE(rw.try_lock());
  rw.unlock_shared();  // pairs with the refused one
  rw.unlock_shared();
  rw.lock();  // free again
  rw.unlock();
  Trace trace = CollectTrace();
  std::vector<Misuse> misuses = Misuses(trace);
  ASSERT_EQ(misuses.size(), 2u);
  EXPECT_EQ(misuses[0].kind, MisuseKind::kUnlockSharedNotHeld);
  EXPECT_EQ(SiteOf(trace, misuses[0].site).line, stray_line);
  EXPECT_EQ(misuses[1].kind, MisuseKind::kRelockNonRecursive);
  EXPECT_EQ(SiteOf(trace, misuses[1].site).line, again_line);
}

TEST(MisuseTest, WaitWithoutMutexIsRecordedAndStillWaits) {
  StartTestRecording();
  Mutex mu("misuse.cv_mutex");
  CondVar cv("misuse.cv");
  std::unique_lock<Mutex> lock(mu, std::defer_lock);
  EXPECT_EQ(cv.wait_for(lock, std::chrono::milliseconds(1)), std::cv_status::timeout);
  const uint32_t line = __LINE__ - 1;
  EXPECT_FALSE(lock.owns_lock());
  EXPECT_TRUE(mu.try_lock());  // the harness released what it took for the wait
  mu.unlock();
  Trace trace = CollectTrace();
  std::vector<Misuse> misuses = Misuses(trace);
  ASSERT_EQ(misuses.size(), 1u);
  EXPECT_EQ(misuses[0].kind, MisuseKind::kWaitWithoutMutex);
  EXPECT_EQ(misuses[0].object, FindObject(trace, "misuse.cv"));
  EXPECT_EQ(SiteOf(trace, misuses[0].site).line, line);
}

TEST(MisuseTest, ThreadDestroyedJoinableIsJoinedNotTerminated) {
  StartTestRecording();
  int done = 0;
  {
    Thread forgotten("forgotten", [&] { done = 1; });
  }
  EXPECT_EQ(done, 1);  // joined by the harness
  Trace trace = CollectTrace();
  std::vector<Misuse> misuses = Misuses(trace);
  ASSERT_EQ(misuses.size(), 1u);
  EXPECT_EQ(misuses[0].kind, MisuseKind::kThreadDestroyedJoinable);
  EXPECT_EQ(misuses[0].object, FindObject(trace, "forgotten"));
}

TEST(MisuseTest, MutexDestroyedWhileHeldIsReported) {
  StartTestRecording();
  {
    Mutex mu("misuse.destroyed");
    mu.lock();
  }
  Trace trace = CollectTrace();
  std::vector<Misuse> misuses = Misuses(trace);
  ASSERT_EQ(misuses.size(), 1u);
  EXPECT_EQ(misuses[0].kind, MisuseKind::kDestroyLocked);
}

TEST(MisuseTest, CondVarDestroyedAfterNotifyingItsWaiterIsAllowed) {
  // std allows destroying a condition variable once every waiter has been notified,
  // even before they have left wait().
  StartTestRecording();
  Mutex mu("allowed.cv-mutex");
  alignas(CondVar) unsigned char storage[sizeof(CondVar)];
  CondVar* cv = new (storage) CondVar("allowed.cv");
  const ObjectId id = cv->object_id();
  bool ready = false;
  Thread waiter("waiter", [&] {
    std::unique_lock<Mutex> lock(mu);
    while (!ready) cv->wait(lock);
  });
  AwaitBlockedOn(id);
  {
    std::lock_guard<Mutex> hold(mu);
    ready = true;
    cv->notify_all();
    cv->~CondVar();  // the waiter cannot have left wait(): it needs mu
  }
  waiter.join();
  EXPECT_THAT(Misuses(CollectTrace()), ::testing::IsEmpty());
}

}  // namespace
}  // namespace harness
