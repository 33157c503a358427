// harness/check/misuse_detector.h: misuse of the primitives, found in a trace: unlocks
// of mutexes not held (or held by another thread), re-locks of a non-recursive mutex by
// its holder, mutexes destroyed while held, condition waits without the mutex, and
// threads destroyed while joinable.
#ifndef HARNESS_CHECK_MISUSE_DETECTOR_H_
#define HARNESS_CHECK_MISUSE_DETECTOR_H_

#include <cstddef>
#include <vector>

#include "harness/check/held_locks.h"
#include "harness/report/finding.h"
#include "harness/trace/trace.h"

namespace harness {

class MisuseDetector {
 public:
  // `trace` gives the tables the events refer to (not its events); it must outlive the
  // detector and may grow between calls to Process(), as a streamed trace does.
  explicit MisuseDetector(const Trace& trace);

  // MisuseDetector::Process()
  // Feeds the next event of the trace (in order). Works both on traces whose wrappers
  // refused the misuse (kLockRefused / kUnlockRefused / kThreadAbandoned, wait_detail::
  // kWithoutMutex) and on traces from elsewhere that simply contain it.
  void Process(size_t event_index, const Event& event);

  // The findings so far, in trace order.
  std::vector<Finding> TakeFindings() { return std::move(findings_); }

 private:
  void Add(MisuseKind kind, size_t event_index, const Event& event,
           ThreadId other_thread = kNoThread, SiteId other_site = kNoSite);

  const Trace& trace_;
  HeldLocks held_;
  std::vector<Finding> findings_;
};

// FindMisuse(): MisuseDetector over the whole trace.
std::vector<Finding> FindMisuse(const Trace& trace);

}  // namespace harness

#endif  // HARNESS_CHECK_MISUSE_DETECTOR_H_
