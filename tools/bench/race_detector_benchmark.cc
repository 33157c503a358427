// tools/bench/race_detector_benchmark.cc: throughput of the happens-before race analysis
// on seeded synthetic traces (8 threads, mutexes guarding variables, thread-private
// data, read-shared configuration, atomics with release/acquire and relaxed counters,
// and a few unguarded racy accesses), at 1M and 10M events. Linear time shows as the
// same events/second at both sizes.
//
//   bazel run -c opt //tools/bench:race_detector_benchmark
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <vector>

#include "benchmark/benchmark.h"
#include "harness/check/analyze.h"
#include "harness/check/race_detector.h"
#include "harness/trace/trace.h"

namespace harness {
namespace {

constexpr int kThreads = 8;
constexpr int kMutexes = 16;
constexpr int kGuardedPerMutex = 64;  // 8-byte variables each mutex guards
constexpr int kPrivatePerThread = 32;
constexpr int kConfig = 8;  // read by everyone, written once at the start
constexpr int kRacy = 8;    // touched without synchronization now and then
constexpr int kFlags = 4;   // atomics used for release/acquire publication
constexpr uint64_t kSeed = 0x5eed2024;

constexpr uint64_t kGuardedBase = 0x10000000;
constexpr uint64_t kPrivateBase = 0x20000000;
constexpr uint64_t kConfigBase = 0x30000000;
constexpr uint64_t kRacyBase = 0x40000000;
constexpr uint64_t kFlagBase = 0x50000000;
constexpr uint64_t kPublishedBase = 0x60000000;  // one per flag, written before release

class Generator {
 public:
  explicit Generator(size_t event_count) : random_(kSeed) {
    for (int s = 0; s < 256; ++s) {
      SiteInfo site;
      site.file = "synthetic.cc";
      site.function = "Work";
      site.line = static_cast<uint32_t>(s + 1);
      trace_.AddSite(site);
    }
    for (int t = 0; t < kThreads; ++t) {
      ObjectInfo info;
      info.kind = ObjectKind::kThread;
      thread_objects_.push_back(trace_.AddObject(info));
      ThreadInfo thread;
      thread.object = thread_objects_.back();
      trace_.AddThread(thread);
    }
    for (int m = 0; m < kMutexes; ++m) mutexes_.push_back(AddObject(ObjectKind::kMutex, 0, 0));
    for (int f = 0; f < kFlags; ++f) {
      flags_.push_back(AddObject(ObjectKind::kAtomic, kFlagBase + 8 * f, 4));
      AddObject(ObjectKind::kSharedVariable, kPublishedBase + 8 * f, 8);
    }
    counter_ = AddObject(ObjectKind::kAtomic, kFlagBase + 0x1000, 8);
    for (int m = 0; m < kMutexes * kGuardedPerMutex; ++m) {
      AddObject(ObjectKind::kSharedVariable, kGuardedBase + 8 * m, 8);
    }
    versions_.assign(trace_.objects().size(), 0);
    trace_.mutable_events().reserve(event_count + 64);

    // main writes the configuration, then starts the others.
    for (int c = 0; c < kConfig; ++c) Access(0, EventKind::kWrite, kConfigBase + 8 * c, 8, 1);
    for (int t = 1; t < kThreads; ++t) {
      Produce(0, EventKind::kThreadCreate, thread_objects_[t], 0, 2);
      Observe(static_cast<ThreadId>(t), EventKind::kThreadStart, thread_objects_[t], 2);
    }
    while (trace_.events().size() + 2 * kThreads < event_count) Step();
    for (int t = 1; t < kThreads; ++t) {
      Produce(static_cast<ThreadId>(t), EventKind::kThreadEnd, thread_objects_[t], 0, 2);
      Observe(0, EventKind::kThreadJoin, thread_objects_[t], 3);
    }
  }

  Trace Take() { return std::move(trace_); }

 private:
  ObjectId AddObject(ObjectKind kind, uint64_t address, uint64_t size) {
    ObjectInfo info;
    info.kind = kind;
    info.address = address;
    info.size = size;
    return trace_.AddObject(info);
  }

  uint32_t Below(uint32_t n) { return static_cast<uint32_t>(random_() % n); }

  void Emit(ThreadId t, Event e) {
    e.thread = t;
    trace_.AddEvent(e);
  }
  void Access(ThreadId t, EventKind kind, uint64_t address, uint64_t size, SiteId site) {
    Emit(t, Event::Access(kind, site, address, size));
  }
  void Produce(ThreadId t, EventKind kind, ObjectId object, uint8_t detail, SiteId site) {
    Emit(t, Event::Sync(kind, detail, site, object, ++versions_[object]));
  }
  void Observe(ThreadId t, EventKind kind, ObjectId object, SiteId site, uint8_t detail = 0) {
    Emit(t, Event::Sync(kind, detail, site, object, versions_[object]));
  }

