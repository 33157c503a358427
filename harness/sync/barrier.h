// harness/sync/barrier.h: Barrier, a drop-in for std::barrier. Each arrival is numbered
// (kArrive); a thread leaving a phase records kDepart, observing every arrival of that
// phase. Built on std::mutex and std::condition_variable (so ThreadSanitizer builds see
// the same synchronization) rather than std::barrier, whose phase is not observable.
#ifndef HARNESS_SYNC_BARRIER_H_
#define HARNESS_SYNC_BARRIER_H_

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <mutex>
#include <source_location>
#include <string_view>
#include <utility>

#include "harness/runtime/blocking.h"
#include "harness/runtime/recorded_object.h"

namespace harness {

struct BarrierNoCompletion {
  void operator()() noexcept {}
};

template <class CompletionFunction = BarrierNoCompletion>
class Barrier {
 public:
  class arrival_token {
   private:
    friend class Barrier;
    explicit arrival_token(uint64_t phase) : phase_(phase) {}
    uint64_t phase_;
  };

  // Barrier(expected, completion, name)
  // `completion` runs once per phase, on the last arriving thread, before any waiter
  // leaves. `name` appears in reports; it may be empty.
  explicit Barrier(std::ptrdiff_t expected, CompletionFunction completion = {},
                   std::string_view name = {},
                   std::source_location location = std::source_location::current())
      : expected_(expected),
        remaining_(expected),
        completion_(std::move(completion)),
        object_(ObjectKind::kBarrier, name, this, sizeof(*this), location) {}

  // ~Barrier()
  // Precondition: no thread waits on it. Threads still blocked in wait() are recorded
  // as MisuseKind::kDestroyedWhileWaitedOn (in std, undefined behaviour).
  ~Barrier() { runtime::ReportWaitersAtDestruction(object_.id(), /*counted_waits=*/true); }

  Barrier(const Barrier&) = delete;
  Barrier& operator=(const Barrier&) = delete;

  // Barrier::arrive()
  // Precondition: n > 0 and at most the arrivals the current phase still expects.
  [[nodiscard]] arrival_token arrive(std::ptrdiff_t n = 1,
                                     std::source_location location = std::source_location::current()) {
    std::lock_guard<std::mutex> hold(mutex_);
    return ArriveLocked(n, location);
  }

  // Barrier::wait()
  // Blocks until the phase `token` came from has completed, then records kDepart.
  void wait(arrival_token&& token,
            std::source_location location = std::source_location::current()) const {
    uint32_t observed;
    {
      std::unique_lock<std::mutex> hold(mutex_);
      if (phase_ == token.phase_) {
        runtime::BlockedScope blocked(runtime::WaitKind::kBarrierWait, object_.id(), location);
        phase_done_.wait(hold, [&] { return phase_ != token.phase_; });
      }
      observed = completed_arrivals_;
    }
    object_.Record(EventKind::kDepart, 0, observed, location);
  }

  // Barrier::arrive_and_wait(): wait(arrive()).
  void arrive_and_wait(std::source_location location = std::source_location::current()) {
    wait(arrive(1, location), location);
  }

  // Barrier::arrive_and_drop()
  // Arrives at the current phase and lowers the expected count of later phases by one.
  void arrive_and_drop(std::source_location location = std::source_location::current()) {
    std::lock_guard<std::mutex> hold(mutex_);
    --expected_;
    (void)ArriveLocked(1, location);
  }

  static constexpr std::ptrdiff_t max() noexcept {
    return std::numeric_limits<std::ptrdiff_t>::max();
  }
  ObjectId object_id() const { return object_.id(); }

 private:
  arrival_token ArriveLocked(std::ptrdiff_t n, const std::source_location& location) {
    object_.Record(EventKind::kArrive, 0, ++arrivals_, location);
    arrival_token token(phase_);
    remaining_ -= n;
    if (remaining_ <= 0) {
      completion_();
      completed_arrivals_ = arrivals_;
      ++phase_;
      remaining_ = expected_;
      phase_done_.notify_all();
    }
    return token;
  }

  mutable std::mutex mutex_;
  mutable std::condition_variable phase_done_;
  std::ptrdiff_t expected_;         // guarded by mutex_
  std::ptrdiff_t remaining_;        // guarded by mutex_
  uint64_t phase_ = 0;              // guarded by mutex_
  uint32_t arrivals_ = 0;           // guarded by mutex_
  uint32_t completed_arrivals_ = 0;  // guarded by mutex_: last arrival of the last phase
  CompletionFunction completion_;
  runtime::RecordedObject object_;
};

}  // namespace harness

#endif  // HARNESS_SYNC_BARRIER_H_
