// Tests of Mutex, RecursiveMutex and TimedMutex: the exact events each operation records,
// the merged order across threads, names and sites, and drop-in use with the std lock
// helpers.
#include "harness/sync/mutex.h"

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/harness.h"
#include "tests/testing/trace_testing.h"

namespace harness {
namespace {

using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::IsEmpty;
using ::testing::Not;
using trace_testing::BriefEvents;
using trace_testing::EventsOn;
using trace_testing::FindObject;
using trace_testing::FindObjectAt;
using trace_testing::FindThread;
using trace_testing::IndexOf;
using trace_testing::SiteOf;
using trace_testing::StartTestRecording;
using trace_testing::ThreadEvents;

using std::chrono::milliseconds;
using std::chrono::steady_clock;

TEST(MutexTest, LockAndUnlockRecordNumberedEvents) {
  StartTestRecording();
  Mutex mu("mutex.basic"); const uint32_t create_line = __LINE__;
  mu.lock(); const uint32_t lock_line = __LINE__;
  mu.unlock(); const uint32_t unlock_line = __LINE__;
  mu.lock();
  mu.unlock();
  Trace trace = CollectTrace();
  ASSERT_TRUE(trace.Validate().ok());

  ObjectId m = FindObject(trace, "mutex.basic");
  ASSERT_NE(m, kNoObject);
  EXPECT_EQ(FindObjectAt(trace, &mu), m);
  EXPECT_THAT(BriefEvents(trace, m), ElementsAre("T0 object_create", "T0 lock #1",
                                                 "T0 unlock #2", "T0 lock #3", "T0 unlock #4"));

  const ObjectInfo& info = trace.objects()[m];
  EXPECT_EQ(info.kind, ObjectKind::kMutex);
  EXPECT_EQ(info.address, reinterpret_cast<uint64_t>(&mu));
  EXPECT_EQ(info.size, sizeof(Mutex));
  EXPECT_EQ(info.creator, 0);
  const SiteInfo& created = SiteOf(trace, info.creation_site);
  EXPECT_EQ(created.line, create_line);
  EXPECT_THAT(created.file, EndsWith("tests/sync/mutex_test.cc"));
  EXPECT_THAT(created.function, ::testing::HasSubstr("LockAndUnlockRecordNumberedEvents"));
  EXPECT_THAT(created.stack, IsEmpty());

  std::vector<Event> events = EventsOn(trace, m);
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events[0].site, info.creation_site);
  EXPECT_EQ(SiteOf(trace, events[1].site).line, lock_line);
  EXPECT_EQ(SiteOf(trace, events[2].site).line, unlock_line);
  EXPECT_THAT(SiteOf(trace, events[1].site).stack, IsEmpty());

