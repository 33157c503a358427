// harness/gtest/finding_matchers.cc: Summarize() and PrintTo().
#include "harness/gtest/finding_matchers.h"

#include <type_traits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "harness/report/symbolizer.h"

namespace harness {
namespace {

class SummaryBuilder {
 public:
  SummaryBuilder(const Trace& trace, FindingSummary* summary)
      : trace_(trace), summary_(summary) {}

  void Site(SiteId site) {
    if (site == kNoSite) return;
    for (const Frame& frame : SiteFrames(trace_, site, ProcessSymbolizer())) {
      if (frame.file.empty()) continue;
      absl::string_view file = frame.file;
      summary_->sites.push_back(absl::StrCat(file, ":", frame.line));
    }
  }
  void Object(ObjectId object) {
    if (object != kNoObject && object < trace_.objects().size()) {
      summary_->objects.push_back(trace_.objects()[object].name);
    }
  }
  void Thread(ThreadId thread) {
    if (thread != kNoThread && thread < trace_.threads().size()) {
      summary_->threads.push_back(trace_.threads()[thread].name);
    }
  }

 private:
  const Trace& trace_;
  FindingSummary* summary_;
};

}  // namespace

FindingSummary Summarize(const Trace& trace, const Finding& finding) {
  FindingSummary summary;
  summary.kind = finding.kind();
  SummaryBuilder add(trace, &summary);
  std::visit(
      [&](const auto& details) {
        using T = std::decay_t<decltype(details)>;
        if constexpr (std::is_same_v<T, DataRace>) {
          for (const MemoryAccess* access : {&details.current, &details.previous}) {
            add.Site(access->site);
            add.Object(access->object);
            add.Thread(access->thread);
          }
        } else if constexpr (std::is_same_v<T, LockOrderCycle>) {
          for (const LockOrderEdge& edge : details.edges) {
            add.Site(edge.from_site);
            add.Site(edge.to_site);
            add.Object(edge.from);
            add.Thread(edge.thread);
          }
        } else if constexpr (std::is_same_v<T, Misuse>) {
          summary.misuse = details.kind;
          add.Site(details.site);
          add.Site(details.other_site);
          add.Object(details.object);
          add.Thread(details.thread);
          add.Thread(details.other_thread);
        } else {
          for (const BlockedThread& blocked : details.threads) {
            add.Site(blocked.site);
            add.Site(blocked.holder_site);
            add.Object(blocked.waits_for);
            add.Thread(blocked.thread);
          }
        }
      },
      finding.details);
  return summary;
}

void PrintTo(const FindingSummary& summary, std::ostream* out) {
  *out << FindingKindName(summary.kind);
  if (summary.misuse.has_value()) *out << " (" << MisuseKindName(*summary.misuse) << ")";
  *out << " at [" << absl::StrJoin(summary.sites, ", ") << "], objects ["
       << absl::StrJoin(summary.objects, ", ") << "], threads ["
       << absl::StrJoin(summary.threads, ", ") << "]";
}

}  // namespace harness
