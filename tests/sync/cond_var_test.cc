// Tests of CondVar: a wait records wait_begin, the mutex's release and re-acquisition
// (lock_detail::kByConditionWait) and wait_end observing the newest notify; timed waits
// record whether they timed out.
#include "harness/sync/cond_var.h"

#include <chrono>
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
using trace_testing::BriefEvents;
using trace_testing::EventsOf;
using trace_testing::EventsOn;
using trace_testing::FindObject;
using trace_testing::FindThread;
using trace_testing::IndexOf;
using trace_testing::SiteOf;
using trace_testing::StartTestRecording;

using std::chrono::milliseconds;
using std::chrono::steady_clock;

TEST(CondVarTest, WaitAndNotifyHandshake) {
  StartTestRecording();
  Mutex mu("cond_var.handshake.mu");
  CondVar cv("cond_var.handshake.cv"); const uint32_t create_line = __LINE__;
  bool ready = false;  // guarded by mu
  std::unique_lock<Mutex> lock(mu);
  uint32_t notify_line = 0;
  Thread signaller("cond_var.handshake.signaller", [&] {
    std::lock_guard<Mutex> hold(mu);  // only possible once main waits
    ready = true;
    cv.notify_one(); notify_line = __LINE__;
  });
  cv.wait(lock, [&] { return ready; }); const uint32_t wait_line = __LINE__;
  lock.unlock();
  signaller.join();

  Trace trace = CollectTrace();
  ASSERT_TRUE(trace.Validate().ok());
  EXPECT_EQ(trace.ordering_gaps(), 0u);
  ObjectId m = FindObject(trace, "cond_var.handshake.mu");
  ObjectId c = FindObject(trace, "cond_var.handshake.cv");
  ASSERT_EQ(FindThread(trace, "cond_var.handshake.signaller"), 1);
  EXPECT_EQ(trace.objects()[c].kind, ObjectKind::kConditionVariable);
  EXPECT_EQ(SiteOf(trace, trace.objects()[c].creation_site).line, create_line);
  static_assert(lock_detail::kByConditionWait == 2);
  EXPECT_THAT(BriefEvents(trace, m),
              ElementsAre("T0 object_create", "T0 lock #1", "T0 unlock #2 detail=2", "T1 lock #3",
                          "T1 unlock #4", "T0 lock #5 detail=2", "T0 unlock #6"));
  EXPECT_THAT(BriefEvents(trace, c), ElementsAre("T0 object_create", "T0 wait_begin",
                                                 "T1 notify #1", "T0 wait_end #1"));
  std::vector<Event> cv_events = EventsOn(trace, c);
  EXPECT_EQ(SiteOf(trace, cv_events[1].site).line, wait_line);
  EXPECT_EQ(SiteOf(trace, cv_events[2].site).line, notify_line);
  EXPECT_EQ(SiteOf(trace, cv_events[3].site).line, wait_line);
  std::vector<Event> mu_events = EventsOn(trace, m);
  EXPECT_EQ(SiteOf(trace, mu_events[2].site).line, wait_line);
  EXPECT_EQ(SiteOf(trace, mu_events[5].site).line, wait_line);
  // The wake-up comes after the notify, and the re-lock after the signaller's unlock.
  EXPECT_LT(IndexOf(trace, 1, EventKind::kNotify, c, 1),
            IndexOf(trace, 0, EventKind::kWaitEnd, c, 1));
  EXPECT_LT(IndexOf(trace, 1, EventKind::kUnlock, m, 4), IndexOf(trace, 0, EventKind::kLock, m, 5));
  // Main thread's own order: wait_begin, unlock, lock, wait_end.
  std::vector<std::string> main_order;
  for (const Event& e : EventsOf(trace, 0)) {
    if (e.kind == EventKind::kObjectCreate || e.kind == EventKind::kThreadCreate ||
        e.kind == EventKind::kThreadJoin) {
      continue;
    }
    main_order.push_back(trace_testing::Brief(e));
  }
  EXPECT_THAT(main_order, ElementsAre("T0 lock #1", "T0 wait_begin", "T0 unlock #2 detail=2",
                                      "T0 lock #5 detail=2", "T0 wait_end #1", "T0 unlock #6"));
}

TEST(CondVarTest, WaitForTimesOut) {
  StartTestRecording();
  Mutex mu("cond_var.timeout.mu");
  CondVar cv("cond_var.timeout.cv");
  std::unique_lock<Mutex> lock(mu);
  steady_clock::time_point start = steady_clock::now();
  EXPECT_EQ(cv.wait_for(lock, milliseconds(30)), std::cv_status::timeout);
  EXPECT_GE(steady_clock::now() - start, milliseconds(30));
  EXPECT_TRUE(lock.owns_lock());
  lock.unlock();
  Trace trace = CollectTrace();
  EXPECT_THAT(BriefEvents(trace, FindObject(trace, "cond_var.timeout.cv")),
              ElementsAre("T0 object_create", "T0 wait_begin detail=1", "T0 wait_end #0 detail=1"));
  EXPECT_THAT(BriefEvents(trace, FindObject(trace, "cond_var.timeout.mu")),
              ElementsAre("T0 object_create", "T0 lock #1", "T0 unlock #2 detail=2",
                          "T0 lock #3 detail=2", "T0 unlock #4"));
}

