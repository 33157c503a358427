// harness/check/analyze.cc: Analyze().
#include "harness/check/analyze.h"

#include <utility>

#include "harness/check/misuse_detector.h"
#include "harness/check/race_detector.h"
#include "harness/report/dedup.h"

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
  Report report;
  auto append = [&](std::vector<Finding> findings) {
    for (Finding& finding : findings) report.findings.push_back(std::move(finding));
  };
  if (options.misuse) append(FindMisuse(trace));
  if (options.races) append(FindDataRaces(trace));
  if (options.lock_order) {
    bool truncated = false;
    append(FindLockOrderCycles(trace, options.lock_order_options, &truncated));
    report.lock_order_cycles_truncated = truncated;
  }
  Deduplicate(trace, &report);
  if (options.suppressions != nullptr && !options.suppressions->empty()) {
    ApplySuppressions(*options.suppressions, trace, &report);
  }
  return report;
}

}  // namespace harness
