// harness/check/analyze.h: all analyses over one trace, giving one Report: data races,
// lock-order cycles and misuse, deduplicated, with suppressions applied.
#ifndef HARNESS_CHECK_ANALYZE_H_
#define HARNESS_CHECK_ANALYZE_H_

#include "harness/check/lock_order_graph.h"
#include "harness/report/finding.h"
#include "harness/report/suppressions.h"
#include "harness/runtime/options.h"
#include "harness/trace/trace.h"

namespace harness {

struct AnalysisOptions {
  bool races = true;
  bool lock_order = true;
  bool misuse = true;
  LockOrderOptions lock_order_options;
  // Findings these match are removed and counted in Report::suppressed. Not owned.
  const Suppressions* suppressions = nullptr;
};

// The analysis options HARNESS_OPTIONS asks for (analyses, max_cycle_length,
// lock_classes). Suppressions are loaded separately (LoadSuppressionsFile).
AnalysisOptions AnalysisOptionsFrom(const Options& options);

// Analyze()
// Runs the chosen analyses over `trace` and returns their findings in this order:
// misuse, data races, lock-order cycles (each in trace order; cycles shortest first),
// with repeats merged (Finding::count) and suppressed findings removed and counted.
// A StreamingAnalyzer (streaming_analyzer.h) over the whole trace, with an exact
// ObservationPlan.
Report Analyze(const Trace& trace, const AnalysisOptions& options);

}  // namespace harness

#endif  // HARNESS_CHECK_ANALYZE_H_
