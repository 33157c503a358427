// harness/check/streaming_analyzer.cc: StreamingAnalyzer.
#include "harness/check/streaming_analyzer.h"

#include <algorithm>
#include <utility>

#include "harness/report/dedup.h"

namespace harness {

bool NeedsObservationPlan(const Trace& tables) {
  for (const ObjectInfo& object : tables.objects()) {
    switch (object.kind) {
      case ObjectKind::kAtomic:
      case ObjectKind::kConditionVariable:
      case ObjectKind::kPromise:
      case ObjectKind::kLatch:
      case ObjectKind::kBarrier:
      case ObjectKind::kSemaphore:
      case ObjectKind::kOnceFlag:
        return true;
      default:
        break;
    }
  }
  return false;
}

StreamingAnalyzer::StreamingAnalyzer(const Trace& tables, const AnalysisOptions& options,
                                     std::optional<ObservationPlan> plan)
    : tables_(tables), options_(options) {
  if (options_.misuse) misuse_ = std::make_unique<MisuseDetector>(tables);
  if (options_.races) {
    races_ = plan.has_value() ? std::make_unique<RaceDetector>(tables, std::move(*plan))
                              : std::make_unique<RaceDetector>(tables);
  }
  if (options_.lock_order) {
    lock_order_ = std::make_unique<LockOrderGraph>(tables, options_.lock_order_options);
  }
}

StreamingAnalyzer::~StreamingAnalyzer() = default;

void StreamingAnalyzer::Process(std::span<const Event> events) {
  // One analysis at a time over the batch: each keeps its own state hot in cache. The
  // misuse and lock-order analyses ignore plain memory accesses, most of a trace: they
  // see only the others, found once per batch without a branch per event (the kinds
  // come in no predictable order).
  const size_t base = events_processed_;
  if (misuse_ != nullptr || lock_order_ != nullptr) {
    // Sized once for the largest batch (not zero-filled again for every batch).
    if (not_accesses_.size() < events.size()) not_accesses_.resize(events.size());
    size_t count = 0;
    for (size_t i = 0; i < events.size(); ++i) {
      not_accesses_[count] = i;
      count += !IsMemoryAccess(events[i].kind);
    }
    not_accesses_count_ = count;
  }
  const std::span<const size_t> not_accesses(not_accesses_.data(), not_accesses_count_);
  if (misuse_ != nullptr) {
    for (size_t i : not_accesses) misuse_->Process(base + i, events[i]);
  }
  if (races_ != nullptr) {
    races_->Process(events);
  }
  if (lock_order_ != nullptr) {
    for (size_t i : not_accesses) lock_order_->Process(base + i, events[i]);
  }
  events_processed_ += events.size();
}

Report StreamingAnalyzer::Finish() {
  Report report;
  auto append = [&](std::vector<Finding> findings) {
    for (Finding& finding : findings) report.findings.push_back(std::move(finding));
  };
  if (misuse_ != nullptr) append(misuse_->TakeFindings());
  if (races_ != nullptr) append(races_->TakeFindings());
  if (lock_order_ != nullptr) {
    LockOrderGraph::Cycles cycles = lock_order_->FindCycles();
    for (LockOrderCycle& cycle : cycles.cycles) {
      report.findings.push_back(Finding{std::move(cycle), 1});
    }
    report.lock_order_cycles_truncated = cycles.truncated;
  }
  Deduplicate(tables_, &report);
  if (options_.suppressions != nullptr && !options_.suppressions->empty()) {
    ApplySuppressions(*options_.suppressions, tables_, &report);
  }
  return report;
}

std::vector<LockOrderEdge> StreamingAnalyzer::LockOrderEdges() const {
  std::vector<LockOrderEdge> edges;
  if (lock_order_ == nullptr) return edges;
  for (const auto& [pair, instances] : lock_order_->edges()) {
    if (!instances.empty()) edges.push_back(instances.front().edge);
  }
  std::sort(edges.begin(), edges.end(), [](const LockOrderEdge& a, const LockOrderEdge& b) {
    return a.from != b.from ? a.from < b.from : a.to < b.to;
  });
  return edges;
}

}  // namespace harness
