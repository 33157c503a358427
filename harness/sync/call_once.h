// harness/sync/call_once.h: OnceFlag and CallOnce, drop-ins for std::once_flag and
// std::call_once. The call that runs the callable records kOnceDone when it returns;
// every CallOnce records kOnceWait, observing it (the call_once edge). A call that waits
// for another thread's callable is visible to the deadlock watchdog.
#ifndef HARNESS_SYNC_CALL_ONCE_H_
#define HARNESS_SYNC_CALL_ONCE_H_

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <source_location>
#include <string_view>
#include <utility>

#include "harness/runtime/blocking.h"
#include "harness/runtime/recorded_object.h"

namespace harness {

class OnceFlag {
 public:
  // OnceFlag(name): `name` appears in reports; it may be empty.
  explicit OnceFlag(std::string_view name = {},
                    std::source_location location = std::source_location::current())
      : object_(ObjectKind::kOnceFlag, name, this, sizeof(*this), location) {}

  OnceFlag(const OnceFlag&) = delete;
  OnceFlag& operator=(const OnceFlag&) = delete;

  ObjectId object_id() const { return object_.id(); }

 private:
  friend struct OnceFlagAt;
  std::once_flag flag_;
  std::atomic<bool> done_{false};  // the callable has returned: no call waits any more
  runtime::RecordedObject object_;
};

// The flag argument of CallOnce, carrying the caller's location (a variadic function
// cannot take a defaulted source_location of its own).
struct OnceFlagAt {
  OnceFlagAt(OnceFlag& flag, std::source_location location = std::source_location::current())
      : flag(flag), location(location) {}

  template <class F, class... Args>
  void Call(F&& f, Args&&... args) const {
    // Until the flag is done, this call may wait for another thread's callable: the
    // deadlock watchdog sees the wait. The call that runs the callable is not waiting,
    // and says so first thing.
    std::optional<runtime::BlockedScope> waiting;
    if (!flag.done_.load(std::memory_order_acquire)) {
      waiting.emplace(runtime::WaitKind::kOnceWait, flag.object_.id(), location);
    }
    std::call_once(flag.flag_, [&] {
      waiting.reset();
      runtime::RunningOnceScope running(flag.object_.id());
      std::invoke(std::forward<F>(f), std::forward<Args>(args)...);
      flag.object_.Record(EventKind::kOnceDone, 0, 1, location);
      flag.done_.store(true, std::memory_order_release);
    });
    waiting.reset();
    flag.object_.Record(EventKind::kOnceWait, 0, 1, location);
  }

  OnceFlag& flag;
  std::source_location location;
};

// CallOnce()
// As std::call_once: runs std::invoke(f, args...) once across all calls with `flag`; a
// call whose callable throws does not count, and the exception propagates. A call that
// waits for another thread's callable counts as blocked for the deadlock watchdog (a
// callable that waits for the waiting thread is a deadlock it reports).
template <class F, class... Args>
void CallOnce(OnceFlagAt flag, F&& f, Args&&... args) {
  flag.Call(std::forward<F>(f), std::forward<Args>(args)...);
}

}  // namespace harness

#endif  // HARNESS_SYNC_CALL_ONCE_H_
