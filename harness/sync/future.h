// harness/sync/future.h: Promise<T> and Future<T>, drop-ins for std::promise and
// std::future that record the set (kPromiseSet) and every wait that saw the value
// (kFutureGet), which gives the promise -> future edge.
#ifndef HARNESS_SYNC_FUTURE_H_
#define HARNESS_SYNC_FUTURE_H_

#include <chrono>
#include <exception>
#include <future>
#include <memory>
#include <source_location>
#include <string_view>
#include <utility>

#include "harness/runtime/blocking.h"
#include "harness/runtime/recorded_object.h"

namespace harness {

template <class T>
class Promise;

// Future<T>: obtained from Promise<T>::get_future() (or ThreadPool::submit).
template <class T>
class Future {
 public:
  Future() noexcept = default;
  Future(Future&&) noexcept = default;
  Future& operator=(Future&&) noexcept = default;

  // Future::get()
  // Precondition: valid(). Waits for the value, records kFutureGet, then returns it (or
  // throws the stored exception). Afterwards valid() is false.
  T get(std::source_location location = std::source_location::current()) {
    Wait(location);
    RecordObserved(location);
    return future_.get();
  }

  // Future::wait() / wait_for() / wait_until()
  // Wait for the value; a wait that sees it records kFutureGet.
  void wait(std::source_location location = std::source_location::current()) const {
    Wait(location);
    RecordObserved(location);
  }
  template <class Rep, class Period>
  std::future_status wait_for(const std::chrono::duration<Rep, Period>& timeout,
                              std::source_location location = std::source_location::current()) const {
    std::future_status status = future_.wait_for(timeout);
    if (status == std::future_status::ready) RecordObserved(location);
    return status;
  }
  template <class Clock, class Duration>
  std::future_status wait_until(const std::chrono::time_point<Clock, Duration>& deadline,
                                std::source_location location = std::source_location::current()) const {
    std::future_status status = future_.wait_until(deadline);
    if (status == std::future_status::ready) RecordObserved(location);
    return status;
  }

  bool valid() const noexcept { return future_.valid(); }
  ObjectId object_id() const { return object_; }

 private:
  friend class Promise<T>;
  Future(std::future<T> future, ObjectId object) : future_(std::move(future)), object_(object) {}

  // Waits for the value, telling the deadlock watchdog when it is not there yet.
  void Wait(const std::source_location& location) const {
    if (future_.wait_for(std::chrono::seconds(0)) == std::future_status::ready) return;
    runtime::BlockedScope blocked(runtime::WaitKind::kFutureWait, object_, location);
    future_.wait();
  }

  void RecordObserved(const std::source_location& location) const {
    runtime::Record(Event::Sync(EventKind::kFutureGet, 0, runtime::CallSiteId(location),
                                object_, 1));
  }

  std::future<T> future_;
  ObjectId object_ = kNoObject;
};

// Promise<T>: the shared state is the recorded object (ObjectKind::kPromise).
template <class T>
class Promise {
 public:
  // Promise(name): `name` appears in reports; it may be empty.
  explicit Promise(std::string_view name = {},
                   std::source_location location = std::source_location::current())
      : object_(std::make_unique<runtime::RecordedObject>(ObjectKind::kPromise, name, this,
                                                          sizeof(*this), location)) {}
  Promise(Promise&&) noexcept = default;
  Promise& operator=(Promise&&) noexcept = default;

  // Promise::get_future()
  // Throws std::future_error if called twice, like std::promise.
  Future<T> get_future() { return Future<T>(promise_.get_future(), object_->id()); }

  // Promise::set_value() / set_exception()
  // Store the value or exception, then record kPromiseSet. Throw std::future_error when
  // already satisfied, like std::promise (then nothing is recorded).
  template <class V>
    requires(!std::is_void_v<T> && std::is_convertible_v<V &&, T>)
  void set_value(V&& value, std::source_location location = std::source_location::current()) {
    promise_.set_value(std::forward<V>(value));
    object_->Record(EventKind::kPromiseSet, 0, 1, location);
  }
  void set_value(std::source_location location = std::source_location::current())
    requires std::is_void_v<T>
  {
    promise_.set_value();
    object_->Record(EventKind::kPromiseSet, 0, 1, location);
  }
  void set_exception(std::exception_ptr exception,
                     std::source_location location = std::source_location::current()) {
    promise_.set_exception(std::move(exception));
    object_->Record(EventKind::kPromiseSet, 0, 1, location);
  }

  ObjectId object_id() const { return object_->id(); }

 private:
  std::promise<T> promise_;
  // Held by pointer so the promise stays movable.
  std::unique_ptr<runtime::RecordedObject> object_;
};

}  // namespace harness

#endif  // HARNESS_SYNC_FUTURE_H_
