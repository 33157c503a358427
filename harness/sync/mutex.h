// harness/sync/mutex.h: Mutex, RecursiveMutex and TimedMutex, drop-ins for std::mutex,
// std::recursive_mutex and std::timed_mutex that record every lock and unlock. Usable
// with std::lock_guard, std::unique_lock and std::scoped_lock, and annotated for clang's
// -Wthread-safety.
#ifndef HARNESS_SYNC_MUTEX_H_
#define HARNESS_SYNC_MUTEX_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <source_location>
#include <string_view>

#include "absl/base/config.h"
#include "absl/base/thread_annotations.h"
#include "harness/runtime/blocking.h"
#include "harness/runtime/recorded_object.h"

namespace harness {

class CondVar;

namespace sync_internal {

template <class StdMutex>
constexpr ObjectKind MutexKindOf() {
  if constexpr (std::is_same_v<StdMutex, std::recursive_mutex>) {
    return ObjectKind::kRecursiveMutex;
  } else if constexpr (std::is_same_v<StdMutex, std::timed_mutex>) {
    return ObjectKind::kTimedMutex;
  } else {
    return ObjectKind::kMutex;
  }
}

// The three exclusive mutexes differ only in the std type underneath. Events:
// kLock / kUnlock numbered by `sequence_`, which only the holder touches; a failed
// try-lock records kTryLockFailed. The mutex knows its holder, so misuse that would be
// undefined behaviour (or a self-deadlock) in the std type is recorded and refused
// instead of passed on.
template <class StdMutex>
class ABSL_LOCKABLE BasicMutex {
 public:
  static constexpr bool kRecursive = std::is_same_v<StdMutex, std::recursive_mutex>;
  static constexpr bool kTimed = std::is_same_v<StdMutex, std::timed_mutex>;

  // BasicMutex(name)
  // `name` appears in reports ("M3 'accounts'"); it may be empty.
  explicit BasicMutex(std::string_view name = {},
                      std::source_location location = std::source_location::current())
      : object_(MutexKindOf<StdMutex>(), name, this, sizeof(*this), location) {}

  BasicMutex(const BasicMutex&) = delete;
  BasicMutex& operator=(const BasicMutex&) = delete;

  // ~BasicMutex()
  // Precondition: not held, and no thread blocked in lock(). Destroying it while held is
  // recorded (the analysis reports it); if the destroying thread is the holder, the std
  // mutex is released first so its destruction is defined. Threads still blocked on it
  // are recorded as MisuseKind::kDestroyedWhileWaitedOn.
  ~BasicMutex() {
    runtime::ReportWaitersAtDestruction(object_.id(), /*counted_waits=*/false);
    if (owner_.load(std::memory_order_relaxed) == runtime::CurrentThreadNumber()) {
      if constexpr (kRecursive) {
        for (; depth_ > 0; --depth_) mutex_.unlock();
      } else {
        mutex_.unlock();
      }
    }
  }

  // lock()
  // Blocks until the calling thread holds the mutex, then records kLock.
  // Misuse: a thread that already holds a non-recursive mutex would deadlock on
  // itself; the harness records kLockRefused and returns at once instead (the matching
  // unlock() is then ignored), so the test goes on and the report names both sites.
  void lock(std::source_location location = std::source_location::current())
      ABSL_EXCLUSIVE_LOCK_FUNCTION() {
    runtime::ThreadNumber self = runtime::CurrentThreadNumber();
    if constexpr (!kRecursive) {
      // Only this thread can have stored its own number, so a relaxed load suffices.
      if (owner_.load(std::memory_order_relaxed) == self) {
        ++refused_relocks_;
        object_.Record(EventKind::kLockRefused, 0, 0, location);
        return;
      }
    }
    const SiteId site = runtime::CallSiteId(location);
    {
      // While the std lock() runs, the deadlock watchdog can see what this thread waits
      // for (it reports only waits that last).
      runtime::LockAttemptScope attempt(runtime::WaitKind::kLock, object_.id(), site);
      mutex_.lock();
    }
    RecordAcquired(self, 0, site);
  }

  // try_lock()
  // Takes the mutex if free, without blocking. Records kLock (with lock_detail::kTry)
  // or kTryLockFailed. A try-lock cannot deadlock, so it adds no lock-order edge. On a
  // non-recursive mutex the holder's try_lock() fails (in std it is undefined).
  bool try_lock(std::source_location location = std::source_location::current())
      ABSL_EXCLUSIVE_TRYLOCK_FUNCTION(true) {
    if (HeldByCallerNonRecursive() || !mutex_.try_lock()) {
      object_.Record(EventKind::kTryLockFailed, 0, 0, location);
      return false;
    }
    RecordAcquired(runtime::CurrentThreadNumber(), lock_detail::kTry, location);
    return true;
  }

