// harness/runtime/call_site.h: interning the user's call sites (std::source_location,
// plus a stack when asked) into SiteIds, with a per-thread cache so the recording path
// takes no lock once a thread has seen a site.
#ifndef HARNESS_RUNTIME_CALL_SITE_H_
#define HARNESS_RUNTIME_CALL_SITE_H_

#include <bit>
#include <cstdint>
#include <source_location>
#include <vector>

#include "harness/trace/trace.h"

namespace harness::runtime {

struct SiteCacheEntry {
  const void* key = nullptr;
  SiteId site = kNoSite;
};
inline constexpr size_t kSiteCacheSize = 256;
extern constinit thread_local SiteCacheEntry tls_site_cache[kSiteCacheSize];

// A key that is the same for every evaluation of one source_location::current() call.
inline const void* SourceLocationKey(const std::source_location& location) {
  if constexpr (sizeof(std::source_location) == sizeof(const void*)) {
    // libstdc++: a pointer to a per-site static record.
    return std::bit_cast<const void*>(location);
  } else {
    return reinterpret_cast<const char*>(location.file_name()) + location.line() * 4099 +
           location.column();
  }
}

SiteId CallSiteIdSlow(const std::source_location& location);

// CallSiteId()
// The SiteId of `location`. When stack_depth > 0, or when the location lies in a
// standard library header (std::lock_guard calling Mutex::lock, say) and so does not
// name the user's line, the site also carries the current stack; otherwise a cache hit
// costs a few loads.
inline SiteId CallSiteId(const std::source_location& location) {
  const void* key = SourceLocationKey(location);
  SiteCacheEntry& entry =
      tls_site_cache[(reinterpret_cast<uintptr_t>(key) >> 4) & (kSiteCacheSize - 1)];
  if (entry.key == key) return entry.site;
  return CallSiteIdSlow(location);
}

// Adds (or finds) a site directly; for tools that build sites from other sources.
SiteId InternSite(const SiteInfo& site);

// A copy of every site interned so far; SiteIds index it.
std::vector<SiteInfo> SnapshotSites();

}  // namespace harness::runtime

#endif  // HARNESS_RUNTIME_CALL_SITE_H_
