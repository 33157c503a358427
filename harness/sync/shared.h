// harness/sync/shared.h: Shared<T>, a plain (non-atomic) shared variable whose every read
// and write is recorded for the race analysis, and RecordRead / RecordWrite for memory
// the user cannot wrap (arrays, buffers, container internals).
#ifndef HARNESS_SYNC_SHARED_H_
#define HARNESS_SYNC_SHARED_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <source_location>
#include <string_view>
#include <utility>

#include "harness/runtime/recorded_object.h"

namespace harness {

namespace sync_internal {

// One event per 65535 bytes at most (an event's size field is 16 bits). A zero-size
// access records nothing.
inline void RecordAccess(EventKind kind, const void* address, size_t size,
                         const std::source_location& location) {
  if (size == 0) return;
  SiteId site = runtime::CallSiteId(location);
  auto start = reinterpret_cast<uint64_t>(address);
  while (size > 0) {
    uint64_t piece = std::min<uint64_t>(size, kMaxAccessSize);
    runtime::Record(Event::Access(kind, site, start, piece));
    start += piece;
    size -= piece;
  }
}

}  // namespace sync_internal

// RecordRead() / RecordWrite()
// Record a plain read or write of [address, address + size) at the caller's location.
// Accesses larger than 65535 bytes are recorded as several events; a zero-size access
// records nothing. Never blocks.
inline void RecordRead(const void* address, size_t size,
                       std::source_location location = std::source_location::current()) {
  sync_internal::RecordAccess(EventKind::kRead, address, size, location);
}
inline void RecordWrite(const void* address, size_t size,
                        std::source_location location = std::source_location::current()) {
  sync_internal::RecordAccess(EventKind::kWrite, address, size, location);
}

// Shared<T>: not synchronized at all (that is the user's job); it only records. Reports
// name it by the name given here: `harness::Shared<long> balance{0, "balance"};`.
template <class T>
class Shared {
 public:
  explicit Shared(std::source_location location = std::source_location::current())
    requires std::is_default_constructible_v<T>
      : Shared(T{}, {}, location) {}
  // Shared(value, name): `name` appears in reports; it may be empty.
  Shared(T value, std::string_view name = {},
         std::source_location location = std::source_location::current())
      : value_(std::move(value)),
        object_(ObjectKind::kSharedVariable, name, &value_, sizeof(T), location) {}
  // Copying reads `other` and makes a new, unnamed variable.
  Shared(const Shared& other, std::source_location location = std::source_location::current())
      : Shared(other.load(location), {}, location) {}
  Shared& operator=(const Shared& other) {
    store(other.load());
    return *this;
  }

  // Shared::load() / store()
  T load(std::source_location location = std::source_location::current()) const {
    RecordRead(&value_, sizeof(T), location);
    return value_;
  }
  void store(T value, std::source_location location = std::source_location::current()) {
    RecordWrite(&value_, sizeof(T), location);
    value_ = std::move(value);
  }

  // Shared::read() / write()
  // Views for class types: read() records a read and gives const access, write() records
  // a write and gives mutable access. Record once per logical access: keep the
  // reference only for the one operation it stands for.
  const T& read(std::source_location location = std::source_location::current()) const {
    RecordRead(&value_, sizeof(T), location);
    return value_;
  }
  T& write(std::source_location location = std::source_location::current()) {
    RecordWrite(&value_, sizeof(T), location);
    return value_;
  }

  // Operators read and/or write like the plain expression would. They cannot take a
  // source_location, so their sites carry a stack that names the caller.
  operator T() const { return load(); }
  Shared& operator=(T value) {
    store(std::move(value));
    return *this;
  }
  template <class U> Shared& operator+=(const U& v) { return Update([&](T& x) { x += v; }); }
  template <class U> Shared& operator-=(const U& v) { return Update([&](T& x) { x -= v; }); }
  template <class U> Shared& operator*=(const U& v) { return Update([&](T& x) { x *= v; }); }
  template <class U> Shared& operator/=(const U& v) { return Update([&](T& x) { x /= v; }); }
  template <class U> Shared& operator%=(const U& v) { return Update([&](T& x) { x %= v; }); }
  template <class U> Shared& operator&=(const U& v) { return Update([&](T& x) { x &= v; }); }
  template <class U> Shared& operator|=(const U& v) { return Update([&](T& x) { x |= v; }); }
  template <class U> Shared& operator^=(const U& v) { return Update([&](T& x) { x ^= v; }); }
  template <class U> Shared& operator<<=(const U& v) { return Update([&](T& x) { x <<= v; }); }
  template <class U> Shared& operator>>=(const U& v) { return Update([&](T& x) { x >>= v; }); }
  Shared& operator++() { return Update([](T& x) { ++x; }); }
  Shared& operator--() { return Update([](T& x) { --x; }); }
  T operator++(int) {
    T old = load();
    store(old + 1);
    return old;
  }
  T operator--(int) {
    T old = load();
    store(old - 1);
    return old;
  }

  ObjectId object_id() const { return object_.id(); }

 private:
  // A compound assignment is a read followed by a write, as in plain code.
  template <class F>
  Shared& Update(F&& apply, std::source_location location = std::source_location::current()) {
    RecordRead(&value_, sizeof(T), location);
    RecordWrite(&value_, sizeof(T), location);
    apply(value_);
    return *this;
  }

  T value_;
  runtime::RecordedObject object_;
};

}  // namespace harness

#endif  // HARNESS_SYNC_SHARED_H_
