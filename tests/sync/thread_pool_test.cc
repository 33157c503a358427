// Tests of ThreadPool: map keeps input order, futures carry results and exceptions,
// submit after shutdown throws, workers are named harness threads, and the task ->
// future edge is recorded on each task's promise.
#include "harness/sync/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/harness.h"
#include "tests/testing/trace_testing.h"

namespace harness {
namespace {

// Thrown by tasks. Not a std::logic_error: libstdc++'s exception strings are reference
// counted inside the (uninstrumented) library, which ThreadSanitizer cannot see, so a
// message read on one thread and freed on another is reported falsely.
struct TaskError {
  int code;
};

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using trace_testing::BriefEvents;
using trace_testing::EventsOn;
using trace_testing::FindObject;
using trace_testing::FindThread;
using trace_testing::StartTestRecording;

TEST(ThreadPoolTest, MapKeepsInputOrder) {
  ThreadPool pool(4, "pool.map");
  std::vector<int> inputs;
  for (int i = 0; i < 200; ++i) inputs.push_back(i);
  std::vector<long> results = pool.map(
      [](int x) {
        if (x % 7 == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
        return static_cast<long>(x) * x;
      },
      inputs);
  ASSERT_EQ(results.size(), inputs.size());
  for (int i = 0; i < 200; ++i) EXPECT_EQ(results[i], static_cast<long>(i) * i);
  EXPECT_EQ(pool.max_workers(), 4u);
}

TEST(ThreadPoolTest, MapRethrowsFirstErrorInInputOrder) {
  ThreadPool pool(3, "pool.map_error");
  std::vector<int> inputs = {1, 2, 3, 4, 5, 6};
  try {
    pool.map(
        [](int x) {
          if (x == 5) throw TaskError{5};
          if (x == 3) throw TaskError{3};
          return x;
        },
        inputs);
    ADD_FAILURE() << "map did not throw";
  } catch (const TaskError& e) {
    EXPECT_EQ(e.code, 3);
  }
}

TEST(ThreadPoolTest, SubmitReturnsResultAndPropagatesExceptions) {
  ThreadPool pool(2, "pool.submit");
  Future<int> sum = pool.submit([](int a, int b) { return a + b; }, 20, 22);
  Future<void> nothing = pool.submit([] {});
  Future<int> fails = pool.submit([]() -> int { throw TaskError{42}; });
  EXPECT_EQ(sum.get(), 42);
  nothing.get();
  // The workers finish, and drop their references to the failed task's state, before
  // the test takes the exception: libstdc++ counts exception_ptr references in code
  // ThreadSanitizer does not see, so a worker freeing the thrown object after the read
  // of e.code below would look like a race. The future keeps its result.
  pool.shutdown();
  try {
    fails.get();
    ADD_FAILURE() << "get() did not throw";
  } catch (const TaskError& e) {
    EXPECT_EQ(e.code, 42);
  }
}

TEST(ThreadPoolTest, SubmitAfterShutdownThrows) {
  ThreadPool pool(2, "pool.closed");
  EXPECT_EQ(pool.submit([] { return 1; }).get(), 1);
  pool.shutdown();
  try {
    pool.submit([] { return 2; });
    ADD_FAILURE() << "submit after shutdown did not throw";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("pool.closed"));
  }
  pool.shutdown();  // harmless twice
}

TEST(ThreadPoolTest, ShutdownWithoutWaitStillRunsQueuedTasks) {
  std::atomic<int> done{0};
  std::vector<Future<void>> futures;
  {
    ThreadPool pool(2, "pool.nowait");
    for (int i = 0; i < 20; ++i) {
      futures.push_back(pool.submit([&done] {
        std::this_thread::sleep_for(std::chrono::microseconds(100));
        done.fetch_add(1);
      }));
    }
    pool.shutdown(/*wait=*/false);
    EXPECT_THROW(pool.submit([] {}), std::runtime_error);
  }  // the destructor waits for the workers
  EXPECT_EQ(done.load(), 20);
  for (Future<void>& f : futures) f.get();
}

TEST(ThreadPoolTest, DefaultMaxWorkersFollowsPython) {
  ThreadPool pool;
  EXPECT_EQ(pool.max_workers(), std::min<size_t>(32, std::thread::hardware_concurrency() + 4));
}

TEST(ThreadPoolTest, RecordsWorkersAndTaskEdges) {
  StartTestRecording();
  {
    ThreadPool pool(1, "pool.rec");
    Future<int> result = pool.submit([] { return 7; });
    EXPECT_EQ(result.get(), 7);
  }
  Trace trace = CollectTrace();
  ASSERT_TRUE(trace.Validate().ok());
  EXPECT_EQ(trace.ordering_gaps(), 0u);
  ThreadId worker = FindThread(trace, "pool.rec-worker-1");
  ASSERT_EQ(worker, 1);
  EXPECT_EQ(trace.threads()[worker].parent, 0);
  EXPECT_EQ(trace.threads().size(), 2u);  // max_workers = 1
  // The task's promise: set by the worker, got by the submitter.
  ObjectId task = FindObject(trace, "pool.rec.task");
  ASSERT_NE(task, kNoObject);
  EXPECT_EQ(trace.objects()[task].kind, ObjectKind::kPromise);
  // (The promise is destroyed by whichever thread drops it last, at no fixed place.)
  std::vector<std::string> task_events;
  for (const std::string& e : BriefEvents(trace, task)) {
    if (e.find("object_destroy") == std::string::npos) task_events.push_back(e);
  }
  EXPECT_THAT(task_events, ElementsAre("T0 object_create", "T1 promise_set #1", "T0 future_get #1"));
  // The queue's mutex is recorded, and its operations are numbered without gaps.
  ObjectId queue = FindObject(trace, "pool.rec.queue");
  ASSERT_NE(queue, kNoObject);
  std::vector<Event> queue_events = EventsOn(trace, queue);
  uint32_t expected = 1;
  for (const Event& e : queue_events) {
    if (e.kind == EventKind::kLock || e.kind == EventKind::kUnlock) {
      EXPECT_EQ(e.sequence(), expected++);
    }
  }
  EXPECT_GT(expected, 4u);
  EXPECT_THAT(trace.objects()[trace.threads()[worker].object].name, "pool.rec-worker-1");
}

TEST(ThreadPoolTest, WorkersAreStartedOnDemandUpToMax) {
  StartTestRecording();
  std::atomic<int> running{0};
  std::atomic<bool> release{false};
  {
    ThreadPool pool(3, "pool.grow");
    std::vector<Future<void>> futures;
    for (int i = 0; i < 6; ++i) {
      futures.push_back(pool.submit([&] {
        running.fetch_add(1);
        while (!release.load()) std::this_thread::yield();
      }));
    }
    while (running.load() < 3) std::this_thread::yield();
    release.store(true);
    for (Future<void>& f : futures) f.get();
  }
  Trace trace = CollectTrace();
  EXPECT_EQ(trace.threads().size(), 4u);
  for (int i = 1; i <= 3; ++i) {
    EXPECT_NE(FindThread(trace, "pool.grow-worker-" + std::to_string(i)), kNoThread) << i;
  }
}

}  // namespace
}  // namespace harness