  ASSERT_EQ(trace.threads().size(), 1u);
  EXPECT_EQ(trace.threads()[0].name, "main");
  EXPECT_EQ(trace.threads()[0].parent, kNoThread);
  EXPECT_EQ(trace.ordering_gaps(), 0u);
}

TEST(MutexTest, UnnamedMutexHasEmptyName) {
  StartTestRecording();
  Mutex mu;
  mu.lock();
  mu.unlock();
  Trace trace = CollectTrace();
  ObjectId m = FindObjectAt(trace, &mu);
  ASSERT_NE(m, kNoObject);
  EXPECT_EQ(trace.objects()[m].name, "");
  EXPECT_THAT(BriefEvents(trace, m), ElementsAre("T0 object_create", "T0 lock #1", "T0 unlock #2"));
}

TEST(MutexTest, TryLockFailsWhileAnotherThreadHolds) {
  StartTestRecording();
  Mutex mu("mutex.try");
  mu.lock();
  bool acquired = true;
  uint32_t failed_line = 0;
  Thread holder_blocked("mutex.try.t1", [&] {
    acquired = mu.try_lock(); failed_line = __LINE__;
  });
  holder_blocked.join();
  EXPECT_FALSE(acquired);
  mu.unlock();
  Thread free_taker("mutex.try.t2", [&] {
    acquired = mu.try_lock();
    if (acquired) mu.unlock();
  });
  free_taker.join();
  EXPECT_TRUE(acquired);

  Trace trace = CollectTrace();
  ObjectId m = FindObject(trace, "mutex.try");
  ASSERT_EQ(FindThread(trace, "mutex.try.t1"), 1);
  ASSERT_EQ(FindThread(trace, "mutex.try.t2"), 2);
  EXPECT_THAT(BriefEvents(trace, m),
              ElementsAre("T0 object_create", "T0 lock #1", "T1 try_lock_failed", "T0 unlock #2",
                          "T2 lock #3 detail=1", "T2 unlock #4"));
  std::vector<Event> events = EventsOn(trace, m);
  EXPECT_EQ(events[2].kind, EventKind::kTryLockFailed);
  EXPECT_EQ(events[2].sequence(), 0u);
  EXPECT_EQ(SiteOf(trace, events[2].site).line, failed_line);
  EXPECT_EQ(events[4].detail, lock_detail::kTry);
}

TEST(MutexTest, LockOfSecondThreadFollowsUnlockOfFirst) {
  StartTestRecording();
  Mutex mu("mutex.order");
  mu.lock();
  Thread worker("mutex.order.worker", [&] {
    mu.lock();  // blocks until main unlocks
    mu.unlock();
  });
  mu.unlock();
  worker.join();

  Trace trace = CollectTrace();
  ObjectId m = FindObject(trace, "mutex.order");
  ThreadId w = FindThread(trace, "mutex.order.worker");
  ASSERT_EQ(w, 1);
  EXPECT_THAT(BriefEvents(trace, m), ElementsAre("T0 object_create", "T0 lock #1", "T0 unlock #2",
                                                 "T1 lock #3", "T1 unlock #4"));
  EXPECT_LT(IndexOf(trace, 0, EventKind::kUnlock, m, 2), IndexOf(trace, 1, EventKind::kLock, m, 3));
  EXPECT_THAT(ThreadEvents(trace, w),
              ElementsAre("thread_start 'mutex.order.worker' #1", "lock 'mutex.order' #3",
                          "unlock 'mutex.order' #4", "thread_end 'mutex.order.worker' #2"));
  EXPECT_EQ(trace.ordering_gaps(), 0u);
}

TEST(MutexTest, ContendedLocksAreMergedInSequenceOrder) {
  StartTestRecording();
  Mutex mu("mutex.contended");
  constexpr int kThreads = 4;
  constexpr int kRounds = 1000;
  int counter = 0;
  std::vector<Thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back("mutex.contended." + std::to_string(t), [&] {
      for (int i = 0; i < kRounds; ++i) {
        std::lock_guard<Mutex> hold(mu);
        ++counter;
      }
    });
  }
  for (Thread& t : threads) t.join();
  EXPECT_EQ(counter, kThreads * kRounds);

  Trace trace = CollectTrace();
  ASSERT_TRUE(trace.Validate().ok());
  EXPECT_EQ(trace.ordering_gaps(), 0u);
  std::vector<Event> events = EventsOn(trace, FindObject(trace, "mutex.contended"));
  ASSERT_EQ(events.size(), 1u + 2 * kThreads * kRounds);
  for (size_t i = 1; i < events.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(events[i].sequence(), i);
    EXPECT_EQ(events[i].kind, i % 2 == 1 ? EventKind::kLock : EventKind::kUnlock);
    if (i % 2 == 0) {
      EXPECT_EQ(events[i].thread, events[i - 1].thread);
    }
  }
}

