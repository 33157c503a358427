// harness/trace/event.h: the event model. One Event per operation on an instrumented
// primitive, 16 bytes, the same in memory and on disk.
#ifndef HARNESS_TRACE_EVENT_H_
#define HARNESS_TRACE_EVENT_H_

#include <cstdint>
#include "absl/strings/string_view.h"

namespace harness {

// Index into Trace::threads() (dense per trace), or into the recorder's thread table
// while recording.
using ThreadId = uint16_t;
// Index into Trace::objects().
using ObjectId = uint32_t;
// Index into Trace::sites().
using SiteId = uint32_t;

inline constexpr ThreadId kNoThread = 0xffff;
inline constexpr ObjectId kNoObject = 0xffffffff;
inline constexpr SiteId kNoSite = 0xffffffff;

// What an event did. The numeric values are part of the binary trace format: append
// new kinds at the end, never renumber.
enum class EventKind : uint8_t {
  // Threads. The object is the thread's own object (ThreadInfo::object).
  kThreadStart = 0,   // first event of a thread; observes kThreadCreate's sequence
  kThreadEnd = 1,     // last event of a thread
  kThreadCreate = 2,  // by the parent: object is the child
  kThreadJoin = 3,    // by the joiner: observes the child's kThreadEnd
  kThreadDetach = 4,
  // Mutexes (all kinds). Detail: LockDetail bits.
  kLock = 5,           // exclusive lock acquired (blocking or successful try)
  kUnlock = 6,         // exclusive unlock
  kLockShared = 7,     // shared (reader) lock acquired
  kUnlockShared = 8,   // shared unlock
  kTryLockFailed = 9,  // a try-lock (either mode) that did not acquire
  // Condition variables. The wait's release and re-acquisition of the mutex are
  // separate kUnlock / kLock events with LockDetail::kByConditionWait.
  kWaitBegin = 10,  // object: the condvar; detail: wait_detail bits
  kWaitEnd = 11,    // observes the newest notify; detail: 1 if it timed out
  kNotify = 12,     // detail: 1 for notify_all
  // Atomics. Detail: MemoryOrder (low 3 bits); RMW also ORs kFailedCompareExchange.
  kAtomicLoad = 13,
  kAtomicStore = 14,
  kAtomicReadModifyWrite = 15,
  // Plain memory. Payload: address and size (Event::address(), Event::access_size()).
  kRead = 16,
  kWrite = 17,
  // Promise / future. Object: the shared state.
  kPromiseSet = 18,
  kFutureGet = 19,  // any wait that observed the value (get, wait, ready wait_for)
  // Latch and barrier.
  kArrive = 20,  // count_down / arrive
  kDepart = 21,  // returned from wait: observes the arrivals of its phase
  // Counting semaphore.
  kSemaphoreRelease = 22,
  kSemaphoreAcquire = 23,  // observes the newest release
  // call_once.
  kOnceDone = 24,  // the callable returned normally
  kOnceWait = 25,  // call_once returned: observes kOnceDone
  // Object lifetime. Payload: the object (no sequence).
  kObjectCreate = 26,
  kObjectDestroy = 27,
  // Misuse the wrappers caught and did not pass on to the std primitive (where that
  // would be undefined behaviour or a self-deadlock). No ordering.
  kLockRefused = 28,     // lock of a non-recursive mutex by its holder; detail: LockDetail
  kUnlockRefused = 29,   // unlock by a thread that does not hold it; detail: kShared bit
  kThreadAbandoned = 30, // a Thread destroyed while joinable (the harness joins it)
  // By the thread destroying a primitive another thread is blocked on (one event per
  // blocked thread, just before kObjectDestroy). Object: the primitive; site: where the
  // blocked thread waits; the sequence field holds the blocked thread (a ThreadId, or
  // kNoThread when that thread recorded nothing in the trace). No ordering.
  kDestroyedWhileWaitedOn = 31,
};

inline constexpr int kEventKindCount = 32;

// Detail bits of kWaitBegin.
namespace wait_detail {
inline constexpr uint8_t kTimed = 1;
// The waiting thread did not hold the mutex: the wrapper took it for the wait.
inline constexpr uint8_t kWithoutMutex = 2;
}  // namespace wait_detail

// How an event is placed among other threads' events when per-thread streams are merged.
enum class OrderingRole : uint8_t {
  kUnordered,  // only program order matters (plain accesses, creation, ...)
  kProducer,   // bumps its object's version: sequence == previous version + 1
  kObserver,   // needs its object's version to have reached sequence
};

OrderingRole OrderingRoleOf(EventKind kind);
absl::string_view EventKindName(EventKind kind);
// kRead / kWrite (inline: readers and analyses ask it of every event).
inline bool IsMemoryAccess(EventKind kind) {
  return kind == EventKind::kRead || kind == EventKind::kWrite;
}

// Detail bits of lock events.
namespace lock_detail {
inline constexpr uint8_t kTry = 1;              // acquired by try_lock*
inline constexpr uint8_t kByConditionWait = 2;  // released / re-taken by a condvar wait
inline constexpr uint8_t kRecursive = 4;        // re-entry of a recursive mutex by its holder
inline constexpr uint8_t kShared = 8;           // kTryLockFailed: the shared mode
}  // namespace lock_detail

// std::memory_order as stored in an atomic event's detail.
enum class MemoryOrder : uint8_t {
  kRelaxed = 0,
  kConsume = 1,
  kAcquire = 2,
  kRelease = 3,
  kAcquireRelease = 4,
  kSequentiallyConsistent = 5,
};
inline constexpr uint8_t kMemoryOrderMask = 7;
inline constexpr uint8_t kFailedCompareExchange = 8;
absl::string_view MemoryOrderName(MemoryOrder order);

// Plain accesses carry a 48-bit address (all user-space addresses on x86-64 and
// AArch64 Linux) and a 16-bit size; larger accesses are recorded as several events.
inline constexpr uint64_t kMaxAccessSize = 0xffff;
inline constexpr uint64_t kAddressMask = (uint64_t{1} << 48) - 1;

struct Event {
  EventKind kind;
  uint8_t detail;
  ThreadId thread;  // set when streams are merged into a Trace
  SiteId site;
  // Sync events: object (low 32 bits) and sequence (high 32 bits).
  // Memory accesses: address (low 48 bits) and size (high 16 bits).
  uint64_t payload;

  static Event Sync(EventKind kind, uint8_t detail, SiteId site, ObjectId object,
                    uint32_t sequence) {
    return Event{kind, detail, kNoThread, site,
                 uint64_t{object} | (uint64_t{sequence} << 32)};
  }
  static Event Access(EventKind kind, SiteId site, uint64_t address, uint64_t size) {
    return Event{kind, 0, kNoThread, site, (address & kAddressMask) | (size << 48)};
  }

  ObjectId object() const { return static_cast<ObjectId>(payload); }
  uint32_t sequence() const { return static_cast<uint32_t>(payload >> 32); }
  uint64_t address() const { return payload & kAddressMask; }
  uint32_t access_size() const { return static_cast<uint32_t>(payload >> 48); }
  MemoryOrder memory_order() const {
    return static_cast<MemoryOrder>(detail & kMemoryOrderMask);
  }

  void set_object(ObjectId object) {
    payload = (payload & ~uint64_t{0xffffffff}) | object;
  }

  friend bool operator==(const Event&, const Event&) = default;
};

static_assert(sizeof(Event) == 16, "an event must stay 16 bytes in memory and on disk");

}  // namespace harness

#endif  // HARNESS_TRACE_EVENT_H_
