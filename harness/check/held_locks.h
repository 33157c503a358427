// harness/check/held_locks.h: which locks each thread holds at each point of a trace,
// replayed event by event. Shared by every analysis that needs "the locks held here".
#ifndef HARNESS_CHECK_HELD_LOCKS_H_
#define HARNESS_CHECK_HELD_LOCKS_H_

#include <vector>

#include "harness/report/finding.h"
#include "harness/trace/trace.h"

namespace harness {

// The outcome of applying one lock event, for the misuse analysis.
enum class LockTransition {
  kNone,                 // not a lock event
  kAcquired,             // first acquisition by this thread
  kReacquired,           // recursive re-entry (lock_detail::kRecursive) by the holder
  kReleased,             // release of a lock the thread held
  kReleasedRecursive,    // release of a recursive re-entry (still held)
  kReleaseNotHeld,       // release of a lock the thread does not hold
  kRefused,              // an operation the wrapper refused (a misuse)
};

class HeldLocks {
 public:
  explicit HeldLocks(size_t thread_count) : held_(thread_count) {}

  // HeldLocks::Apply()
  // Updates the thread's held set for a lock / unlock / lock_shared / unlock_shared
  // event (including those of condition waits) and says what happened. Other events
  // return kNone and change nothing. Threads past the initial count are added as their
  // events come (a streamed trace's thread table grows).
  LockTransition Apply(const Event& event);

  // The locks `thread` holds now, in acquisition order (none for a thread not seen).
  const std::vector<HeldLock>& Of(ThreadId thread) const {
    return thread < held_.size() ? held_[thread] : NoneHeld();
  }

  // The thread holding `mutex` exclusively, or kNoThread.
  ThreadId ExclusiveHolder(ObjectId mutex) const;
  // Where `thread` took `mutex` exclusively (its first such hold), or kNoSite when it
  // does not hold it so (or is kNoThread).
  SiteId ExclusiveSite(ThreadId thread, ObjectId mutex) const;

 private:
  static const std::vector<HeldLock>& NoneHeld();
  // The thread's first exclusive hold of `mutex`, or null.
  const HeldLock* FindExclusive(ThreadId thread, ObjectId mutex) const;

  std::vector<std::vector<HeldLock>> held_;
};

}  // namespace harness

#endif  // HARNESS_CHECK_HELD_LOCKS_H_
