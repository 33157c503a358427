// harness/report/dedup.cc
#include "harness/report/dedup.h"

#include <algorithm>
#include <utility>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace harness {

namespace {

// The same key for the same object in every iteration (see the header). Lengths make
// the keys unambiguous whatever the names contain.
std::string ObjectKey(const Trace& trace, ObjectId object) {
  if (object == kNoObject) return "-";
  if (object >= trace.objects().size()) return absl::StrCat("#", object);
  const ObjectInfo& info = trace.objects()[object];
  if (info.name.empty() && info.creation_site == kNoSite) return absl::StrCat("#", object);
  return absl::StrCat(static_cast<int>(info.kind), "/", info.name.size(), ":", info.name, "/",
                      info.creation_site);
}

std::string SiteKey(SiteId site) { return site == kNoSite ? "-" : absl::StrCat(site); }

}  // namespace

std::string FindingIdentity(const Trace& trace, const Finding& finding) {
  return std::visit(
      [&](const auto& details) -> std::string {
        using T = std::decay_t<decltype(details)>;
        if constexpr (std::is_same_v<T, DataRace>) {
          std::string a = absl::StrCat(SiteKey(details.current.site), "@",
                                       ObjectKey(trace, details.current.object));
          std::string b = absl::StrCat(SiteKey(details.previous.site), "@",
                                       ObjectKey(trace, details.previous.object));
          if (b < a) std::swap(a, b);
          return absl::StrCat("race|", a, "|", b);
        } else if constexpr (std::is_same_v<T, LockOrderCycle>) {
          std::vector<std::string> edges;
          for (const LockOrderEdge& edge : details.edges) {
            edges.push_back(absl::StrCat(ObjectKey(trace, edge.from), ">",
                                         ObjectKey(trace, edge.to), "@", SiteKey(edge.to_site)));
          }
          std::sort(edges.begin(), edges.end());
          return absl::StrCat("cycle|", absl::StrJoin(edges, "|"));
        } else if constexpr (std::is_same_v<T, Misuse>) {
          return absl::StrCat("misuse|", static_cast<int>(details.kind), "|",
                              ObjectKey(trace, details.object), "|", SiteKey(details.site));
        } else {
          std::vector<std::string> blocked;
          for (const BlockedThread& b : details.threads) {
            blocked.push_back(
                absl::StrCat(ObjectKey(trace, b.waits_for), "@", SiteKey(b.site)));
          }
          std::sort(blocked.begin(), blocked.end());
          return absl::StrCat("deadlock|", details.lost_wakeup ? 1 : 0, "|",
                              absl::StrJoin(blocked, "|"));
        }
      },
      finding.details);
}

void Deduplicate(const Trace& trace, Report* report) {
  absl::flat_hash_map<std::string, size_t> first;  // identity -> index in `merged`
  std::vector<Finding> merged;
  merged.reserve(report->findings.size());
  for (Finding& finding : report->findings) {
    auto [it, inserted] = first.try_emplace(FindingIdentity(trace, finding), merged.size());
    if (inserted) {
      merged.push_back(std::move(finding));
    } else {
      merged[it->second].count += finding.count;
    }
  }
  report->findings = std::move(merged);
}

}  // namespace harness
