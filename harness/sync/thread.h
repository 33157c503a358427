// harness/sync/thread.h: Thread, a drop-in for std::thread that records its creation,
// start, end and join (the fork and join edges), with an optional leading name:
// `harness::Thread worker("worker-1", fn, args...)`.
#ifndef HARNESS_SYNC_THREAD_H_
#define HARNESS_SYNC_THREAD_H_

#include <concepts>
#include <functional>
#include <source_location>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <utility>

#include "harness/runtime/blocking.h"
#include "harness/runtime/call_site.h"
#include "harness/runtime/recorder.h"

namespace harness {

// A thread's name, converted implicitly from a string, carrying the caller's location
// (a variadic constructor cannot take a defaulted source_location of its own).
struct ThreadName {
  template <class S>
    requires std::convertible_to<const S&, std::string_view>
  ThreadName(const S& name, std::source_location location = std::source_location::current())
      : name(std::string_view(name)), location(location) {}

  std::string_view name;
  std::source_location location;
};

class Thread {
 public:
  using id = std::thread::id;
  using native_handle_type = std::thread::native_handle_type;

  Thread() noexcept = default;

  // Thread(name, f, args...)
  // Starts a thread running std::invoke(f, args...), like std::thread, named `name` in
  // reports. Records kThreadCreate here and kThreadStart / kThreadEnd on the new thread.
  template <class F, class... Args>
  explicit Thread(ThreadName name, F&& f, Args&&... args) {
    Start(name.name, runtime::CallSiteId(name.location), std::forward<F>(f),
          std::forward<Args>(args)...);
  }

  // Thread(f, args...)
  // As above, unnamed. The creation site is found from the stack, since this form
  // cannot take a source_location.
  template <class F, class... Args>
    requires(!std::convertible_to<const std::remove_cvref_t<F>&, std::string_view> &&
             !std::same_as<std::remove_cvref_t<F>, Thread> &&
             !std::same_as<std::remove_cvref_t<F>, ThreadName>)
  explicit Thread(F&& f, Args&&... args) {
    Start("", runtime::CallSiteId(std::source_location::current()), std::forward<F>(f),
          std::forward<Args>(args)...);
  }

  Thread(Thread&& other) noexcept
      : thread_(std::move(other.thread_)), object_(std::exchange(other.object_, kNoObject)) {}
  // Misuse: assigning over a joinable Thread (std::terminate in std) is handled as the
  // destructor handles it.
  Thread& operator=(Thread&& other) noexcept {
    Abandon();
    thread_ = std::move(other.thread_);
    object_ = std::exchange(other.object_, kNoObject);
    return *this;
  }
  Thread(const Thread&) = delete;
  Thread& operator=(const Thread&) = delete;

  // ~Thread()
  // Misuse: destroying a joinable Thread calls std::terminate in std, killing the test
  // before anything is reported. The harness records kThreadAbandoned (reported as a
  // misuse) and joins the thread instead, which keeps memory the thread uses valid; if
  // the thread never ends, the deadlock watchdog reports the hang.
  ~Thread() { Abandon(); }

  bool joinable() const noexcept { return thread_.joinable(); }
  id get_id() const noexcept { return thread_.get_id(); }
  native_handle_type native_handle() { return thread_.native_handle(); }
  static unsigned int hardware_concurrency() noexcept {
    return std::thread::hardware_concurrency();
  }

  // Thread::join()
  // Precondition: joinable(). Waits for the thread to finish, then records kThreadJoin
  // (which observes the thread's kThreadEnd). Throws std::system_error like std::thread.
  void join(std::source_location location = std::source_location::current()) {
    {
      runtime::BlockedScope blocked(runtime::WaitKind::kJoin, object_, location);
      thread_.join();
    }
    runtime::Record(Event::Sync(EventKind::kThreadJoin, 0, runtime::CallSiteId(location),
                                object_, 2));
    runtime::ReleaseThreadObject(object_);
  }

  // Thread::detach()
  // Precondition: joinable(). Records kThreadDetach; the thread can no longer be joined.
  void detach(std::source_location location = std::source_location::current()) {
    thread_.detach();
    runtime::Record(Event::Sync(EventKind::kThreadDetach, 0, runtime::CallSiteId(location),
                                object_, 0));
    runtime::ReleaseThreadObject(object_);
  }

  void swap(Thread& other) noexcept {
    std::swap(thread_, other.thread_);
    std::swap(object_, other.object_);
  }

  // The thread's object in the recording.
  ObjectId object_id() const { return object_; }

 private:
  template <class F, class... Args>
  void Start(std::string_view name, SiteId site, F&& f, Args&&... args) {
    absl::string_view recorded_name(name.data(), name.size());
    object_ = runtime::ReserveThreadObject(recorded_name, site);
    runtime::NewThreadIdentity identity{std::string(recorded_name),
                                        runtime::CurrentThreadNumber(), site, object_};
    runtime::Record(Event::Sync(EventKind::kThreadCreate, 0, site, object_, 1));
    try {
      thread_ = std::thread(
          [identity = std::move(identity), f = std::forward<F>(f),
           ... args = std::forward<Args>(args)]() mutable {
            ObjectId object = identity.object;
            SiteId creation_site = identity.creation_site;
            runtime::AdoptThreadIdentity(std::move(identity));
            std::invoke(std::move(f), std::move(args)...);
            runtime::Record(Event::Sync(EventKind::kThreadEnd, 0, creation_site, object, 2));
          });
    } catch (...) {
      // No thread started (std::system_error, like std::thread): neither holder of the
      // reserved object will release it.
      runtime::CancelThreadStart(object_);
      runtime::ReleaseThreadObject(std::exchange(object_, kNoObject));
      throw;
    }
  }

  void Abandon() noexcept {
    if (!thread_.joinable()) return;
    runtime::Record(Event::Sync(EventKind::kThreadAbandoned, 0, kNoSite, object_, 0));
    {
      runtime::BlockedScope blocked(runtime::WaitKind::kJoin, object_, kNoSite);
      thread_.join();
    }
    runtime::Record(Event::Sync(EventKind::kThreadJoin, 0, kNoSite, object_, 2));
    runtime::ReleaseThreadObject(object_);
  }

  std::thread thread_;
  ObjectId object_ = kNoObject;
};

}  // namespace harness

#endif  // HARNESS_SYNC_THREAD_H_
