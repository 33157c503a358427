// harness/check/streaming_analyzer.h: all analyses (misuse, data races, lock order) fed
// with events in batches, for traces too large to hold in memory: a trace file read in
// chunks, or an STD text file whose tables of threads, locks and variables grow as it is
// read. Analyze() (analyze.h) is this analyzer over a whole in-memory trace, so both go
// through one code path and give the same report.
#ifndef HARNESS_CHECK_STREAMING_ANALYZER_H_
#define HARNESS_CHECK_STREAMING_ANALYZER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "harness/check/analyze.h"
#include "harness/check/lock_order_graph.h"
#include "harness/check/misuse_detector.h"
#include "harness/check/race_detector.h"
#include "harness/report/finding.h"
#include "harness/trace/trace.h"

namespace harness {

// NeedsObservationPlan()
// Whether an exact race analysis of a stream of events over these tables needs an
// ObservationPlan pass first: true when the tables hold objects whose observers may see
// a version older than the newest one merged before them (atomics, condition variables,
// promises, latches, barriers, semaphores, once flags). Threads and mutexes never need
// one, so neither do STD traces.
bool NeedsObservationPlan(const Trace& tables);

class StreamingAnalyzer {
 public:
  // `tables` gives the threads, objects and sites the events refer to (its events are
  // not read). It must outlive the analyzer, and may grow between calls to Process() as
  // long as entries already there do not change. `plan` (races only): an
  // ObservationPlan that has seen every event Process() will see, in the same order;
  // without one the race detector keeps a fixed history per object (exact whenever
  // NeedsObservationPlan(tables) is false). options.suppressions must outlive Finish().
  StreamingAnalyzer(const Trace& tables, const AnalysisOptions& options,
                    std::optional<ObservationPlan> plan = std::nullopt);
  ~StreamingAnalyzer();

  StreamingAnalyzer(const StreamingAnalyzer&) = delete;
  StreamingAnalyzer& operator=(const StreamingAnalyzer&) = delete;

  // StreamingAnalyzer::Process()
  // Analyses the next events in merged order (Trace::events()); event indices in
  // findings count from the first event of the first batch. Every thread, object and
  // site they refer to must be in the tables by now.
  void Process(std::span<const Event> events);

  uint64_t events_processed() const { return events_processed_; }

  // StreamingAnalyzer::Finish()
  // The report of everything processed, as Analyze() gives it for the same events:
  // misuse, data races, lock-order cycles (shortest first), repeats merged, suppressed
  // findings removed and counted. Call once, after the last Process().
  Report Finish();

  // StreamingAnalyzer::LockOrderEdges()
  // The lock-order graph so far, one edge (its first instance) per (from, to) pair of
  // locks, ordered by (from, to); empty when the lock-order analysis is off. For
  // DotPrinter::PrintLockOrderGraph().
  std::vector<LockOrderEdge> LockOrderEdges() const;

 private:
  const Trace& tables_;
  AnalysisOptions options_;
  std::unique_ptr<MisuseDetector> misuse_;
  std::unique_ptr<RaceDetector> races_;
  std::unique_ptr<LockOrderGraph> lock_order_;
  uint64_t events_processed_ = 0;
  std::vector<size_t> not_accesses_;  // positions in the batch being processed
  size_t not_accesses_count_ = 0;
};

}  // namespace harness

#endif  // HARNESS_CHECK_STREAMING_ANALYZER_H_
