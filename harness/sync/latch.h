// harness/sync/latch.h: Latch, a drop-in for std::latch. Each count_down is an arrival
// (kArrive, numbered); a wait that returns records kDepart, observing every arrival.
#ifndef HARNESS_SYNC_LATCH_H_
#define HARNESS_SYNC_LATCH_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <latch>
#include <source_location>
#include <string_view>

#include "harness/runtime/blocking.h"
#include "harness/runtime/recorded_object.h"

namespace harness {

class Latch {
 public:
  // Latch(expected, name): `name` appears in reports; it may be empty.
  explicit Latch(std::ptrdiff_t expected, std::string_view name = {},
                 std::source_location location = std::source_location::current())
      : latch_(expected), object_(ObjectKind::kLatch, name, this, sizeof(*this), location) {}

  // ~Latch()
  // Precondition: no thread waits on it. Threads still blocked in wait() are recorded
  // as MisuseKind::kDestroyedWhileWaitedOn (in std, undefined behaviour).
  ~Latch() { runtime::ReportWaitersAtDestruction(object_.id(), /*counted_waits=*/true); }

  Latch(const Latch&) = delete;
  Latch& operator=(const Latch&) = delete;

  // Latch::count_down()
  // Precondition: n >= 0 and n <= the current count (else undefined, as std::latch).
  void count_down(std::ptrdiff_t n = 1,
                  std::source_location location = std::source_location::current()) {
    Arrive(location);
    latch_.count_down(n);
  }

  // Latch::try_wait(): true (recording kDepart) when the count has reached zero.
  bool try_wait(std::source_location location = std::source_location::current()) const noexcept {
    if (!latch_.try_wait()) return false;
    Depart(location);
    return true;
  }

  // Latch::wait(): blocks until the count reaches zero.
  void wait(std::source_location location = std::source_location::current()) const {
    if (!latch_.try_wait()) {
      runtime::BlockedScope blocked(runtime::WaitKind::kLatchWait, object_.id(), location);
      latch_.wait();
    }
    Depart(location);
  }

  // Latch::arrive_and_wait(): count_down(n), then wait().
  void arrive_and_wait(std::ptrdiff_t n = 1,
                       std::source_location location = std::source_location::current()) {
    Arrive(location);
    latch_.count_down(n);
    if (!latch_.try_wait()) {
      runtime::BlockedScope blocked(runtime::WaitKind::kLatchWait, object_.id(), location);
      latch_.wait();
    }
    Depart(location);
  }

  static constexpr std::ptrdiff_t max() noexcept { return std::latch::max(); }
  ObjectId object_id() const { return object_.id(); }

 private:
  void Arrive(const std::source_location& location) {
    object_.Record(EventKind::kArrive, 0, arrivals_.fetch_add(1, std::memory_order_relaxed) + 1,
                   location);
  }
  // Every arrival's count_down happened before the latch opened, so this load sees the
  // number of the last arrival.
  void Depart(const std::source_location& location) const {
    object_.Record(EventKind::kDepart, 0, arrivals_.load(std::memory_order_relaxed), location);
  }

  mutable std::latch latch_;
  std::atomic<uint32_t> arrivals_{0};
  runtime::RecordedObject object_;
};

}  // namespace harness

#endif  // HARNESS_SYNC_LATCH_H_