  // One block of one thread's work; blocks do not interleave, so the order is merged.
  void Step() {
    ThreadId t = static_cast<ThreadId>(Below(kThreads));
    uint32_t what = Below(1000);
    if (what < 450) {  // critical section on the variables a mutex guards
      uint32_t m = Below(kMutexes);
      Produce(t, EventKind::kLock, mutexes_[m], 0, static_cast<SiteId>(10 + m));
      int accesses = 2 + static_cast<int>(Below(6));
      for (int i = 0; i < accesses; ++i) {
        uint32_t v = Below(kGuardedPerMutex);
        bool write = Below(3) == 0;
        Access(t, write ? EventKind::kWrite : EventKind::kRead,
               kGuardedBase + 8 * (m * kGuardedPerMutex + v), 8,
               static_cast<SiteId>(40 + (write ? 16 : 0) + v % 16));
      }
      Produce(t, EventKind::kUnlock, mutexes_[m], 0, static_cast<SiteId>(10 + m));
    } else if (what < 750) {  // thread-private data: mostly same-epoch accesses
      for (int i = 0; i < 4; ++i) {
        uint64_t v = Below(kPrivatePerThread);
        Access(t, Below(2) == 0 ? EventKind::kWrite : EventKind::kRead,
               kPrivateBase + 0x10000 * t + 8 * v, 8, static_cast<SiteId>(80 + i));
      }
    } else if (what < 900) {  // read-shared configuration
      uint64_t c = Below(kConfig);
      Access(t, EventKind::kRead, kConfigBase + 8 * c, 8, static_cast<SiteId>(90 + c));
    } else if (what < 940) {  // publish through a flag: write, release store
      uint32_t f = Below(kFlags);
      Access(t, EventKind::kWrite, kPublishedBase + 8 * f, 8, static_cast<SiteId>(100 + f));
      Produce(t, EventKind::kAtomicStore, flags_[f], static_cast<uint8_t>(MemoryOrder::kRelease),
              static_cast<SiteId>(110 + f));
    } else if (what < 980) {  // consume a flag: acquire load, read what it published
      uint32_t f = Below(kFlags);
      Observe(t, EventKind::kAtomicLoad, flags_[f], static_cast<SiteId>(120 + f),
              static_cast<uint8_t>(MemoryOrder::kAcquire));
      Access(t, EventKind::kRead, kPublishedBase + 8 * f, 8, static_cast<SiteId>(130 + f));
    } else if (what < 995) {  // relaxed statistics counter
      Produce(t, EventKind::kAtomicReadModifyWrite, counter_,
              static_cast<uint8_t>(MemoryOrder::kRelaxed), 140);
    } else {  // the bug: an unguarded access
      uint64_t r = Below(kRacy);
      Access(t, Below(2) == 0 ? EventKind::kWrite : EventKind::kRead, kRacyBase + 8 * r, 8,
             static_cast<SiteId>(150 + r + 8 * Below(4)));
    }
  }

  std::mt19937_64 random_;
  Trace trace_;
  std::vector<ObjectId> thread_objects_;
  std::vector<ObjectId> mutexes_;
  std::vector<ObjectId> flags_;
  ObjectId counter_ = kNoObject;
  std::vector<uint32_t> versions_;
};

const Trace& GeneratedTrace(size_t events) {
  static auto* cache = new std::map<size_t, std::unique_ptr<Trace>>();
  std::unique_ptr<Trace>& trace = (*cache)[events];
  if (trace == nullptr) trace = std::make_unique<Trace>(Generator(events).Take());
  return *trace;
}

void Report(benchmark::State& state, const Trace& trace, size_t findings) {
  double events = static_cast<double>(trace.events().size());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * trace.events().size()));
  state.counters["events"] = events;
  state.counters["events_per_second"] = benchmark::Counter(
      events * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["ns_per_event"] = benchmark::Counter(
      events * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert, benchmark::Counter::kIs1000);
  state.counters["findings"] = static_cast<double>(findings);
}

// The whole analysis as tests run it: plan pass, then detector pass.
void BM_FindDataRaces(benchmark::State& state) {
  const Trace& trace = GeneratedTrace(static_cast<size_t>(state.range(0)));
  size_t findings = 0;
  for (auto _ : state) {
    std::vector<Finding> result = FindDataRaces(trace);
    findings = result.size();
    benchmark::DoNotOptimize(result.data());
  }
  Report(state, trace, findings);
}
BENCHMARK(BM_FindDataRaces)
    ->Arg(1'000'000)
    ->Arg(10'000'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// One pass, event by event, as a streaming trace_check does without a plan.
void BM_StreamingProcess(benchmark::State& state) {
  const Trace& trace = GeneratedTrace(static_cast<size_t>(state.range(0)));
  size_t findings = 0;
  for (auto _ : state) {
    RaceDetector detector(trace);
    for (const Event& e : trace.events()) detector.Process(e);
    findings = detector.findings().size();
    benchmark::DoNotOptimize(findings);
  }
  Report(state, trace, findings);
}
BENCHMARK(BM_StreamingProcess)
    ->Arg(1'000'000)
    ->Arg(10'000'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Every analysis a test runs at its end: misuse, races, lock order, dedup.
void BM_AnalyzeAll(benchmark::State& state) {
  const Trace& trace = GeneratedTrace(static_cast<size_t>(state.range(0)));
  size_t findings = 0;
  for (auto _ : state) {
    harness::Report report = Analyze(trace, AnalysisOptions{});
    findings = report.findings.size();
    benchmark::DoNotOptimize(findings);
  }
  Report(state, trace, findings);
}
BENCHMARK(BM_AnalyzeAll)
    ->Arg(1'000'000)
    ->Arg(10'000'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace harness

BENCHMARK_MAIN();