TEST(CondVarTest, WaitUntilWithPredicateReturnsFalseOnTimeout) {
  StartTestRecording();
  Mutex mu("cond_var.until.mu");
  CondVar cv("cond_var.until.cv");
  std::unique_lock<Mutex> lock(mu);
  EXPECT_FALSE(cv.wait_until(lock, steady_clock::now() + milliseconds(10), [] { return false; }));
  EXPECT_TRUE(cv.wait_for(lock, milliseconds(10), [] { return true; }));  // no wait at all
  lock.unlock();
  Trace trace = CollectTrace();
  std::vector<std::string> events = BriefEvents(trace, FindObject(trace, "cond_var.until.cv"));
  ASSERT_GE(events.size(), 3u);
  // Spurious wake-ups may add wait_begin / wait_end #0 pairs; the last one timed out.
  EXPECT_EQ(events.back(), "T0 wait_end #0 detail=1");
  EXPECT_EQ(events.size() % 2, 1u);
}

TEST(CondVarTest, TimedWaitWokenByNotify) {
  StartTestRecording();
  Mutex mu("cond_var.timed_wake.mu");
  CondVar cv("cond_var.timed_wake.cv");
  bool ready = false;
  std::unique_lock<Mutex> lock(mu);
  Thread signaller("cond_var.timed_wake.signaller", [&] {
    std::lock_guard<Mutex> hold(mu);
    ready = true;
    cv.notify_all();
  });
  EXPECT_TRUE(cv.wait_for(lock, std::chrono::seconds(60), [&] { return ready; }));
  lock.unlock();
  signaller.join();
  Trace trace = CollectTrace();
  EXPECT_THAT(BriefEvents(trace, FindObject(trace, "cond_var.timed_wake.cv")),
              ElementsAre("T0 object_create", "T0 wait_begin detail=1", "T1 notify #1 detail=1",
                          "T0 wait_end #1"));
}

TEST(CondVarTest, NotifyWithoutWaitersIsNumbered) {
  StartTestRecording();
  CondVar cv("cond_var.no_waiters");
  cv.notify_all();
  cv.notify_one();
  cv.notify_one();
  Trace trace = CollectTrace();
  EXPECT_THAT(BriefEvents(trace, FindObject(trace, "cond_var.no_waiters")),
              ElementsAre("T0 object_create", "T0 notify #1 detail=1", "T0 notify #2",
                          "T0 notify #3"));
}

TEST(CondVarTest, NotifyAllWakesEveryWaiter) {
  StartTestRecording();
  Mutex mu("cond_var.all.mu");
  CondVar go_cv("cond_var.all.go");
  CondVar waiting_cv("cond_var.all.waiting");
  constexpr int kWaiters = 3;
  int waiting = 0;  // guarded by mu
  bool go = false;  // guarded by mu
  std::vector<Thread> waiters;
  for (int i = 0; i < kWaiters; ++i) {
    waiters.emplace_back("cond_var.all.waiter." + std::to_string(i), [&] {
      std::unique_lock<Mutex> lock(mu);
      ++waiting;
      waiting_cv.notify_one();
      go_cv.wait(lock, [&] { return go; });
    });
  }
  {
    std::unique_lock<Mutex> lock(mu);
    waiting_cv.wait(lock, [&] { return waiting == kWaiters; });
    // Every waiter has released mu inside go_cv.wait by now.
    go = true;
    go_cv.notify_all();
  }
  for (Thread& t : waiters) t.join();

  Trace trace = CollectTrace();
  ASSERT_TRUE(trace.Validate().ok());
  ObjectId c = FindObject(trace, "cond_var.all.go");
  std::vector<Event> events = EventsOn(trace, c);
  int notifies = 0;
  for (const Event& e : events) {
    if (e.kind == EventKind::kNotify) {
      ++notifies;
      EXPECT_EQ(e.thread, 0);
      EXPECT_EQ(e.sequence(), 1u);
      EXPECT_EQ(e.detail, 1);
    }
  }
  EXPECT_EQ(notifies, 1);
  int notify_index = IndexOf(trace, 0, EventKind::kNotify, c, 1);
  for (int i = 0; i < kWaiters; ++i) {
    ThreadId t = FindThread(trace, "cond_var.all.waiter." + std::to_string(i));
    ASSERT_NE(t, kNoThread);
    std::vector<Event> mine;
    for (const Event& e : events) {
      if (e.thread == t) mine.push_back(e);
    }
    ASSERT_FALSE(mine.empty());
    EXPECT_EQ(mine.back().kind, EventKind::kWaitEnd);
    EXPECT_EQ(mine.back().sequence(), 1u);
    EXPECT_LT(notify_index, IndexOf(trace, t, EventKind::kWaitEnd, c, 1));
  }
}

}  // namespace
}  // namespace harness
