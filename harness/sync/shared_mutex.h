// harness/sync/shared_mutex.h: SharedMutex, a drop-in for std::shared_mutex that records
// exclusive and shared (reader) locks; usable with std::unique_lock and std::shared_lock.
#ifndef HARNESS_SYNC_SHARED_MUTEX_H_
#define HARNESS_SYNC_SHARED_MUTEX_H_

#include <atomic>
#include <cstdint>
#include <shared_mutex>
#include <source_location>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "harness/runtime/recorded_object.h"

namespace harness {

// Readers hold the lock together, so the operation counter is atomic; it is bumped
// while the lock is held in some mode, which orders every writer's events against every
// reader's.
class ABSL_LOCKABLE SharedMutex {
 public:
  explicit SharedMutex(std::string_view name = {},
                       std::source_location location = std::source_location::current())
      : object_(ObjectKind::kSharedMutex, name, this, sizeof(*this), location) {}

  SharedMutex(const SharedMutex&) = delete;
  SharedMutex& operator=(const SharedMutex&) = delete;

  // SharedMutex::lock() / try_lock() / unlock(): exclusive (writer) mode, as Mutex.
  void lock(std::source_location location = std::source_location::current())
      ABSL_EXCLUSIVE_LOCK_FUNCTION() {
    mutex_.lock();
    RecordHeld(EventKind::kLock, 0, location);
  }
  bool try_lock(std::source_location location = std::source_location::current())
      ABSL_EXCLUSIVE_TRYLOCK_FUNCTION(true) {
    if (!mutex_.try_lock()) {
      object_.Record(EventKind::kTryLockFailed, 0, 0, location);
      return false;
    }
    RecordHeld(EventKind::kLock, lock_detail::kTry, location);
    return true;
  }
  void unlock(std::source_location location = std::source_location::current())
      ABSL_UNLOCK_FUNCTION() {
    RecordHeld(EventKind::kUnlock, 0, location);
    mutex_.unlock();
  }

  // SharedMutex::lock_shared() / try_lock_shared() / unlock_shared(): shared (reader)
  // mode. Precondition of unlock_shared(): the calling thread holds a shared lock.
  void lock_shared(std::source_location location = std::source_location::current())
      ABSL_SHARED_LOCK_FUNCTION() {
    mutex_.lock_shared();
    RecordHeld(EventKind::kLockShared, 0, location);
  }
  bool try_lock_shared(std::source_location location = std::source_location::current())
      ABSL_SHARED_TRYLOCK_FUNCTION(true) {
    if (!mutex_.try_lock_shared()) {
      object_.Record(EventKind::kTryLockFailed, lock_detail::kShared, 0, location);
      return false;
    }
    RecordHeld(EventKind::kLockShared, lock_detail::kTry, location);
    return true;
  }
  void unlock_shared(std::source_location location = std::source_location::current())
      ABSL_UNLOCK_FUNCTION() {
    RecordHeld(EventKind::kUnlockShared, 0, location);
    mutex_.unlock_shared();
  }

  ObjectId object_id() const { return object_.id(); }

 private:
  void RecordHeld(EventKind kind, uint8_t detail, const std::source_location& location) {
    object_.Record(kind, detail, sequence_.fetch_add(1, std::memory_order_relaxed) + 1,
                   location);
  }

  std::shared_mutex mutex_;
  std::atomic<uint32_t> sequence_{0};
  runtime::RecordedObject object_;
};

}  // namespace harness

#endif  // HARNESS_SYNC_SHARED_MUTEX_H_
