// Tests of Latch, Barrier and CountingSemaphore: arrivals are numbered, departures observe
// the last arrival of their phase; releases are numbered, acquires observe the newest.
#include <chrono>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/harness.h"
#include "harness/sync/barrier.h"
#include "harness/sync/latch.h"
#include "harness/sync/semaphore.h"
#include "tests/testing/trace_testing.h"

namespace harness {
namespace {

using ::testing::ElementsAre;
using trace_testing::BriefEvents;
using trace_testing::EventsOn;
using trace_testing::FindObject;
using trace_testing::FindThread;
using trace_testing::IndexOf;
using trace_testing::SiteOf;
using trace_testing::StartTestRecording;

using std::chrono::milliseconds;
using std::chrono::steady_clock;

std::vector<std::string> BriefOfThread(const Trace& trace, ObjectId object, ThreadId thread) {
  std::vector<std::string> lines;
  for (const Event& e : EventsOn(trace, object)) {
    if (e.thread == thread) lines.push_back(trace_testing::Brief(e));
  }
  return lines;
}

TEST(LatchTest, CountDownAndWait) {
  StartTestRecording();
  Latch latch(2, "latch.basic"); const uint32_t create_line = __LINE__;
  EXPECT_FALSE(latch.try_wait());  // records nothing
  latch.count_down(); const uint32_t arrive_line = __LINE__;
  Thread other("latch.basic.other", [&latch] { latch.count_down(); });
  latch.wait(); const uint32_t wait_line = __LINE__;
  EXPECT_TRUE(latch.try_wait());
  other.join();

  Trace trace = CollectTrace();
  ASSERT_TRUE(trace.Validate().ok());
  EXPECT_EQ(trace.ordering_gaps(), 0u);
  ObjectId o = FindObject(trace, "latch.basic");
  ASSERT_NE(o, kNoObject);
  EXPECT_EQ(trace.objects()[o].kind, ObjectKind::kLatch);
  EXPECT_EQ(SiteOf(trace, trace.objects()[o].creation_site).line, create_line);
  ASSERT_EQ(FindThread(trace, "latch.basic.other"), 1);
  EXPECT_THAT(BriefEvents(trace, o), ElementsAre("T0 object_create", "T0 arrive #1",
                                                 "T1 arrive #2", "T0 depart #2", "T0 depart #2"));
  std::vector<Event> events = EventsOn(trace, o);
  EXPECT_EQ(SiteOf(trace, events[1].site).line, arrive_line);
  EXPECT_EQ(SiteOf(trace, events[3].site).line, wait_line);
  EXPECT_LT(IndexOf(trace, 1, EventKind::kArrive, o, 2), IndexOf(trace, 0, EventKind::kDepart, o, 2));
}

TEST(LatchTest, ArriveAndWaitAndCountDownByMore) {
  StartTestRecording();
  Latch latch(3, "latch.arrive_and_wait");
  Thread other("latch.arrive_and_wait.other", [&latch] { latch.count_down(2); });
  other.join();
  latch.arrive_and_wait();
  Trace trace = CollectTrace();
  EXPECT_THAT(BriefEvents(trace, FindObject(trace, "latch.arrive_and_wait")),
              ElementsAre("T0 object_create", "T1 arrive #1", "T0 arrive #2", "T0 depart #2"));
}

TEST(BarrierTest, TwoPhasesWithCompletion) {
  StartTestRecording();
  int phases = 0;
  auto on_completion = [&phases]() noexcept { ++phases; };
  Barrier<decltype(on_completion)> barrier(2, on_completion, "barrier.phases");
  Thread other("barrier.phases.other", [&barrier] {
    barrier.arrive_and_wait();
    barrier.arrive_and_wait();
  });
  barrier.arrive_and_wait();
  barrier.arrive_and_wait();
  other.join();
  EXPECT_EQ(phases, 2);

  Trace trace = CollectTrace();
  ASSERT_TRUE(trace.Validate().ok());
  EXPECT_EQ(trace.ordering_gaps(), 0u);
  ObjectId o = FindObject(trace, "barrier.phases");
  ASSERT_NE(o, kNoObject);
  EXPECT_EQ(trace.objects()[o].kind, ObjectKind::kBarrier);
  ASSERT_EQ(FindThread(trace, "barrier.phases.other"), 1);
  std::vector<Event> events = EventsOn(trace, o);
  ASSERT_EQ(events.size(), 9u);
  // Arrivals #1, #2 form phase 1 (departures observe #2), #3, #4 phase 2 (observe #4).
  for (ThreadId t : {ThreadId{0}, ThreadId{1}}) {
    std::vector<Event> mine;
    for (const Event& e : events) {
      if (e.thread == t && e.kind != EventKind::kObjectCreate) mine.push_back(e);
    }
    ASSERT_EQ(mine.size(), 4u);
    EXPECT_EQ(mine[0].kind, EventKind::kArrive);
    EXPECT_LE(mine[0].sequence(), 2u);
    EXPECT_EQ(trace_testing::Brief(mine[1]), "T" + std::to_string(t) + " depart #2");
    EXPECT_EQ(mine[2].kind, EventKind::kArrive);
    EXPECT_GE(mine[2].sequence(), 3u);
    EXPECT_LE(mine[2].sequence(), 4u);
    EXPECT_EQ(trace_testing::Brief(mine[3]), "T" + std::to_string(t) + " depart #4");
  }
  // Every departure of phase 1 comes after both arrivals of phase 1.
  for (ThreadId t : {ThreadId{0}, ThreadId{1}}) {
    int depart = IndexOf(trace, t, EventKind::kDepart, o, 2);
    for (ThreadId u : {ThreadId{0}, ThreadId{1}}) {
      int arrive = IndexOf(trace, u, EventKind::kArrive, o);
      EXPECT_LT(arrive, depart);
    }
  }
}

TEST(BarrierTest, ArriveAndDropLowersLaterPhases) {
  StartTestRecording();
  Barrier<> barrier(2, {}, "barrier.drop");
  Thread dropper("barrier.drop.dropper", [&barrier] { barrier.arrive_and_drop(); });
  barrier.arrive_and_wait();  // phase 1: the dropper and main
  dropper.join();
  barrier.arrive_and_wait();  // phase 2: main alone
  Barrier<>::arrival_token token = barrier.arrive();
  barrier.wait(std::move(token));  // phase 3: main alone, in two steps
  Trace trace = CollectTrace();
  std::vector<std::string> events = BriefEvents(trace, FindObject(trace, "barrier.drop"));
  // The dropper's arrival and main's first arrival may come in either order.
  ASSERT_EQ(events.size(), 8u);
  EXPECT_THAT(std::vector<std::string>(events.begin() + 3, events.end()),
              ElementsAre("T0 depart #2", "T0 arrive #3", "T0 depart #3", "T0 arrive #4",
                          "T0 depart #4"));
  EXPECT_THAT(BriefOfThread(trace, FindObject(trace, "barrier.drop"), 1), ::testing::SizeIs(1));
}

TEST(SemaphoreTest, ReleaseThenAcquire) {
  StartTestRecording();
  CountingSemaphore<> semaphore(0, "semaphore.basic"); const uint32_t create_line = __LINE__;
  EXPECT_FALSE(semaphore.try_acquire());  // records nothing
  Thread releaser("semaphore.basic.releaser", [&semaphore] { semaphore.release(); });
  semaphore.acquire(); const uint32_t acquire_line = __LINE__;
  releaser.join();
  semaphore.release(2);
  EXPECT_TRUE(semaphore.try_acquire());
  EXPECT_TRUE(semaphore.try_acquire_for(milliseconds(1)));
  EXPECT_FALSE(semaphore.try_acquire());

  Trace trace = CollectTrace();
  ASSERT_TRUE(trace.Validate().ok());
  EXPECT_EQ(trace.ordering_gaps(), 0u);
  ObjectId o = FindObject(trace, "semaphore.basic");
  ASSERT_NE(o, kNoObject);
  EXPECT_EQ(trace.objects()[o].kind, ObjectKind::kSemaphore);
  EXPECT_EQ(SiteOf(trace, trace.objects()[o].creation_site).line, create_line);
  EXPECT_THAT(BriefEvents(trace, o),
              ElementsAre("T0 object_create", "T1 semaphore_release #1",
                          "T0 semaphore_acquire #1", "T0 semaphore_release #2",
                          "T0 semaphore_acquire #2", "T0 semaphore_acquire #2"));
  EXPECT_EQ(SiteOf(trace, EventsOn(trace, o)[2].site).line, acquire_line);
}

TEST(SemaphoreTest, TimedAcquireTimesOut) {
  StartTestRecording();
  BinarySemaphore semaphore(0, "semaphore.timeout");
  steady_clock::time_point start = steady_clock::now();
  EXPECT_FALSE(semaphore.try_acquire_for(milliseconds(30)));
  EXPECT_GE(steady_clock::now() - start, milliseconds(30));
  EXPECT_FALSE(semaphore.try_acquire_until(steady_clock::now() + milliseconds(5)));
  Trace trace = CollectTrace();
  EXPECT_THAT(BriefEvents(trace, FindObject(trace, "semaphore.timeout")),
              ElementsAre("T0 object_create"));
}

TEST(SemaphoreTest, InitialCountAcquireObservesNothing) {
  StartTestRecording();
  CountingSemaphore<4> semaphore(2, "semaphore.initial");
  EXPECT_EQ(CountingSemaphore<4>::max(), 4);
  semaphore.acquire();
  semaphore.acquire();
  Trace trace = CollectTrace();
  EXPECT_THAT(BriefEvents(trace, FindObject(trace, "semaphore.initial")),
              ElementsAre("T0 object_create", "T0 semaphore_acquire #0",
                          "T0 semaphore_acquire #0"));
}

}  // namespace
}  // namespace harness
