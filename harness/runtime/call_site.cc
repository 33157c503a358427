// harness/runtime/call_site.cc: the global site table behind CallSiteId().
#include "harness/runtime/call_site.h"

#include <mutex>
#include <string>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/debugging/stacktrace.h"
#include "absl/hash/hash.h"
#include "absl/strings/match.h"
#include "harness/runtime/hidden_from_tsan.h"
#include "harness/runtime/options.h"

namespace harness::runtime {

constinit thread_local SiteCacheEntry tls_site_cache[kSiteCacheSize];

namespace {

using SiteKey = std::tuple<std::string, std::string, uint32_t, uint32_t, std::vector<uint64_t>>;

// Sites are code locations and so bounded in number; the table lives for the process.
// std::mutex, not absl::Mutex, so ThreadSanitizer builds see the harness's own locking.
struct SiteTable {
  std::mutex mutex;
  std::vector<SiteInfo> sites;
  absl::flat_hash_map<SiteKey, SiteId> index;
};

SiteTable& Table() {
  static SiteTable* table = new SiteTable;
  return *table;
}

// A location inside the C++ standard library (std::lock_guard's constructor calling
// Mutex::lock) or inside the harness's own wrappers (operators, which cannot take a
// source_location parameter) does not name the user's line: such sites take a stack.
bool IsLibraryLocation(const char* file) {
  return absl::StartsWith(file, "/usr/include/") || absl::StrContains(file, "/c++/") ||
         absl::StrContains(file, "harness/sync/");
}

constexpr int kLibrarySiteStackDepth = 12;

// Per-thread cache of stack-carrying sites: (location key, stack) -> site.
struct StackSiteCache {
  absl::flat_hash_map<std::pair<const void*, std::vector<uint64_t>>, SiteId> sites;
};
thread_local StackSiteCache tls_stack_sites;

}  // namespace

SiteId InternSite(const SiteInfo& site) {
  SiteTable& table = Table();
  std::lock_guard<std::mutex> hold(table.mutex);
  SiteKey key{site.file, site.function, site.line, site.column, site.stack};
  auto [it, inserted] = table.index.try_emplace(std::move(key), 0);
  if (inserted) {
    it->second = static_cast<SiteId>(table.sites.size());
    table.sites.push_back(site);
  }
  return it->second;
}

SiteId CallSiteIdSlow(const std::source_location& location) {
  HiddenFromThreadSanitizer hidden;
  const void* key = SourceLocationKey(location);
  int depth = GetOptions().stack_depth;
  if (depth == 0 && IsLibraryLocation(location.file_name())) depth = kLibrarySiteStackDepth;

  SiteInfo site;
  site.file = location.file_name();
  site.function = location.function_name();
  site.line = location.line();
  site.column = location.column();
  if (depth == 0) {
    SiteId id = InternSite(site);
    tls_site_cache[(reinterpret_cast<uintptr_t>(key) >> 4) & (kSiteCacheSize - 1)] = {key, id};
    return id;
  }

  // Stack-carrying sites are never put in the direct cache: every call may have come
  // along another path.
  void* frames[64];
  // No frames skipped: Debian's Abseil already skips one more than asked, and reports
  // drop the harness's own frames anyway.
  int count = absl::GetStackTrace(frames, depth, /*skip_count=*/0);
  site.stack.reserve(count);
  for (int i = 0; i < count; ++i) site.stack.push_back(reinterpret_cast<uint64_t>(frames[i]));
  auto cache_key = std::make_pair(key, site.stack);
  if (auto it = tls_stack_sites.sites.find(cache_key); it != tls_stack_sites.sites.end()) {
    return it->second;
  }
  SiteId id = InternSite(site);
  tls_stack_sites.sites.emplace(std::move(cache_key), id);
  return id;
}

std::vector<SiteInfo> SnapshotSites() {
  HiddenFromThreadSanitizer hidden;
  SiteTable& table = Table();
  std::lock_guard<std::mutex> hold(table.mutex);
  return table.sites;
}

}  // namespace harness::runtime
