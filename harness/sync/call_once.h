// harness/sync/call_once.h: OnceFlag and CallOnce, drop-ins for std::once_flag and
// std::call_once. The call that runs the callable records kOnceDone when it returns;
// every CallOnce records kOnceWait, observing it (the call_once edge).
#ifndef HARNESS_SYNC_CALL_ONCE_H_
#define HARNESS_SYNC_CALL_ONCE_H_

#include <functional>
#include <mutex>
#include <source_location>
#include <string_view>
#include <utility>

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
  runtime::RecordedObject object_;
};

// The flag argument of CallOnce, carrying the caller's location (a variadic function
// cannot take a defaulted source_location of its own).
struct OnceFlagAt {
  OnceFlagAt(OnceFlag& flag, std::source_location location = std::source_location::current())
      : flag(flag), location(location) {}

  template <class F, class... Args>
  void Call(F&& f, Args&&... args) const {
    std::call_once(flag.flag_, [&] {
      std::invoke(std::forward<F>(f), std::forward<Args>(args)...);
      flag.object_.Record(EventKind::kOnceDone, 0, 1, location);
    });
    flag.object_.Record(EventKind::kOnceWait, 0, 1, location);
  }

  OnceFlag& flag;
  std::source_location location;
};

// CallOnce()
// As std::call_once: runs std::invoke(f, args...) once across all calls with `flag`; a
// call whose callable throws does not count, and the exception propagates.
template <class F, class... Args>
void CallOnce(OnceFlagAt flag, F&& f, Args&&... args) {
  flag.Call(std::forward<F>(f), std::forward<Args>(args)...);
}

}  // namespace harness

#endif  // HARNESS_SYNC_CALL_ONCE_H_
