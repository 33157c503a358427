// Tests of primitives destroyed while another thread is blocked on them: the harness
// records the misuse (MisuseKind::kDestroyedWhileWaitedOn) with both threads and where
// the waiter waits, and a condition variable's never-notified waiter is woken instead
// of hanging the destroyer in glibc. The program is undefined by design, so the
// wrappers live in storage that outlives them; ThreadSanitizer rightly reports it (the
// target is tagged buggy).
#include <chrono>
#include <mutex>
#include <new>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/check/misuse_detector.h"
#include "harness/harness.h"
#include "tests/testing/misuse_testing.h"
#include "tests/testing/trace_testing.h"

namespace harness {
namespace {

using trace_testing::AwaitBlockedOn;
using trace_testing::FindObject;
using trace_testing::Misuses;
using trace_testing::SiteOf;
using trace_testing::StartTestRecording;

TEST(DestroyedWhileWaitedTest, MutexDestroyedWhileAThreadBlocksOnItIsReported) {
  StartTestRecording();
  alignas(Mutex) unsigned char storage[sizeof(Mutex)];
  Mutex* mu = new (storage) Mutex("misuse.waited-mutex");
  const ObjectId id = mu->object_id();
  mu->lock();
  uint32_t wait_line = 0;
  Thread waiter("waiter", [&] {
    wait_line = __LINE__ + 1;
    mu->lock();
    mu->unlock();
  });
  AwaitBlockedOn(id);
  mu->~Mutex();  // releases the lock it holds, then the waiter gets the (dead) mutex
  waiter.join();
  Trace trace = CollectTrace();
  std::vector<Misuse> misuses = Misuses(trace);
  // Destroyed while held, and while a thread waited on it.
  ASSERT_EQ(misuses.size(), 2u);
  const Misuse& waited = misuses[0].kind == MisuseKind::kDestroyedWhileWaitedOn ? misuses[0]
                                                                                 : misuses[1];
  EXPECT_EQ(waited.kind, MisuseKind::kDestroyedWhileWaitedOn);
  EXPECT_EQ(waited.object, FindObject(trace, "misuse.waited-mutex"));
  EXPECT_EQ(trace.threads()[waited.thread].name, "main");
  ASSERT_NE(waited.other_thread, kNoThread);
  EXPECT_EQ(trace.threads()[waited.other_thread].name, "waiter");
  EXPECT_EQ(SiteOf(trace, waited.other_site).line, wait_line);
}

TEST(DestroyedWhileWaitedTest, CondVarDestroyedWithAWaiterNeverNotifiedIsReportedAndWakesIt) {
  StartTestRecording();
  Mutex mu("misuse.cv-mutex");
  alignas(CondVar) unsigned char storage[sizeof(CondVar)];
  CondVar* cv = new (storage) CondVar("misuse.waited-cv");
  const ObjectId id = cv->object_id();
  uint32_t wait_line = 0;
  Thread waiter("waiter", [&] {
    std::unique_lock<Mutex> lock(mu);
    wait_line = __LINE__ + 1;
    cv->wait(lock);
  });
  AwaitBlockedOn(id);
  cv->~CondVar();  // without the harness's notify, glibc would block here forever
  waiter.join();
  Trace trace = CollectTrace();
  std::vector<Misuse> misuses = Misuses(trace);
  ASSERT_EQ(misuses.size(), 1u);
  EXPECT_EQ(misuses[0].kind, MisuseKind::kDestroyedWhileWaitedOn);
  EXPECT_EQ(misuses[0].object, FindObject(trace, "misuse.waited-cv"));
  EXPECT_EQ(trace.threads()[misuses[0].other_thread].name, "waiter");
  EXPECT_EQ(SiteOf(trace, misuses[0].other_site).line, wait_line);
}

TEST(DestroyedWhileWaitedTest, LatchDestroyedWhileAThreadWaitsIsReported) {
  StartTestRecording();
  alignas(Latch) unsigned char storage[sizeof(Latch)];
  Latch* latch = new (storage) Latch(1, "misuse.waited-latch");
  const ObjectId id = latch->object_id();
  Thread waiter("waiter", [&] { latch->wait(); });
  AwaitBlockedOn(id);
  latch->~Latch();
  // Let the waiter go: a new latch in the same place, opened.
  (new (storage) Latch(1, "misuse.reopened"))->count_down();
  waiter.join();
  reinterpret_cast<Latch*>(storage)->~Latch();
  std::vector<Misuse> misuses = Misuses(CollectTrace());
  ASSERT_EQ(misuses.size(), 1u);
  EXPECT_EQ(misuses[0].kind, MisuseKind::kDestroyedWhileWaitedOn);
}

}  // namespace
}  // namespace harness
