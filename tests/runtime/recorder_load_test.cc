// Load tests of the recorder: no event is lost when many threads record at once, and
// CollectTrace while threads are still recording (and starting) returns a valid trace.
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/harness.h"
#include "tests/testing/trace_testing.h"

namespace harness {
namespace {

using trace_testing::EventsOf;
using trace_testing::EventsOn;
using trace_testing::FindObject;
using trace_testing::FindThread;
using trace_testing::StartTestRecording;

TEST(RecorderLoadTest, NoEventLost) {
  constexpr int kThreads = 64;
  constexpr int kWrites = 100000;
  StartTestRecording();  // main is registered first: its thread_start is not recorded
  std::vector<Thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back("load.worker." + std::to_string(t), [t] {
      Shared<int> mine(0, "load.var." + std::to_string(t));  // object_create
      for (int i = 0; i < kWrites; ++i) mine.store(i);        // kWrites writes
    });                                                       // object_destroy
  }
  for (Thread& t : threads) t.join();

  // Per worker: thread_start, object_create, the writes, object_destroy, thread_end.
  // Main: thread_create and thread_join per worker.
  constexpr uint64_t kPerWorker = 1 + 1 + kWrites + 1 + 1;
  constexpr uint64_t kExpected = kThreads * kPerWorker + 2 * kThreads;
  static_assert(kExpected == 6400384);
  EXPECT_EQ(runtime::RecordedEventCount(), kExpected);

  Trace trace = CollectTrace();
  ASSERT_EQ(trace.events().size(), kExpected);
  ASSERT_TRUE(trace.Validate().ok());
  EXPECT_EQ(trace.ordering_gaps(), 0u);
  ASSERT_EQ(trace.threads().size(), kThreads + 1u);
  EXPECT_EQ(EventsOf(trace, 0).size(), 2u * kThreads);

  std::vector<uint64_t> per_thread(trace.threads().size(), 0);
  for (const Event& e : trace.events()) ++per_thread[e.thread];
  for (int t = 0; t < kThreads; ++t) {
    SCOPED_TRACE(t);
    ThreadId id = FindThread(trace, "load.worker." + std::to_string(t));
    ASSERT_NE(id, kNoThread);
    EXPECT_EQ(trace.threads()[id].parent, 0);
    EXPECT_EQ(per_thread[id], kPerWorker);
    ObjectId var = FindObject(trace, "load.var." + std::to_string(t));
    ASSERT_NE(var, kNoObject);
    EXPECT_EQ(trace.objects()[var].creator, id);
  }
  // Every write is attributed to the thread that owns the variable (stack addresses of
  // live threads are distinct, so each write falls into exactly its own variable).
  uint64_t writes = 0;
  for (const Event& e : trace.events()) {
    if (e.kind != EventKind::kWrite) continue;
    ++writes;
    ASSERT_EQ(e.access_size(), sizeof(int));
  }
  EXPECT_EQ(writes, uint64_t{kThreads} * kWrites);
  ObjectId var0 = FindObject(trace, "load.var.0");
  EXPECT_EQ(EventsOn(trace, var0).size(), kWrites + 2u);
}

TEST(RecorderLoadTest, CollectWhileThreadsRecord) {
  StartTestRecording();
  // Bounded, so each collection stays small even in slow (sanitizer) builds.
  constexpr int kRecorders = 6;
  constexpr int kMaxIterations = 20000;
  constexpr int kMaxChildren = 200;
  std::atomic<bool> stop{false};
  Mutex mu("load.live.mu");
  Atomic<uint64_t> counter(0, "load.live.counter");
  std::vector<Thread> threads;
  for (int t = 0; t < kRecorders; ++t) {
    threads.emplace_back("load.live." + std::to_string(t), [&, t] {
      Shared<int> mine(0, "load.live.var." + std::to_string(t));
      for (int i = 0; i < kMaxIterations && !stop.load(std::memory_order_relaxed); ++i) {
        {
          std::lock_guard<Mutex> hold(mu);
          mine.store(mine.load() + 1);
        }
        counter.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  // One more thread keeps starting short-lived threads, so threads register meanwhile.
  threads.emplace_back("load.live.spawner", [&] {
    for (int n = 0; n < kMaxChildren && !stop.load(std::memory_order_relaxed);) {
      Thread child("load.live.child." + std::to_string(n++), [&mu] {
        std::lock_guard<Mutex> hold(mu);
      });
      child.join();
    }
  });

  size_t previous = 0;
  for (int round = 0; round < 20; ++round) {
    Trace trace = CollectTrace();
    absl::Status valid = trace.Validate();
    ASSERT_TRUE(valid.ok()) << "round " << round << ": " << valid;
    EXPECT_GE(trace.events().size(), previous) << round;
    previous = trace.events().size();
    (void)runtime::RecordedEventCount();
  }
  stop.store(true);
  for (Thread& t : threads) t.join();

  // Once every thread is done, the recording is complete and consistent.
  Trace trace = CollectTrace();
  ASSERT_TRUE(trace.Validate().ok());
  EXPECT_EQ(trace.ordering_gaps(), 0u);
  EXPECT_EQ(trace.events().size(), runtime::RecordedEventCount());
  std::vector<Event> on_mu = EventsOn(trace, FindObject(trace, "load.live.mu"));
  for (size_t i = 1; i < on_mu.size(); ++i) ASSERT_EQ(on_mu[i].sequence(), i);
}


TEST(RecorderLoadTest, CollectWhileThreadsStart) {
  StartTestRecording();
  constexpr int kChildren = 1000;
  std::atomic<bool> done{false};
  Thread spawner("load.start.spawner", [&done] {
    for (int n = 0; n < kChildren; ++n) {
      Thread child("load.start.child", [] {});
      child.join();
    }
    done.store(true);
  });
  int rounds = 0;
  while (!done.load()) {
    Trace trace = CollectTrace();
    absl::Status valid = trace.Validate();
    ASSERT_TRUE(valid.ok()) << valid;
    (void)runtime::RecordedEventCount();
    ++rounds;
  }
  spawner.join();
  Trace trace = CollectTrace();
  // Spawner: start, 1000 x (create, join), end; each child: start, end; main: create, join.
  EXPECT_EQ(trace.events().size(), 2u + 2 * kChildren + 2 * kChildren + 2);
  EXPECT_EQ(trace.threads().size(), 2u + kChildren);
  EXPECT_EQ(trace.ordering_gaps(), 0u);
  EXPECT_GT(rounds, 0);
}

}  // namespace
}  // namespace harness