TEST(MutexTest, RecursiveMutexMarksReentries) {
  StartTestRecording();
  RecursiveMutex mu("mutex.recursive");
  mu.lock();
  mu.lock();
  EXPECT_TRUE(mu.try_lock());
  mu.unlock();
  mu.unlock();
  mu.unlock();
  mu.lock();
  mu.unlock();
  Trace trace = CollectTrace();
  ObjectId m = FindObject(trace, "mutex.recursive");
  EXPECT_EQ(trace.objects()[m].kind, ObjectKind::kRecursiveMutex);
  static_assert(lock_detail::kRecursive == 4 && lock_detail::kTry == 1);
  EXPECT_THAT(BriefEvents(trace, m),
              ElementsAre("T0 object_create", "T0 lock #1", "T0 lock #2 detail=4",
                          "T0 lock #3 detail=5", "T0 unlock #4 detail=4", "T0 unlock #5 detail=4",
                          "T0 unlock #6", "T0 lock #7", "T0 unlock #8"));
}

TEST(MutexTest, RecursiveMutexTryLockFailsForOtherThread) {
  StartTestRecording();
  RecursiveMutex mu("mutex.recursive.try");
  mu.lock();
  bool acquired = true;
  Thread other("mutex.recursive.try.other", [&] { acquired = mu.try_lock(); });
  other.join();
  mu.unlock();
  EXPECT_FALSE(acquired);
  Trace trace = CollectTrace();
  EXPECT_THAT(BriefEvents(trace, FindObject(trace, "mutex.recursive.try")),
              ElementsAre("T0 object_create", "T0 lock #1", "T1 try_lock_failed", "T0 unlock #2"));
}

TEST(MutexTest, TimedMutexTimesOutWhileHeld) {
  StartTestRecording();
  TimedMutex mu("mutex.timed");
  mu.lock();
  Thread waiter("mutex.timed.waiter", [&] {
    steady_clock::time_point start = steady_clock::now();
    EXPECT_FALSE(mu.try_lock_for(milliseconds(30)));
    EXPECT_GE(steady_clock::now() - start, milliseconds(30));
    EXPECT_FALSE(mu.try_lock_until(steady_clock::now() + milliseconds(5)));
    EXPECT_FALSE(mu.try_lock());
  });
  waiter.join();
  mu.unlock();
  EXPECT_TRUE(mu.try_lock_for(milliseconds(1)));
  mu.unlock();
  EXPECT_TRUE(mu.try_lock_until(steady_clock::now() + milliseconds(1)));
  mu.unlock();

  Trace trace = CollectTrace();
  ObjectId m = FindObject(trace, "mutex.timed");
  EXPECT_EQ(trace.objects()[m].kind, ObjectKind::kTimedMutex);
  EXPECT_EQ(trace.objects()[m].size, sizeof(TimedMutex));
  EXPECT_THAT(BriefEvents(trace, m),
              ElementsAre("T0 object_create", "T0 lock #1", "T1 try_lock_failed",
                          "T1 try_lock_failed", "T1 try_lock_failed", "T0 unlock #2",
                          "T0 lock #3 detail=1", "T0 unlock #4", "T0 lock #5 detail=1",
                          "T0 unlock #6"));
}

TEST(MutexTest, TimedMutexWaitsForRelease) {
  StartTestRecording();
  TimedMutex mu("mutex.timed.release");
  mu.lock();
  bool acquired = false;
  Thread waiter("mutex.timed.release.waiter", [&] {
    acquired = mu.try_lock_for(std::chrono::seconds(30));
    if (acquired) mu.unlock();
  });
  std::this_thread::sleep_for(milliseconds(5));
  mu.unlock();
  waiter.join();
  EXPECT_TRUE(acquired);
  Trace trace = CollectTrace();
  EXPECT_THAT(BriefEvents(trace, FindObject(trace, "mutex.timed.release")),
              ElementsAre("T0 object_create", "T0 lock #1", "T0 unlock #2",
                          "T1 lock #3 detail=1", "T1 unlock #4"));
}

TEST(MutexTest, LockGuardSiteCarriesStack) {
  StartTestRecording();
  Mutex mu("mutex.guard");
  { std::lock_guard<Mutex> hold(mu); }
  Trace trace = CollectTrace();
  ObjectId m = FindObject(trace, "mutex.guard");
  EXPECT_THAT(BriefEvents(trace, m), ElementsAre("T0 object_create", "T0 lock #1", "T0 unlock #2"));
  std::vector<Event> events = EventsOn(trace, m);
  for (int i : {1, 2}) {
    const SiteInfo& site = SiteOf(trace, events[i].site);
    // The location is inside <mutex>, not the user's line, so the site has a stack.
    EXPECT_THAT(site.file, Not(EndsWith("mutex_test.cc")));
    EXPECT_THAT(site.stack, Not(IsEmpty()));
  }
}

