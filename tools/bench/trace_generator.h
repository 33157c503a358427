// tools/bench/trace_generator.h: a seeded generator of large synthetic traces, written
// both as RAPID's STD text and as the harness's binary trace file, for the trace_check
// benchmark. The workload: a main thread forks the others and joins them at the end;
// in between, threads run blocks of work in random order: critical sections over the
// variables a lock guards (some nested, always in one lock order), thread-private data,
// read-shared configuration, and a share of unguarded accesses to racy variables; one
// lock-order inversion between T1 and T2 at the start.
#ifndef TOOLS_BENCH_TRACE_GENERATOR_H_
#define TOOLS_BENCH_TRACE_GENERATOR_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"

namespace harness {

struct TraceShape {
  uint64_t events = 1'000'000;  // STD lines (the binary file has a few more events)
  int threads = 8;
  int locks = 32;
  int variables = 10'000;     // guarded, spread evenly over the locks
  int private_variables = 64; // per thread
  double racy_share = 0.01;   // share of work blocks that touch racy variables unguarded
  uint64_t seed = 0x5eed2024;
};

// WriteGeneratedTraces()
// Generates one trace of `shape` and writes it to `std_path` (STD text) and
// `binary_path` (binary trace file), streaming: memory stays small whatever the size.
// Either path may be empty to skip that file.
absl::Status WriteGeneratedTraces(const TraceShape& shape, const std::string& std_path,
                                  const std::string& binary_path);

}  // namespace harness

#endif  // TOOLS_BENCH_TRACE_GENERATOR_H_
