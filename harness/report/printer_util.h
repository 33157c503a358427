// harness/report/printer_util.h: what the printers share: stable identifiers of finding
// kinds, the threads / objects / sites a finding names, mutex lists, and a per-report
// cache of site frames. Internal to harness/report.
#ifndef HARNESS_REPORT_PRINTER_UTIL_H_
#define HARNESS_REPORT_PRINTER_UTIL_H_

#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "harness/report/finding.h"
#include "harness/report/symbolizer.h"
#include "harness/trace/trace.h"

namespace harness::report_internal {

// "data-race", "lock-order-cycle", "mutex-misuse", "deadlock": JSON kinds, SARIF rule ids.
absl::string_view FindingKindId(FindingKind kind);
// "unlock-not-held", "unlock-held-by-other-thread", ...: JSON misuse kinds.
absl::string_view MisuseKindId(MisuseKind kind);
// MisuseKindName() for a misuse, FindingKindName() otherwise: the WARNING line's words.
absl::string_view FindingTitle(const Finding& finding);

// The threads a finding is about, in order of appearance, each once: the accessing,
// acquiring, misusing, blocked and holding threads, and the thread whose Thread object
// a misuse is about.
std::vector<ThreadId> FindingThreads(const Trace& trace, const Finding& finding);
// The objects a finding is about (not the locks merely held), in order, each once.
std::vector<ObjectId> FindingObjects(const Finding& finding);
// The finding's own sites (accesses, acquisitions, misuses, blocking points and where
// the holders took what they hold), in order, each once, without kNoSite.
std::vector<SiteId> FindingSites(const Finding& finding);

// Everything a report refers to, sorted by id: the findings' threads, objects and sites,
// the held locks and where they were taken, and transitively the creators, parents and
// creation sites of those threads and objects.
struct ReportReferences {
  std::vector<ThreadId> threads;
  std::vector<ObjectId> objects;
  std::vector<SiteId> sites;
};
ReportReferences CollectReferences(const Trace& trace, const Report& report);

// "write M1 'a', read M2" (shared holds are "read"), or "none".
std::string MutexList(const Trace& trace, const std::vector<HeldLock>& held);
// "Mutex" for "mutex": the first letter upper-cased.
std::string Capitalize(absl::string_view text);
// The thread whose own object is `object`, or kNoThread.
ThreadId ThreadOfObject(const Trace& trace, ObjectId object);
// "mutex M1 'a'", "condition variable M4 'cv'", "thread T2 'worker'" (a Thread object);
// the bare label for an object the trace does not have.
std::string KindAndObject(const Trace& trace, ObjectId object);

// What the holder of a blocked thread (BlockedThread::holder) is to the object waited on:
// the thread holding the lock, the thread being joined, or the thread running a once
// flag's callable. Printers word the holder line by it.
enum class HolderRole { kHoldsLock, kIsJoined, kRunsOnceCallable };
HolderRole HolderRoleOf(const Trace& trace, ObjectId waits_for);

// SiteFrames() for every site of a report, symbolized in one batch and cached.
class SiteFrameCache {
 public:
  // A null `symbolizer` means ProcessSymbolizer(), as PrinterOptions documents.
  SiteFrameCache(const Trace& trace, Symbolizer* symbolizer);

  // Symbolizes every stack among `sites` in one call.
  void Prefetch(const std::vector<SiteId>& sites);
  // SiteFrames(trace, site, symbolizer); empty for kNoSite.
  const std::vector<Frame>& Frames(SiteId site);
  // The first frame, or null when there is none.
  const Frame* Top(SiteId site);
  // The first frame that has a file, or null.
  const Frame* TopWithFile(SiteId site);

 private:
  const Trace& trace_;
  Symbolizer* symbolizer_;
  std::map<SiteId, std::vector<Frame>> frames_;  // node-based: references stay valid
};

}  // namespace harness::report_internal

#endif  // HARNESS_REPORT_PRINTER_UTIL_H_
