// harness/sync/cond_var.h: CondVar, a drop-in for std::condition_variable over
// harness::Mutex. A wait records the mutex's release and re-acquisition (as kUnlock /
// kLock with lock_detail::kByConditionWait) around kWaitBegin / kWaitEnd; kWaitEnd
// observes the newest notify, which gives the notify -> wake-up edge.
#ifndef HARNESS_SYNC_COND_VAR_H_
#define HARNESS_SYNC_COND_VAR_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <source_location>
#include <string_view>

#include "harness/runtime/blocking.h"
#include "harness/runtime/recorded_object.h"
#include "harness/sync/mutex.h"

namespace harness {

class CondVar {
 public:
  explicit CondVar(std::string_view name = {},
                   std::source_location location = std::source_location::current())
      : object_(ObjectKind::kConditionVariable, name, this, sizeof(*this), location) {}

  // ~CondVar()
  // Precondition: every thread waiting on it has been notified (std allows destruction
  // before they have left wait()). A thread blocked in an untimed wait that no notify
  // reached since it began is recorded as MisuseKind::kDestroyedWhileWaitedOn; it is
  // then notified, since destroying a condition variable with waiters never notified
  // blocks forever in glibc.
  ~CondVar() {
    // A waiter whose token (the notify count when it began) is still the current count
    // was never notified.
    auto never_notified = [](const runtime::BlockedWaiter& waiter, uint32_t notifications) {
      return waiter.token == notifications;
    };
    if (runtime::ReportWaitersAtDestruction(object_.id(), /*counted_waits=*/true,
                                            never_notified,
                                            notifications_.load(std::memory_order_relaxed))) {
      condition_.notify_all();
    }
  }


  CondVar(const CondVar&) = delete;
  CondVar& operator=(const CondVar&) = delete;

  // CondVar::wait()
  // Precondition: `lock` owns its mutex (held by the calling thread). Releases it,
  // blocks until notified (or spuriously woken), re-takes it.
  void wait(std::unique_lock<Mutex>& lock,
            std::source_location location = std::source_location::current()) {
    WaitUntil<void>(lock, nullptr, location);
  }
  template <class Predicate>
  void wait(std::unique_lock<Mutex>& lock, Predicate predicate,
            std::source_location location = std::source_location::current()) {
    while (!predicate()) WaitUntil<void>(lock, nullptr, location);
  }

  // CondVar::wait_until() / wait_for()
  // As wait(), up to a deadline; std::cv_status::timeout (or the predicate's value)
  // when it passed. The wait records whether it timed out.
  template <class Clock, class Duration>
  std::cv_status wait_until(std::unique_lock<Mutex>& lock,
                            const std::chrono::time_point<Clock, Duration>& deadline,
                            std::source_location location = std::source_location::current()) {
    auto wait = [&](std::unique_lock<std::mutex>& inner) {
      return condition_.wait_until(inner, deadline);
    };
    return WaitUntil(lock, &wait, location);
  }
  template <class Clock, class Duration, class Predicate>
  bool wait_until(std::unique_lock<Mutex>& lock,
                  const std::chrono::time_point<Clock, Duration>& deadline, Predicate predicate,
                  std::source_location location = std::source_location::current()) {
    while (!predicate()) {
      if (wait_until(lock, deadline, location) == std::cv_status::timeout) return predicate();
    }
    return true;
  }
  template <class Rep, class Period>
  std::cv_status wait_for(std::unique_lock<Mutex>& lock,
                          const std::chrono::duration<Rep, Period>& timeout,
                          std::source_location location = std::source_location::current()) {
    return wait_until(lock, std::chrono::steady_clock::now() + timeout, location);
  }
  template <class Rep, class Period, class Predicate>
  bool wait_for(std::unique_lock<Mutex>& lock, const std::chrono::duration<Rep, Period>& timeout,
                Predicate predicate,
                std::source_location location = std::source_location::current()) {
    return wait_until(lock, std::chrono::steady_clock::now() + timeout, std::move(predicate),
                      location);
  }

  // CondVar::notify_one() / notify_all()
  // Records kNotify, then wakes. Need not hold the mutex.
  void notify_one(std::source_location location = std::source_location::current()) {
    RecordNotify(0, location);
    condition_.notify_one();
  }
  void notify_all(std::source_location location = std::source_location::current()) {
    RecordNotify(1, location);
    condition_.notify_all();
  }

  ObjectId object_id() const { return object_.id(); }

 private:
  void RecordNotify(uint8_t all, const std::source_location& location) {
    object_.Record(EventKind::kNotify, all,
                   notifications_.fetch_add(1, std::memory_order_relaxed) + 1, location);
  }

  // `timed_wait` is null for an untimed wait, else a callable doing the timed wait on the
  // inner lock.
  // Misuse: waiting without holding the mutex is undefined in std. The harness records
  // it (wait_detail::kWithoutMutex), takes the mutex for the wait and releases it after,
  // so the caller's state is as before.
  template <class TimedWait = void>
  std::cv_status WaitUntil(std::unique_lock<Mutex>& lock, TimedWait* timed_wait,
                           const std::source_location& location) {
    Mutex& mutex = *lock.mutex();
    runtime::ThreadNumber self = runtime::CurrentThreadNumber();
    bool held = lock.owns_lock() && mutex.owner_.load(std::memory_order_relaxed) == self;
    uint8_t detail = (timed_wait == nullptr ? 0 : wait_detail::kTimed) |
                     (held ? 0 : wait_detail::kWithoutMutex);
    object_.Record(EventKind::kWaitBegin, detail, 0, location);
    if (!held) mutex.lock(location);

    mutex.object_.Record(EventKind::kUnlock, lock_detail::kByConditionWait, ++mutex.sequence_,
                         location);
    mutex.owner_.store(runtime::kNoThreadNumber, std::memory_order_relaxed);
    std::unique_lock<std::mutex> inner(mutex.mutex_, std::adopt_lock);
    std::cv_status status = std::cv_status::no_timeout;
    if constexpr (std::is_void_v<TimedWait>) {
      runtime::BlockedScope blocked(runtime::WaitKind::kConditionWait, object_.id(), location,
                                    notifications_.load(std::memory_order_relaxed));
      condition_.wait(inner);
    } else {
      status = (*timed_wait)(inner);
    }
    inner.release();
    mutex.owner_.store(self, std::memory_order_relaxed);
    mutex.object_.Record(EventKind::kLock, lock_detail::kByConditionWait, ++mutex.sequence_,
                         location);
    object_.Record(EventKind::kWaitEnd, status == std::cv_status::timeout ? 1 : 0,
                   notifications_.load(std::memory_order_relaxed), location);

    if (!held) mutex.unlock(location);
    return status;
  }

  std::condition_variable condition_;
  // Relaxed: the harness orders notify -> wake-up by these numbers in the trace; an
  // acquire/release here would be an edge ThreadSanitizer builds see and the user's code
  // does not have. The wake-up itself is ordered after its notify by the condvar.
  std::atomic<uint32_t> notifications_{0};
  runtime::RecordedObject object_;
};

}  // namespace harness

#endif  // HARNESS_SYNC_COND_VAR_H_