  // try_lock_for() / try_lock_until()
  // TimedMutex only. As try_lock(), after waiting up to the given time.
  template <class Rep, class Period>
    requires kTimed
  bool try_lock_for(const std::chrono::duration<Rep, Period>& timeout,
                    std::source_location location = std::source_location::current())
      ABSL_EXCLUSIVE_TRYLOCK_FUNCTION(true) {
    if (HeldByCallerNonRecursive()) return TimedAttempt(false, location);
#ifdef ABSL_HAVE_THREAD_SANITIZER
    return TimedAttempt(mutex_.try_lock_until(std::chrono::system_clock::now() + timeout),
                        location);
#else
    return TimedAttempt(mutex_.try_lock_for(timeout), location);
#endif
  }
  template <class Clock, class Duration>
    requires kTimed
  bool try_lock_until(const std::chrono::time_point<Clock, Duration>& deadline,
                      std::source_location location = std::source_location::current())
      ABSL_EXCLUSIVE_TRYLOCK_FUNCTION(true) {
    if (HeldByCallerNonRecursive()) return TimedAttempt(false, location);
#ifdef ABSL_HAVE_THREAD_SANITIZER
    if constexpr (!std::is_same_v<Clock, std::chrono::system_clock>) {
      return TimedAttempt(
          mutex_.try_lock_until(std::chrono::system_clock::now() + (deadline - Clock::now())),
          location);
    }
#endif
    return TimedAttempt(mutex_.try_lock_until(deadline), location);
  }

  // unlock()
  // Precondition: the calling thread holds the mutex. Records kUnlock, then releases.
  // Misuse: an unlock by a thread that does not hold the mutex (undefined in std) is
  // recorded as kUnlockRefused and not passed on.
  void unlock(std::source_location location = std::source_location::current())
      ABSL_UNLOCK_FUNCTION() {
    if (owner_.load(std::memory_order_relaxed) != runtime::CurrentThreadNumber()) {
      object_.Record(EventKind::kUnlockRefused, 0, 0, location);
      return;
    }
    uint8_t detail = 0;
    if constexpr (kRecursive) {
      if (--depth_ > 0) detail = lock_detail::kRecursive;
    } else {
      if (refused_relocks_ > 0) {  // pairs with a refused lock(): nothing to release
        --refused_relocks_;
        return;
      }
    }
    object_.Record(EventKind::kUnlock, detail, ++sequence_, location);
    if (detail == 0) owner_.store(runtime::kNoThreadNumber, std::memory_order_relaxed);
    mutex_.unlock();
  }

  // The mutex's id in the recording.
  ObjectId object_id() const { return object_.id(); }

 private:
  friend class harness::CondVar;

  // A try_lock* of a non-recursive mutex by its holder: undefined in std, a failure here.
  bool HeldByCallerNonRecursive() const {
    return !kRecursive &&
           owner_.load(std::memory_order_relaxed) == runtime::CurrentThreadNumber();
  }

  void RecordAcquired(runtime::ThreadNumber self, uint8_t detail,
                      const std::source_location& location) {
    RecordAcquired(self, detail, runtime::CallSiteId(location));
  }
  void RecordAcquired(runtime::ThreadNumber self, uint8_t detail, SiteId site) {
    if constexpr (kRecursive) {
      if (++depth_ > 1) detail |= lock_detail::kRecursive;
    }
    owner_.store(self, std::memory_order_relaxed);
    object_.Record(EventKind::kLock, detail, ++sequence_, site);
  }

  // Under ThreadSanitizer the timed attempts above wait on a system_clock deadline:
  // libstdc++ waits on any other clock with pthread_mutex_clocklock, which GCC 12's
  // ThreadSanitizer does not intercept, so it would miss the acquisition and report
  // the unlock (and accesses the mutex guards) falsely. pthread_mutex_timedlock, used
  // for system_clock, is intercepted.
  bool TimedAttempt(bool acquired, const std::source_location& location) {
    if (!acquired) {
      object_.Record(EventKind::kTryLockFailed, 0, 0, location);
      return false;
    }
    RecordAcquired(runtime::CurrentThreadNumber(), lock_detail::kTry, location);
    return true;
  }

  StdMutex mutex_;
  uint32_t sequence_ = 0;  // guarded by mutex_
  uint32_t depth_ = 0;     // recursive only; guarded by mutex_
  uint32_t refused_relocks_ = 0;  // non-recursive only; touched only by the holder
  // The holder's thread number. Relaxed: a thread compares it only with its own number,
  // which no other thread stores.
  std::atomic<runtime::ThreadNumber> owner_{runtime::kNoThreadNumber};
  runtime::RecordedObject object_;
};

}  // namespace sync_internal

// Mutex: a drop-in for std::mutex. `harness::Mutex accounts_mu("accounts");`
using Mutex = sync_internal::BasicMutex<std::mutex>;
// RecursiveMutex: a drop-in for std::recursive_mutex. Re-entries by the holder are
// recorded with lock_detail::kRecursive.
using RecursiveMutex = sync_internal::BasicMutex<std::recursive_mutex>;
// TimedMutex: a drop-in for std::timed_mutex (adds try_lock_for / try_lock_until).
using TimedMutex = sync_internal::BasicMutex<std::timed_mutex>;

}  // namespace harness

#endif  // HARNESS_SYNC_MUTEX_H_
