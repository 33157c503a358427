// tests/fuzz/make_binary_trace_seeds.cc: writes the seed corpus of the binary trace
// reader fuzzer (tests/fuzz/corpus/binary_trace_reader/): small valid traces (empty,
// built by hand, recorded from a tiny program) and corrupt variants of the built one,
// each damaged in one field. Seeds are committed; rerun only to refresh them:
//
//   bazel run //tests/fuzz:make_binary_trace_seeds -- "$PWD/tests/fuzz/corpus/binary_trace_reader"
//
// binary_trace_seeds_test asserts what each seed decodes to.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <string>

#include "harness/harness.h"
#include "harness/trace/trace_file.h"
#include "tests/testing/trace_builder.h"

namespace harness {
namespace {

// Two threads, a mutex, a shared counter, an atomic flag and a condition variable, with
// the usual create / join edges: about 40 events, every table filled.
Trace RecordTinyProgram() {
  runtime::CurrentThreadNumber();  // main registers before the recording starts
  StartRecording();
  {
    Mutex mu("seed.mu");
    CondVar ready_cv;
    Shared<int> counter(0, "seed.counter");
    Atomic<bool> ready(false, "seed.ready");
    Thread producer("seed.producer", [&] {
      std::lock_guard<Mutex> hold(mu);
      counter.store(counter.load() + 1);
      ready.store(true, std::memory_order_release);
      ready_cv.notify_one();
    });
    Thread consumer("seed.consumer", [&] {
      std::unique_lock<Mutex> hold(mu);
      ready_cv.wait(hold, [&] { return ready.load(std::memory_order_acquire); });
      counter.store(counter.load() + 1);
    });
    producer.join();
    consumer.join();
  }
  return CollectTrace();
}

// Every kind of table entry, written by hand: sites with and without a stack, a thread
// with a parent, memory and sync objects, sync events and accesses.
Trace BuildTrace() {
  trace_testing::TraceBuilder b;
  ThreadId main_thread = b.Thread("main");
  ThreadId worker = b.Thread("worker", main_thread);
  ObjectId mu = b.Mutex("mu", 3);
  ObjectId var = b.Object(ObjectKind::kSharedVariable, "var", 0x1000, 8, 4);
  b.Spawn(main_thread, worker, 5);
  b.Lock(worker, mu, 6);
  b.Access(worker, EventKind::kWrite, 0x1000, 8, 7);
  b.Unlock(worker, mu, 8);
  b.Join(main_thread, worker, 9);
  b.Access(main_thread, EventKind::kRead, 0x1000, 8, 10);
  (void)var;
  Trace trace = b.trace();
  SiteInfo with_stack;
  with_stack.file = "stack.cc";
  with_stack.function = "WithStack()";
  with_stack.line = 1;
  with_stack.stack = {0x401000, 0x402000};
  trace.AddSite(with_stack);
  return trace;
}

bool Write(const std::string& dir, const std::string& name, const std::string& bytes) {
  std::ofstream out(dir + "/" + name, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) std::fprintf(stderr, "cannot write %s/%s\n", dir.c_str(), name.c_str());
  return static_cast<bool>(out);
}

void StoreLittle64(std::string& bytes, size_t at, uint64_t value) {
  for (int i = 0; i < 8; ++i) bytes[at + i] = static_cast<char>(value >> (8 * i));
}

int Main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const Trace built = BuildTrace();
  const std::string good = EncodeTrace(built);
  // The events are the last table, before the 8-byte trailer.
  const size_t events = good.size() - 8 - 16 * built.events().size();
  const size_t event_count = events - 8;
  bool ok = Write(dir, "valid-empty.trace", EncodeTrace(Trace())) &&
            Write(dir, "valid-built.trace", good) &&
            Write(dir, "valid-recorded.trace", EncodeTrace(RecordTinyProgram())) &&
            Write(dir, "truncated-empty.trace", "") &&
            Write(dir, "truncated-magic.trace", good.substr(0, 6)) &&
            Write(dir, "truncated-events.trace", good.substr(0, events + 20));
  std::string bad = good;
  bad[0] = 'X';
  ok = ok && Write(dir, "bad-magic.trace", bad);
  bad = good;
  bad[8] = 7;
  ok = ok && Write(dir, "bad-version.trace", bad);
  bad = good;
  bad[12] = 1;
  ok = ok && Write(dir, "unknown-flags.trace", bad);
  bad = good;
  bad[events] = 99;  // kind of event 0
  ok = ok && Write(dir, "unknown-event-kind.trace", bad);
  bad = good;
  bad[events + 2] = 77;  // thread of event 0
  ok = ok && Write(dir, "missing-thread.trace", bad);
  bad = good;
  StoreLittle64(bad, event_count, uint64_t{1} << 60);
  ok = ok && Write(dir, "huge-event-count.trace", bad);
  ok = ok && Write(dir, "trailing-bytes.trace", good + "xyz");
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace harness

int main(int argc, char** argv) { return harness::Main(argc, argv); }
