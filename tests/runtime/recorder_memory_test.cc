// The recorder's memory stays bounded however many threads and objects come and go:
// StartRecording() frees the states of exited threads and forgets objects nobody can
// name any more (RecorderStatistics() shows it), and a thread's state is freed only
// once the thread can no longer record, even from thread_local or pthread key
// destructors that run after the harness's own exit hook (ASan checks the frees).
#include <pthread.h>
#include <sys/resource.h>

#include <cstdint>
#include <cstdio>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/harness.h"
#include "tests/testing/trace_testing.h"

namespace harness {
namespace {

using ::testing::ElementsAre;
using trace_testing::BriefEvents;
using trace_testing::FindObject;
using trace_testing::StartTestRecording;

constexpr int kGenerations = 8;
constexpr int kWarmUpGenerations = 2;
constexpr int kThreadsPerGeneration = 300;
constexpr int kBatch = 10;  // threads alive at once
constexpr int kTasksPerGeneration = 3000;
constexpr int kRawThreadsPerGeneration = 20;

// What the test compares across generations. Chunk bytes are bounded instead: a live
// thread keeps one chunk, whose size depends on how much it recorded (how many tasks
// each pool worker happened to run).
std::vector<size_t> Footprint(const runtime::RecorderStats& stats) {
  return {stats.thread_states, stats.exited_thread_states, stats.registered_objects};
}
constexpr size_t kMaxChunkBytes = runtime::kMaxChunkEvents * sizeof(Event);

long MaxRssKiB() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// One generation's work: hundreds of short-lived harness::Thread threads, each with its
// own objects; threads the harness did not start (registered on first use); thousands
// of tasks on a pool that lives across generations.
void OneGeneration(ThreadPool& pool, int generation) {
  Mutex shared_mu("memory.shared_mu");
  Shared<long> total(0, "memory.total");
  for (int first = 0; first < kThreadsPerGeneration; first += kBatch) {
    std::vector<Thread> batch;
    for (int t = first; t < first + kBatch; ++t) {
      batch.emplace_back("memory.thread." + std::to_string(t), [&shared_mu, &total, t] {
        Mutex own("memory.own." + std::to_string(t));
        Shared<int> mine(0, "memory.mine");
        std::lock_guard<Mutex> hold(own);
        mine.store(t);
        std::lock_guard<Mutex> hold_shared(shared_mu);
        total.store(total.load() + 1);
      });
    }
    for (Thread& thread : batch) thread.join();
  }
  for (int r = 0; r < kRawThreadsPerGeneration; ++r) {
    std::thread raw([&shared_mu] {
      std::lock_guard<Mutex> hold(shared_mu);
    });
    raw.join();
  }
  std::vector<Future<int>> results;
  results.reserve(kTasksPerGeneration);
  for (int task = 0; task < kTasksPerGeneration; ++task) {
    results.push_back(pool.submit([generation, task] { return generation + task; }));
  }
  for (int task = 0; task < kTasksPerGeneration; ++task) {
    ASSERT_EQ(results[task].get(), generation + task);
  }
  EXPECT_EQ(total.load(), kThreadsPerGeneration);
}

TEST(RecorderMemoryTest, StatsStayFlatOverGenerationsOfThreadsAndTasks) {
  StartTestRecording();
  ThreadPool pool(4, "memory.pool");
  {
    // The pool starts workers lazily; four tasks that wait for each other make it start
    // all four now, so the footprint is flat from the first generation on.
    Latch all_running(4, "memory.all-running");
    std::vector<Future<void>> warm;
    for (int i = 0; i < 4; ++i) warm.push_back(pool.submit([&] { all_running.arrive_and_wait(); }));
    for (Future<void>& future : warm) future.get();
  }
  std::vector<size_t> flat;
  for (int generation = 0; generation < kGenerations; ++generation) {
    SCOPED_TRACE(generation);
    OneGeneration(pool, generation);

    // Before the next generation, the exited threads' states and the destroyed objects
    // are still held: the current recording names them.
    runtime::RecorderStats during = runtime::RecorderStatistics();
    EXPECT_GE(during.exited_thread_states,
              size_t{kThreadsPerGeneration + kRawThreadsPerGeneration});
    EXPECT_GE(during.registered_objects, size_t{kThreadsPerGeneration * 3 + kTasksPerGeneration});
    Trace trace = CollectTrace();
    ASSERT_TRUE(trace.Validate().ok());
    ASSERT_NE(FindObject(trace, "memory.own.0"), kNoObject);

    StartTestRecording();
    runtime::RecorderStats after = runtime::RecorderStatistics();
    EXPECT_EQ(after.exited_thread_states, 0u);
    EXPECT_LE(after.buffered_chunk_bytes, after.thread_states * kMaxChunkBytes);
    EXPECT_LE(after.pooled_chunk_bytes, 256 * kMaxChunkBytes);
    std::printf("memory: generation %d: %zu thread states (%zu exited), %zu objects, %zu chunk "
                "bytes, %zu pooled (before StartRecording: %zu states, %zu objects); max RSS "
                "%ld KiB\n",
                generation, after.thread_states, after.exited_thread_states,
                after.registered_objects, after.buffered_chunk_bytes, after.pooled_chunk_bytes,
                during.thread_states, during.registered_objects, MaxRssKiB());
    if (generation + 1 == kWarmUpGenerations) {
      flat = Footprint(after);
    } else if (generation + 1 > kWarmUpGenerations) {
      EXPECT_EQ(Footprint(after), flat);
    }
  }
  // What remains is what is alive: main and the pool's 4 workers, and the pool's own
  // objects (its mutex and condition variable, 4 worker thread objects, main's).
  ASSERT_EQ(flat.size(), 3u);
  EXPECT_LE(flat[0], 1u + 4u + 1u);  // (+1: a harness thread of the watchdog, if any)
  EXPECT_LE(flat[2], 16u);
}

// A thread_local made before the thread's first harness event is destroyed after the
// harness's exit hook: a harness object it owns still records its destruction into the
// thread's state, which must still exist, and is then freed by StartRecording.
thread_local std::unique_ptr<Mutex> tls_late_mutex;

TEST(RecorderMemoryTest, ThreadLocalDestroyedAfterExitHookStillRecords) {
  StartTestRecording();
  runtime::RecorderStats before = runtime::RecorderStatistics();
  std::thread raw([] {
    tls_late_mutex.reset();  // constructs the (empty) thread_local before registration
    tls_late_mutex = std::make_unique<Mutex>("memory.late");  // registers the thread
    tls_late_mutex->lock();
    tls_late_mutex->unlock();
  });
  raw.join();
  Trace trace = CollectTrace();
  ObjectId late = FindObject(trace, "memory.late");
  ASSERT_NE(late, kNoObject);
  const ThreadId t = trace.objects()[late].creator;
  ASSERT_NE(t, kNoThread);
  // The destruction comes after the thread's end, which the exit hook recorded.
  EXPECT_THAT(trace_testing::ThreadEvents(trace, t),
              ElementsAre("thread_start #0", "object_create 'memory.late'", "lock 'memory.late' #1",
                          "unlock 'memory.late' #2", "thread_end #2", "object_destroy 'memory.late'"));

  StartTestRecording();
  runtime::RecorderStats after = runtime::RecorderStatistics();
  EXPECT_EQ(after.thread_states, before.thread_states);
  EXPECT_EQ(after.registered_objects, before.registered_objects);
}

// A pthread key destructor runs after the harness retired the thread: what it records
// is dropped (the state may already be freed), and the object it destroys is forgotten.
pthread_key_t g_late_key;

void DestroyLateMutex(void* mutex) { delete static_cast<Mutex*>(mutex); }

// Created after the harness's own key (made when main registered), so glibc runs its
// destructor after the harness's.
void CreateLateKey() {
  static const bool created = [] {
    runtime::CurrentThreadNumber();
    return pthread_key_create(&g_late_key, DestroyLateMutex) == 0;
  }();
  ASSERT_TRUE(created);
}

TEST(RecorderMemoryTest, PthreadKeyDestructorAfterRetirementIsDropped) {
  CreateLateKey();
  StartTestRecording();
  runtime::RecorderStats before = runtime::RecorderStatistics();
  std::thread raw([] {
    auto* mutex = new Mutex("memory.keyed");
    mutex->lock();
    mutex->unlock();
    pthread_setspecific(g_late_key, mutex);
  });
  raw.join();
  Trace trace = CollectTrace();
  ObjectId keyed = FindObject(trace, "memory.keyed");
  ASSERT_NE(keyed, kNoObject);
  const ThreadId t = trace.objects()[keyed].creator;
  EXPECT_THAT(trace_testing::ThreadEvents(trace, t),
              ElementsAre("thread_start #0", "object_create 'memory.keyed'",
                          "lock 'memory.keyed' #1", "unlock 'memory.keyed' #2", "thread_end #2"));

  StartTestRecording();
  runtime::RecorderStats after = runtime::RecorderStatistics();
  EXPECT_EQ(after.thread_states, before.thread_states);
  EXPECT_EQ(after.registered_objects, before.registered_objects);
}

// Threads exiting (through both kinds of late destructors) while another thread keeps
// starting new generations, which free exited threads' states: a state freed while its
// thread could still use it would be a use after free (ASan) or a crash.
TEST(RecorderMemoryTest, StartRecordingWhileThreadsExit) {
  constexpr int kThreads = 200;
  CreateLateKey();
  StartTestRecording();
  runtime::RecorderStats before = runtime::RecorderStatistics();
  std::atomic<bool> done{false};
  std::atomic<int> restarts{0};
  std::thread restarter([&] {
    while (!done.load()) {
      runtime::StartRecording();
      restarts.fetch_add(1);
    }
  });
  for (int i = 0; i < kThreads; ++i) {
    std::thread raw([] {
      tls_late_mutex.reset();
      tls_late_mutex = std::make_unique<Mutex>("memory.exiting.late");
      auto* keyed = new Mutex("memory.exiting.keyed");
      keyed->lock();
      keyed->unlock();
      pthread_setspecific(g_late_key, keyed);
    });
    raw.join();
  }
  done.store(true);
  restarter.join();
  EXPECT_GT(restarts.load(), 0);
  StartTestRecording();
  runtime::RecorderStats after = runtime::RecorderStatistics();
  // The restarter itself registered (StartRecording does not record, but it is a
  // harness thread only if it recorded): at most one more state, now exited and freed.
  EXPECT_EQ(after.thread_states, before.thread_states);
  EXPECT_EQ(after.exited_thread_states, 0u);
  EXPECT_EQ(after.registered_objects, before.registered_objects);
}

}  // namespace
}  // namespace harness
