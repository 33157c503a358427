// harness/check/held_locks.cc: HeldLocks.
#include "harness/check/held_locks.h"

#include <algorithm>

namespace harness {
namespace {

// Finds the thread's most recent hold of `mutex` in the given mode.
std::vector<HeldLock>::iterator FindHeld(std::vector<HeldLock>& held, ObjectId mutex,
                                         bool shared) {
  auto it = std::find_if(held.rbegin(), held.rend(), [&](const HeldLock& lock) {
    return lock.mutex == mutex && lock.shared == shared;
  });
  return it == held.rend() ? held.end() : std::next(it).base();
}

}  // namespace

const std::vector<HeldLock>& HeldLocks::NoneHeld() {
  static const auto* const kNone = new std::vector<HeldLock>();
  return *kNone;
}

LockTransition HeldLocks::Apply(const Event& event) {
  // Tests, not a switch: a jump table's target is mispredicted whenever the kinds of
  // successive events differ, which in a trace is most of the time.
  const EventKind kind = event.kind;
  const bool lock = kind == EventKind::kLock || kind == EventKind::kLockShared;
  const bool unlock = kind == EventKind::kUnlock || kind == EventKind::kUnlockShared;
  if (event.thread == kNoThread) return LockTransition::kNone;
  if (!lock && !unlock) {
    const bool refused = kind == EventKind::kLockRefused || kind == EventKind::kUnlockRefused;
    return refused ? LockTransition::kRefused : LockTransition::kNone;
  }
  if (event.thread >= held_.size()) held_.resize(size_t{event.thread} + 1);
  std::vector<HeldLock>& held = held_[event.thread];
  const bool recursive = (event.detail & lock_detail::kRecursive) != 0;
  if (lock) {
    const bool shared = kind == EventKind::kLockShared;
    if (!shared && recursive && FindHeld(held, event.object(), false) != held.end()) {
      return LockTransition::kReacquired;
    }
    held.push_back(HeldLock{event.object(), shared, event.site});
    return LockTransition::kAcquired;
  }
  const bool shared = kind == EventKind::kUnlockShared;
  auto it = FindHeld(held, event.object(), shared);
  if (it == held.end()) return LockTransition::kReleaseNotHeld;
  if (!shared && recursive) return LockTransition::kReleasedRecursive;
  held.erase(it);
  return LockTransition::kReleased;
}

const HeldLock* HeldLocks::FindExclusive(ThreadId thread, ObjectId mutex) const {
  for (const HeldLock& lock : Of(thread)) {
    if (lock.mutex == mutex && !lock.shared) return &lock;
  }
  return nullptr;
}

ThreadId HeldLocks::ExclusiveHolder(ObjectId mutex) const {
  for (size_t t = 0; t < held_.size(); ++t) {
    if (FindExclusive(static_cast<ThreadId>(t), mutex) != nullptr) return static_cast<ThreadId>(t);
  }
  return kNoThread;
}

SiteId HeldLocks::ExclusiveSite(ThreadId thread, ObjectId mutex) const {
  const HeldLock* lock = FindExclusive(thread, mutex);
  return lock != nullptr ? lock->acquired_at : kNoSite;
}

}  // namespace harness
