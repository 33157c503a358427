// harness/trace/trace_listing.cc: TraceListing().
#include "harness/trace/trace_listing.h"

#include <array>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace harness {
namespace {

std::string SiteText(const Trace& trace, SiteId site) {
  if (site == kNoSite || site >= trace.sites().size()) return "?";
  const SiteInfo& info = trace.sites()[site];
  return absl::StrCat(info.file, ":", info.line);
}

}  // namespace

std::string TraceListing(const Trace& trace, size_t max_events) {
  std::string text;
  absl::StrAppend(&text, "threads:\n");
  for (size_t t = 0; t < trace.threads().size(); ++t) {
    const ThreadInfo& thread = trace.threads()[t];
    absl::StrAppend(&text, "  ", trace.ThreadLabel(static_cast<ThreadId>(t)));
    if (thread.parent != kNoThread) {
      absl::StrAppend(&text, " created by ", trace.ThreadLabel(thread.parent), " at ",
                      SiteText(trace, thread.creation_site));
    }
    absl::StrAppend(&text, "\n");
  }
  absl::StrAppend(&text, "objects:\n");
  for (size_t o = 0; o < trace.objects().size(); ++o) {
    const ObjectInfo& object = trace.objects()[o];
    absl::StrAppend(&text, "  ", trace.ObjectLabel(static_cast<ObjectId>(o)), ": ",
                    ObjectKindName(object.kind), " created at ",
                    SiteText(trace, object.creation_site), "\n");
  }
  absl::StrAppendFormat(&text, "events (%d):\n", trace.events().size());
  std::array<size_t, kEventKindCount> per_kind{};
  for (size_t i = 0; i < trace.events().size(); ++i) {
    const Event& event = trace.events()[i];
    ++per_kind[static_cast<size_t>(event.kind) % kEventKindCount];
    if (i < max_events) absl::StrAppend(&text, "  ", trace.Describe(event), "\n");
  }
  if (trace.events().size() > max_events) {
    absl::StrAppendFormat(&text, "  ... %d more\n", trace.events().size() - max_events);
  }
  absl::StrAppend(&text, "events per kind:");
  for (int kind = 0; kind < kEventKindCount; ++kind) {
    if (per_kind[kind] == 0) continue;
    absl::StrAppend(&text, " ", EventKindName(static_cast<EventKind>(kind)), "=", per_kind[kind]);
  }
  absl::StrAppend(&text, "\n");
  if (trace.ordering_gaps() > 0) {
    absl::StrAppend(&text, "ordering gaps: ", trace.ordering_gaps(), "\n");
  }
  return text;
}

}  // namespace harness
