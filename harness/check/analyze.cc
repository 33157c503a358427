// harness/check/analyze.cc: Analyze().
#include "harness/check/analyze.h"

#include <optional>
#include <utility>

#include "harness/check/race_detector.h"
#include "harness/check/streaming_analyzer.h"

namespace harness {

AnalysisOptions AnalysisOptionsFrom(const Options& options) {
  AnalysisOptions result;
  result.races = options.races;
  result.lock_order = options.lock_order;
  result.misuse = options.misuse;
  result.lock_order_options.max_cycle_length = options.max_cycle_length;
  result.lock_order_options.lock_classes_by_site = options.lock_classes;
  return result;
}

Report Analyze(const Trace& trace, const AnalysisOptions& options) {
  // The whole trace is here, so the race detector gets an exact plan of the clocks its
  // stale observers need.
  std::optional<ObservationPlan> plan;
  if (options.races) {
    plan.emplace();
    for (const Event& event : trace.events()) plan->Add(event);
  }
  StreamingAnalyzer analyzer(trace, options, std::move(plan));
  analyzer.Process(trace.events());
  return analyzer.Finish();
}

}  // namespace harness
