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
  if (event.thread >= held_.size()) {
    if (event.thread == kNoThread) return LockTransition::kNone;
    held_.resize(size_t{event.thread} + 1);
  }
  std::vector<HeldLock>& held = held_[event.thread];
  switch (event.kind) {
    case EventKind::kLock:
    case EventKind::kLockShared: {
      bool shared = event.kind == EventKind::kLockShared;
      if (!shared && (event.detail & lock_detail::kRecursive) != 0 &&
          FindHeld(held, event.object(), false) != held.end()) {
        return LockTransition::kReacquired;
      }
      held.push_back(HeldLock{event.object(), shared, event.site});
      return LockTransition::kAcquired;
    }
    case EventKind::kUnlock:
    case EventKind::kUnlockShared: {
      bool shared = event.kind == EventKind::kUnlockShared;
      auto it = FindHeld(held, event.object(), shared);
      if (it == held.end()) return LockTransition::kReleaseNotHeld;
      if (!shared && (event.detail & lock_detail::kRecursive) != 0) {
        return LockTransition::kReleasedRecursive;
      }
      held.erase(it);
      return LockTransition::kReleased;
    }
    case EventKind::kLockRefused:
    case EventKind::kUnlockRefused:
      return LockTransition::kRefused;
    default:
      return LockTransition::kNone;
  }
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