TEST(MutexTest, UniqueLockDropIn) {
  StartTestRecording();
  Mutex mu("mutex.unique");
  {
    std::unique_lock<Mutex> lock(mu);
    EXPECT_TRUE(lock.owns_lock());
    lock.unlock();
    EXPECT_TRUE(lock.try_lock());
  }
  {
    std::unique_lock<Mutex> deferred(mu, std::defer_lock);
    EXPECT_FALSE(deferred.owns_lock());
    deferred.lock();
  }
  mu.lock();
  bool owned = true;
  Thread other("mutex.unique.other", [&] {
    std::unique_lock<Mutex> attempt(mu, std::try_to_lock);
    owned = attempt.owns_lock();
  });
  other.join();
  mu.unlock();
  EXPECT_FALSE(owned);
  {
    std::unique_lock<Mutex> attempt(mu, std::try_to_lock);
    EXPECT_TRUE(attempt.owns_lock());
  }

  Trace trace = CollectTrace();
  EXPECT_THAT(BriefEvents(trace, FindObject(trace, "mutex.unique")),
              ElementsAre("T0 object_create", "T0 lock #1", "T0 unlock #2", "T0 lock #3 detail=1",
                          "T0 unlock #4", "T0 lock #5", "T0 unlock #6", "T0 lock #7",
                          "T1 try_lock_failed", "T0 unlock #8", "T0 lock #9 detail=1",
                          "T0 unlock #10"));
}

TEST(MutexTest, ScopedLockDropIn) {
  StartTestRecording();
  Mutex a("mutex.scoped.a");
  Mutex b("mutex.scoped.b");
  { std::scoped_lock hold(a, b); }
  { std::scoped_lock hold(a); }
  Trace trace = CollectTrace();
  // std::lock locks the first mutex, then try-locks the other (libstdc++).
  EXPECT_THAT(BriefEvents(trace, FindObject(trace, "mutex.scoped.a")),
              ElementsAre("T0 object_create", "T0 lock #1", "T0 unlock #2", "T0 lock #3",
                          "T0 unlock #4"));
  EXPECT_THAT(BriefEvents(trace, FindObject(trace, "mutex.scoped.b")),
              ElementsAre("T0 object_create", "T0 lock #1 detail=1", "T0 unlock #2"));
}

TEST(MutexTest, SequenceNumbersContinueAcrossRecordings) {
  Mutex mu("mutex.continues");
  mu.lock();
  mu.unlock();
  StartTestRecording();
  mu.lock();
  mu.unlock();
  Trace trace = CollectTrace();
  ObjectId m = FindObject(trace, "mutex.continues");
  EXPECT_THAT(BriefEvents(trace, m), ElementsAre("T0 lock #3", "T0 unlock #4"));
  EXPECT_EQ(trace.objects()[m].kind, ObjectKind::kMutex);
  EXPECT_EQ(trace.ordering_gaps(), 0u);
}

TEST(MutexTest, DestroyIsRecordedAtCreationSite) {
  StartTestRecording();
  SiteId creation = kNoSite;
  {
    Mutex mu("mutex.destroyed");
    mu.lock();
    mu.unlock();
  }
  Trace trace = CollectTrace();
  ObjectId m = FindObject(trace, "mutex.destroyed");
  creation = trace.objects()[m].creation_site;
  EXPECT_THAT(BriefEvents(trace, m), ElementsAre("T0 object_create", "T0 lock #1", "T0 unlock #2",
                                                 "T0 object_destroy"));
  EXPECT_EQ(EventsOn(trace, m).back().site, creation);
}

}  // namespace
}  // namespace harness
