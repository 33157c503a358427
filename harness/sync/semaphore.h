// harness/sync/semaphore.h: CountingSemaphore and BinarySemaphore, drop-ins for
// std::counting_semaphore / std::binary_semaphore. A release is numbered
// (kSemaphoreRelease); an acquire records kSemaphoreAcquire observing the newest release.
#ifndef HARNESS_SYNC_SEMAPHORE_H_
#define HARNESS_SYNC_SEMAPHORE_H_

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <semaphore>
#include <source_location>
#include <string_view>

#include "harness/runtime/blocking.h"
#include "harness/runtime/recorded_object.h"

namespace harness {

template <std::ptrdiff_t LeastMaxValue = std::counting_semaphore<>::max()>
class CountingSemaphore {
 public:
  // CountingSemaphore(desired, name): `name` appears in reports; it may be empty.
  explicit CountingSemaphore(std::ptrdiff_t desired, std::string_view name = {},
                             std::source_location location = std::source_location::current())
      : semaphore_(desired),
        object_(ObjectKind::kSemaphore, name, this, sizeof(*this), location) {}

  // ~CountingSemaphore()
  // Precondition: no thread waits on it. Threads still blocked in acquire() are
  // recorded as MisuseKind::kDestroyedWhileWaitedOn (in std, undefined behaviour).
  ~CountingSemaphore() { runtime::ReportWaitersAtDestruction(object_.id(), /*counted_waits=*/true); }

  CountingSemaphore(const CountingSemaphore&) = delete;
  CountingSemaphore& operator=(const CountingSemaphore&) = delete;

  // CountingSemaphore::release()
  // Precondition: update >= 0 and the count stays <= max() (else undefined, as std).
  void release(std::ptrdiff_t update = 1,
               std::source_location location = std::source_location::current()) {
    object_.Record(EventKind::kSemaphoreRelease, 0,
                   releases_.fetch_add(1, std::memory_order_relaxed) + 1, location);
    semaphore_.release(update);
  }

  // CountingSemaphore::acquire() / try_acquire() / try_acquire_for() / try_acquire_until()
  void acquire(std::source_location location = std::source_location::current()) {
    if (!semaphore_.try_acquire()) {
      runtime::BlockedScope blocked(runtime::WaitKind::kSemaphoreAcquire, object_.id(),
                                    location);
      semaphore_.acquire();
    }
    Acquired(location);
  }
  bool try_acquire(std::source_location location = std::source_location::current()) noexcept {
    return Acquired(semaphore_.try_acquire(), location);
  }
  template <class Rep, class Period>
  bool try_acquire_for(const std::chrono::duration<Rep, Period>& timeout,
                       std::source_location location = std::source_location::current()) {
    return Acquired(semaphore_.try_acquire_for(timeout), location);
  }
  template <class Clock, class Duration>
  bool try_acquire_until(const std::chrono::time_point<Clock, Duration>& deadline,
                         std::source_location location = std::source_location::current()) {
    return Acquired(semaphore_.try_acquire_until(deadline), location);
  }

  static constexpr std::ptrdiff_t max() noexcept { return LeastMaxValue; }
  ObjectId object_id() const { return object_.id(); }

 private:
  bool Acquired(bool acquired, const std::source_location& location) {
    if (acquired) Acquired(location);
    return acquired;
  }
  void Acquired(const std::source_location& location) {
    object_.Record(EventKind::kSemaphoreAcquire, 0, releases_.load(std::memory_order_relaxed),
                   location);
  }

  std::counting_semaphore<LeastMaxValue> semaphore_;
  std::atomic<uint32_t> releases_{0};
  runtime::RecordedObject object_;
};

using BinarySemaphore = CountingSemaphore<1>;

}  // namespace harness

#endif  // HARNESS_SYNC_SEMAPHORE_H_
