// harness/sync/atomic.h: Atomic<T>, a drop-in for std::atomic<T> that records every
// operation with its memory order, and which store each load read from.
#ifndef HARNESS_SYNC_ATOMIC_H_
#define HARNESS_SYNC_ATOMIC_H_

#include <atomic>
#include <cstdint>
#include <source_location>
#include <string_view>
#include <type_traits>

#include "harness/runtime/recorded_object.h"

namespace harness {

namespace sync_internal {

inline MemoryOrder ToMemoryOrder(std::memory_order order) {
  switch (order) {
    case std::memory_order_relaxed: return MemoryOrder::kRelaxed;
    case std::memory_order_consume: return MemoryOrder::kConsume;
    case std::memory_order_acquire: return MemoryOrder::kAcquire;
    case std::memory_order_release: return MemoryOrder::kRelease;
    case std::memory_order_acq_rel: return MemoryOrder::kAcquireRelease;
    case std::memory_order_seq_cst: return MemoryOrder::kSequentiallyConsistent;
  }
  return MemoryOrder::kSequentiallyConsistent;
}

// Makes "do the operation, read/bump the version, record" one step, so a load knows
// exactly which store it read. It must create no happens-before edge of its own, or
// ThreadSanitizer builds would see relaxed atomics as synchronizing: on x86-64 a
// relaxed exchange is a locked instruction and a plain store cannot pass earlier
// accesses (TSO), so relaxed operations plus compiler fences suffice there. Elsewhere
// it falls back to acquire/release (correct, but visible to ThreadSanitizer).
class OperationLock {
 public:
  void Lock() {
    while (busy_.exchange(true, kAcquire)) {
      while (busy_.load(std::memory_order_relaxed)) {
      }
    }
    std::atomic_signal_fence(std::memory_order_seq_cst);
  }
  void Unlock() {
    std::atomic_signal_fence(std::memory_order_seq_cst);
    busy_.store(false, kRelease);
  }

 private:
#if defined(__x86_64__)
  static constexpr std::memory_order kAcquire = std::memory_order_relaxed;
  static constexpr std::memory_order kRelease = std::memory_order_relaxed;
#else
  static constexpr std::memory_order kAcquire = std::memory_order_acquire;
  static constexpr std::memory_order kRelease = std::memory_order_release;
#endif
  std::atomic<bool> busy_{false};
};

}  // namespace sync_internal

// Atomic<T>: stores and read-modify-writes are producers numbered 1, 2, ...; a load
// records the number of the store it read. A failed compare-exchange records a load
// (with kFailedCompareExchange set).
template <class T>
class Atomic {
 public:
  using value_type = T;
  static constexpr bool is_always_lock_free = false;  // recording takes a short lock

  explicit Atomic(std::source_location location = std::source_location::current())
    requires std::is_default_constructible_v<T>
      : Atomic(T{}, {}, location) {}
  // Atomic(desired, name)
  // `name` appears in reports; it may be empty.
  Atomic(T desired, std::string_view name = {},
         std::source_location location = std::source_location::current())
      : value_(desired), object_(ObjectKind::kAtomic, name, &value_, sizeof(T), location) {}

  Atomic(const Atomic&) = delete;
  Atomic& operator=(const Atomic&) = delete;

  // Atomic::load()
  T load(std::memory_order order = std::memory_order_seq_cst,
         std::source_location location = std::source_location::current()) const {
    lock_.Lock();
    T result = value_.load(order);
    Recorded(EventKind::kAtomicLoad, order, version_.load(std::memory_order_relaxed), location);
    lock_.Unlock();
    return result;
  }

  // Atomic::store()
  void store(T desired, std::memory_order order = std::memory_order_seq_cst,
             std::source_location location = std::source_location::current()) {
    lock_.Lock();
    value_.store(desired, order);
    Recorded(EventKind::kAtomicStore, order, NextVersion(), location);
    lock_.Unlock();
  }

  // Atomic::exchange()
  T exchange(T desired, std::memory_order order = std::memory_order_seq_cst,
             std::source_location location = std::source_location::current()) {
    return Modify([&] { return value_.exchange(desired, order); }, order, location);
  }

  // Atomic::compare_exchange_weak() / compare_exchange_strong()
  // As std::atomic. A success records a read-modify-write with `success`'s order, a
  // failure a load with `failure`'s order.
  bool compare_exchange_weak(T& expected, T desired, std::memory_order success,
                             std::memory_order failure,
                             std::source_location location = std::source_location::current()) {
    return CompareExchange<true>(expected, desired, success, failure, location);
  }
  bool compare_exchange_weak(T& expected, T desired,
                             std::memory_order order = std::memory_order_seq_cst,
                             std::source_location location = std::source_location::current()) {
    return CompareExchange<true>(expected, desired, order, FailureOrder(order), location);
  }
  bool compare_exchange_strong(T& expected, T desired, std::memory_order success,
                               std::memory_order failure,
                               std::source_location location = std::source_location::current()) {
    return CompareExchange<false>(expected, desired, success, failure, location);
  }
  bool compare_exchange_strong(T& expected, T desired,
                               std::memory_order order = std::memory_order_seq_cst,
                               std::source_location location = std::source_location::current()) {
    return CompareExchange<false>(expected, desired, order, FailureOrder(order), location);
  }

