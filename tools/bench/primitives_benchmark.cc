// tools/bench/primitives_benchmark.cc: what recording costs. Each harness figure sits
// beside the same loop on the raw std type; build with --config=tsan to get the
// ThreadSanitizer figures for the std loops (tools/bench/run_primitives.sh does both).
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "benchmark/benchmark.h"
#include "harness/harness.h"
#include "harness/trace/trace_file.h"

namespace harness {
namespace {

// The recorder keeps every event of a generation; long benchmark runs start a new one
// now and then (outside the timed region) so memory stays bounded: each of N threads
// after 2^22 / N of its iterations. A countdown, so the loop pays one decrement.
class GenerationPacer {
 public:
  explicit GenerationPacer(const benchmark::State& state)
      : period_((uint64_t{1} << 22) / state.threads()), remaining_(period_) {}

  void Tick(benchmark::State& state) {
    if (--remaining_ != 0) return;
    remaining_ = period_;
    state.PauseTiming();
    StartRecording();
    state.ResumeTiming();
  }

 private:
  uint64_t period_;
  uint64_t remaining_;
};

void BM_StdMutex_LockUnlock(benchmark::State& state) {
  struct alignas(64) PaddedMutex {
    std::mutex mutex;
  };
  static PaddedMutex* mutexes = new PaddedMutex[8];
  std::mutex& mu = mutexes[state.thread_index()].mutex;
  for (auto _ : state) {
    mu.lock();
    mu.unlock();
  }
}
BENCHMARK(BM_StdMutex_LockUnlock)->Threads(1)->Threads(2)->Threads(8)->UseRealTime();

void BM_HarnessMutex_LockUnlock(benchmark::State& state) {
  // One per thread, each on its own cache lines, as the std loop's are.
  struct alignas(64) PaddedMutex {
    Mutex mutex;
  };
  static PaddedMutex* mutexes = new PaddedMutex[8];
  Mutex& mu = mutexes[state.thread_index()].mutex;
  GenerationPacer pacer(state);
  for (auto _ : state) {
    pacer.Tick(state);
    mu.lock();
    mu.unlock();
  }
}
BENCHMARK(BM_HarnessMutex_LockUnlock)->Threads(1)->Threads(2)->Threads(8)->UseRealTime();

void BM_PlainInt_ReadWrite(benchmark::State& state) {
  int value = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(value);
    int read = value;
    benchmark::ClobberMemory();
    value = read + 1;
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_PlainInt_ReadWrite);

void BM_SharedInt_ReadWrite(benchmark::State& state) {
  Shared<int> value{0, "value"};
  GenerationPacer pacer(state);
  for (auto _ : state) {
    pacer.Tick(state);
    int read = value.load();
    value.store(read + 1);
  }
}
BENCHMARK(BM_SharedInt_ReadWrite);

void BM_StdAtomic_StoreLoad(benchmark::State& state) {
  std::atomic<int> value{0};
  for (auto _ : state) {
    value.store(1, std::memory_order_release);
    benchmark::DoNotOptimize(value.load(std::memory_order_acquire));
  }
}
BENCHMARK(BM_StdAtomic_StoreLoad);

void BM_HarnessAtomic_StoreLoad(benchmark::State& state) {
  Atomic<int> value{0, "value"};
  GenerationPacer pacer(state);
  for (auto _ : state) {
    pacer.Tick(state);
    value.store(1, std::memory_order_release);
    benchmark::DoNotOptimize(value.load(std::memory_order_acquire));
  }
}
BENCHMARK(BM_HarnessAtomic_StoreLoad);

// Bytes per event: in memory (the recorder's buffers hold Events) and on disk (the
// binary trace file of a recorded run of 1M lock/unlock pairs and 1M accesses).
void BM_TraceBytesPerEvent(benchmark::State& state) {
  for (auto _ : state) {
    StartRecording();
    Mutex mu("mu");
    Shared<int> value{0, "value"};
    for (int i = 0; i < 500000; ++i) {
      mu.lock();
      value.store(i);
      mu.unlock();
    }
    Trace trace = CollectTrace();
    std::string bytes = EncodeTrace(trace);
    state.counters["events"] = static_cast<double>(trace.events().size());
    state.counters["memory_bytes_per_event"] = sizeof(Event);
    state.counters["disk_bytes_per_event"] =
        static_cast<double>(bytes.size()) / static_cast<double>(trace.events().size());
  }
}
BENCHMARK(BM_TraceBytesPerEvent)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace harness

BENCHMARK_MAIN();
