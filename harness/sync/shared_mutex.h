// harness/sync/shared_mutex.h: SharedMutex, a drop-in for std::shared_mutex that records
// exclusive and shared (reader) locks; usable with std::unique_lock and std::shared_lock.
#ifndef HARNESS_SYNC_SHARED_MUTEX_H_
#define HARNESS_SYNC_SHARED_MUTEX_H_

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <shared_mutex>
#include <source_location>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "harness/runtime/blocking.h"
#include "harness/runtime/recorded_object.h"

namespace harness {

// Readers hold the lock together, so the operation counter is atomic; it is bumped
// while the lock is held in some mode, which orders every writer's events against every
// reader's. The exclusive holder is tracked like Mutex's, and each thread's reader locks
// in a short thread-local list, so misuse that is undefined in std (re-locking by a
// holder, unlocking what the thread does not hold) is recorded and refused.
class ABSL_LOCKABLE SharedMutex {
 public:
  explicit SharedMutex(std::string_view name = {},
                       std::source_location location = std::source_location::current())
      : object_(ObjectKind::kSharedMutex, name, this, sizeof(*this), location) {}

  SharedMutex(const SharedMutex&) = delete;
  SharedMutex& operator=(const SharedMutex&) = delete;

  // ~SharedMutex(): as Mutex's: destroying it while held, or while a thread is blocked
  // on it, is recorded.
  ~SharedMutex() {
    runtime::ReportWaitersAtDestruction(object_.id(), /*counted_waits=*/false);
    if (owner_.load(std::memory_order_relaxed) == runtime::CurrentThreadNumber()) {
      mutex_.unlock();
    }
  }

  // SharedMutex::lock() / try_lock() / unlock(): exclusive (writer) mode, as Mutex,
  // including the refusal of a re-lock by a thread holding it in either mode.
  void lock(std::source_location location = std::source_location::current())
      ABSL_EXCLUSIVE_LOCK_FUNCTION() {
    runtime::ThreadNumber self = runtime::CurrentThreadNumber();
    if (owner_.load(std::memory_order_relaxed) == self || HeldSharedByCaller()) {
      if (owner_.load(std::memory_order_relaxed) == self) ++refused_relocks_;
      object_.Record(EventKind::kLockRefused, 0, 0, location);
      return;
    }
    const SiteId site = runtime::CallSiteId(location);
    {
      runtime::LockAttemptScope attempt(runtime::WaitKind::kLock, object_.id(), site);
      mutex_.lock();
    }
    owner_.store(self, std::memory_order_relaxed);
    RecordHeld(EventKind::kLock, 0, site);
  }
  bool try_lock(std::source_location location = std::source_location::current())
      ABSL_EXCLUSIVE_TRYLOCK_FUNCTION(true) {
    runtime::ThreadNumber self = runtime::CurrentThreadNumber();
    if (owner_.load(std::memory_order_relaxed) == self || HeldSharedByCaller() ||
        !mutex_.try_lock()) {
      object_.Record(EventKind::kTryLockFailed, 0, 0, location);
      return false;
    }
    owner_.store(self, std::memory_order_relaxed);
    RecordHeld(EventKind::kLock, lock_detail::kTry, location);
    return true;
  }
  void unlock(std::source_location location = std::source_location::current())
      ABSL_UNLOCK_FUNCTION() {
    if (owner_.load(std::memory_order_relaxed) != runtime::CurrentThreadNumber()) {
      object_.Record(EventKind::kUnlockRefused, 0, 0, location);
      return;
    }
    if (refused_relocks_ > 0) {  // pairs with a refused lock()
      --refused_relocks_;
      return;
    }
    RecordHeld(EventKind::kUnlock, 0, location);
    owner_.store(runtime::kNoThreadNumber, std::memory_order_relaxed);
    mutex_.unlock();
  }

  // SharedMutex::lock_shared() / try_lock_shared() / unlock_shared(): shared (reader)
  // mode. A thread holding it in either mode cannot take it again (undefined in std):
  // that lock_shared() is recorded as kLockRefused and its matching unlock_shared()
  // ignored. unlock_shared() without lock_shared() is recorded as kUnlockRefused.
  void lock_shared(std::source_location location = std::source_location::current())
      ABSL_SHARED_LOCK_FUNCTION() {
    std::vector<const void*>& held = runtime::SharedLocksHeldByCurrentThread();
    if (owner_.load(std::memory_order_relaxed) == runtime::CurrentThreadNumber() ||
        HeldSharedByCaller()) {
      held.push_back(RefusedMarker());
      object_.Record(EventKind::kLockRefused, lock_detail::kShared, 0, location);
      return;
    }
    const SiteId site = runtime::CallSiteId(location);
    {
      runtime::LockAttemptScope attempt(runtime::WaitKind::kLockShared, object_.id(), site);
      mutex_.lock_shared();
    }
    held.push_back(this);
    RecordHeld(EventKind::kLockShared, 0, site);
  }
  bool try_lock_shared(std::source_location location = std::source_location::current())
      ABSL_SHARED_TRYLOCK_FUNCTION(true) {
    if (owner_.load(std::memory_order_relaxed) == runtime::CurrentThreadNumber() ||
        HeldSharedByCaller() || !mutex_.try_lock_shared()) {
      object_.Record(EventKind::kTryLockFailed, lock_detail::kShared, 0, location);
      return false;
    }
    runtime::SharedLocksHeldByCurrentThread().push_back(this);
    RecordHeld(EventKind::kLockShared, lock_detail::kTry, location);
    return true;
  }
  void unlock_shared(std::source_location location = std::source_location::current())
      ABSL_UNLOCK_FUNCTION() {
    std::vector<const void*>& held = runtime::SharedLocksHeldByCurrentThread();
    auto it = std::find_if(held.rbegin(), held.rend(), [&](const void* entry) {
      return entry == this || entry == RefusedMarker();
    });
    if (it == held.rend()) {
      object_.Record(EventKind::kUnlockRefused, lock_detail::kShared, 0, location);
      return;
    }
    bool refused = *it == RefusedMarker();
    held.erase(std::next(it).base());
    if (refused) return;
    RecordHeld(EventKind::kUnlockShared, 0, location);
    mutex_.unlock_shared();
  }

  ObjectId object_id() const { return object_.id(); }

 private:
  // Stands in the thread's reader list for a refused lock_shared() of this mutex.
  const void* RefusedMarker() const { return reinterpret_cast<const char*>(this) + 1; }

  bool HeldSharedByCaller() const {
    const std::vector<const void*>& held = runtime::SharedLocksHeldByCurrentThread();
    return std::find(held.begin(), held.end(), this) != held.end();
  }

  void RecordHeld(EventKind kind, uint8_t detail, const std::source_location& location) {
    RecordHeld(kind, detail, runtime::CallSiteId(location));
  }
  void RecordHeld(EventKind kind, uint8_t detail, SiteId site) {
    object_.Record(kind, detail, sequence_.fetch_add(1, std::memory_order_relaxed) + 1, site);
  }

  std::shared_mutex mutex_;
  std::atomic<uint32_t> sequence_{0};
  // The exclusive holder; relaxed, as Mutex's.
  std::atomic<runtime::ThreadNumber> owner_{runtime::kNoThreadNumber};
  uint32_t refused_relocks_ = 0;  // touched only by the exclusive holder
  runtime::RecordedObject object_;
};

}  // namespace harness

#endif  // HARNESS_SYNC_SHARED_MUTEX_H_