  // Atomic::fetch_add() / fetch_sub(): integral and pointer T.
  template <class D = T>
    requires(std::is_integral_v<D> || std::is_pointer_v<D>)
  T fetch_add(std::conditional_t<std::is_pointer_v<D>, std::ptrdiff_t, D> arg,
              std::memory_order order = std::memory_order_seq_cst,
              std::source_location location = std::source_location::current()) {
    return Modify([&] { return value_.fetch_add(arg, order); }, order, location);
  }
  template <class D = T>
    requires(std::is_integral_v<D> || std::is_pointer_v<D>)
  T fetch_sub(std::conditional_t<std::is_pointer_v<D>, std::ptrdiff_t, D> arg,
              std::memory_order order = std::memory_order_seq_cst,
              std::source_location location = std::source_location::current()) {
    return Modify([&] { return value_.fetch_sub(arg, order); }, order, location);
  }
  // Atomic::fetch_and() / fetch_or() / fetch_xor(): integral T.
  template <class D = T>
    requires std::is_integral_v<D>
  T fetch_and(D arg, std::memory_order order = std::memory_order_seq_cst,
              std::source_location location = std::source_location::current()) {
    return Modify([&] { return value_.fetch_and(arg, order); }, order, location);
  }
  template <class D = T>
    requires std::is_integral_v<D>
  T fetch_or(D arg, std::memory_order order = std::memory_order_seq_cst,
             std::source_location location = std::source_location::current()) {
    return Modify([&] { return value_.fetch_or(arg, order); }, order, location);
  }
  template <class D = T>
    requires std::is_integral_v<D>
  T fetch_xor(D arg, std::memory_order order = std::memory_order_seq_cst,
              std::source_location location = std::source_location::current()) {
    return Modify([&] { return value_.fetch_xor(arg, order); }, order, location);
  }

  // Operators are seq_cst, as std::atomic's. They cannot take a source_location, so
  // their sites carry a stack that names the caller.
  operator T() const { return load(); }
  T operator=(T desired) {
    store(desired);
    return desired;
  }
  template <class D = T>
    requires(std::is_integral_v<D> || std::is_pointer_v<D>)
  T operator++() { return fetch_add(1) + 1; }
  template <class D = T>
    requires(std::is_integral_v<D> || std::is_pointer_v<D>)
  T operator++(int) { return fetch_add(1); }
  template <class D = T>
    requires(std::is_integral_v<D> || std::is_pointer_v<D>)
  T operator--() { return fetch_sub(1) - 1; }
  template <class D = T>
    requires(std::is_integral_v<D> || std::is_pointer_v<D>)
  T operator--(int) { return fetch_sub(1); }
  template <class D = T>
    requires(std::is_integral_v<D> || std::is_pointer_v<D>)
  T operator+=(std::conditional_t<std::is_pointer_v<D>, std::ptrdiff_t, D> arg) {
    return fetch_add(arg) + arg;
  }
  template <class D = T>
    requires(std::is_integral_v<D> || std::is_pointer_v<D>)
  T operator-=(std::conditional_t<std::is_pointer_v<D>, std::ptrdiff_t, D> arg) {
    return fetch_sub(arg) - arg;
  }
  template <class D = T>
    requires std::is_integral_v<D>
  T operator&=(D arg) { return fetch_and(arg) & arg; }
  template <class D = T>
    requires std::is_integral_v<D>
  T operator|=(D arg) { return fetch_or(arg) | arg; }
  template <class D = T>
    requires std::is_integral_v<D>
  T operator^=(D arg) { return fetch_xor(arg) ^ arg; }

  bool is_lock_free() const noexcept { return false; }
  ObjectId object_id() const { return object_.id(); }

 private:
  static std::memory_order FailureOrder(std::memory_order order) {
    if (order == std::memory_order_acq_rel) return std::memory_order_acquire;
    if (order == std::memory_order_release) return std::memory_order_relaxed;
    return order;
  }

  void Recorded(EventKind kind, std::memory_order order, uint32_t version,
                const std::source_location& location, uint8_t extra = 0) const {
    object_.Record(kind, static_cast<uint8_t>(sync_internal::ToMemoryOrder(order)) | extra,
                   version, location);
  }

  uint32_t NextVersion() { return version_.fetch_add(1, std::memory_order_relaxed) + 1; }

  template <class Operation>
  T Modify(Operation operation, std::memory_order order, const std::source_location& location) {
    lock_.Lock();
    T previous = operation();
    Recorded(EventKind::kAtomicReadModifyWrite, order, NextVersion(), location);
    lock_.Unlock();
    return previous;
  }

  template <bool kWeak>
  bool CompareExchange(T& expected, T desired, std::memory_order success,
                       std::memory_order failure, const std::source_location& location) {
    lock_.Lock();
    bool exchanged = kWeak ? value_.compare_exchange_weak(expected, desired, success, failure)
                           : value_.compare_exchange_strong(expected, desired, success, failure);
    if (exchanged) {
      Recorded(EventKind::kAtomicReadModifyWrite, success, NextVersion(), location);
    } else {
      Recorded(EventKind::kAtomicLoad, failure, version_.load(std::memory_order_relaxed), location,
               kFailedCompareExchange);
    }
    lock_.Unlock();
    return exchanged;
  }

  std::atomic<T> value_;
  mutable sync_internal::OperationLock lock_;
  // Number of the last store or RMW, only changed under lock_. Relaxed atomic, so that
  // ThreadSanitizer builds see neither a race nor an edge (see OperationLock).
  std::atomic<uint32_t> version_{0};
  runtime::RecordedObject object_;
};

}  // namespace harness

#endif  // HARNESS_SYNC_ATOMIC_H_
