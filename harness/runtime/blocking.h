// harness/runtime/blocking.h: what a thread is blocked on right now. The wrappers
// announce each wait that may block for good (a contended lock, an untimed condvar
// wait, a join, a future, latch, barrier or semaphore wait, a CallOnce that finds
// another thread running the callable) with a BlockedScope; the
// deadlock watchdog (watchdog.h) reads these announcements to build its wait-for graph,
// and destroying a primitive that a thread is blocked on is caught from them.
//
// Timed waits and try-locks are never announced: they cannot deadlock.
#ifndef HARNESS_RUNTIME_BLOCKING_H_
#define HARNESS_RUNTIME_BLOCKING_H_

#include <atomic>
#include <cstdint>
#include <source_location>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "harness/runtime/call_site.h"
#include "harness/runtime/recorder.h"

namespace harness::runtime {

// What kind of wait a blocked thread is in. The first three wait for known threads
// (the holders of a mutex, a thread being joined); the others can be ended by any
// thread (a notify, a set_value, an arrival, a release).
enum class WaitKind : uint8_t {
  kLock,              // exclusive lock of a mutex: waits for its holders
  kLockShared,        // shared lock of a SharedMutex: waits for its writer
  kJoin,              // Thread::join: waits for that thread to end
  kConditionWait,     // untimed CondVar::wait
  kFutureWait,        // Future::get / wait
  kLatchWait,         // Latch::wait / arrive_and_wait
  kBarrierWait,       // Barrier::wait / arrive_and_wait
  kSemaphoreAcquire,  // CountingSemaphore::acquire
  kOnceWait,          // CallOnce while another thread runs the callable
};
absl::string_view WaitKindName(WaitKind kind);  // "lock", "condition wait", ...

// Threads blocked in a BlockedScope right now, process-wide (lock attempts are not
// counted: see LockAttemptScope). Lets destructors of primitives other than mutexes
// skip the scan for waiters when nothing is blocked.
extern std::atomic<uint32_t> g_blocked_thread_count;

// Starts the watchdog thread when the first thread registers (set by the watchdog
// library, which //harness links in; null means no watchdog).
using WatchdogStarter = void (*)();
void SetWatchdogStarter(WatchdogStarter starter);
void StartWatchdogOnce();

// BlockedScope
// Declared by a wrapper right before the std call that may block, with the object it
// waits on and the user's call site; its destructor marks the wait over. Cheap (a few
// stores and two counter updates), and only on paths that block anyway.
//
// LockAttemptScope (BasicBlockedScope<false>) is the same for lock() and lock_shared(),
// which cannot tell before the std call whether it will block (a try_lock first costs
// more than all the rest the harness does per lock): it marks every attempt, with
// plain stores to the thread's own state and no process-wide count. The watchdog looks
// at every thread anyway; only a wait that lasts counts.
template <bool kCounted>
class BasicBlockedScope {
 public:
  // `token` is the primitive's own note about the wait, handed back by
  // ThreadsBlockedOn() (CondVar: the notify count when the wait began).
  BasicBlockedScope(WaitKind kind, ObjectId object, const std::source_location& location,
                    uint32_t token = 0)
      : BasicBlockedScope(kind, object, CallSiteId(location), token) {}
  // For waits without a caller location (a destructor's join): `site` may be kNoSite.
  BasicBlockedScope(WaitKind kind, ObjectId object, SiteId site, uint32_t token = 0)
      : state_(RegisteredThreadState()) {
    BlockedState& blocked = state_->blocked;
    // Release stores (plain moves on x86-64): a reader that sees one of these values
    // then sees the epoch that ended the previous wait, so it notices a torn read.
    blocked.token.store(token, std::memory_order_release);
    blocked.kind.store(static_cast<uint8_t>(kind), std::memory_order_release);
    blocked.object.store(object, std::memory_order_release);
    blocked.site.store(site, std::memory_order_release);
    // Odd: blocked. Release, so a reader that sees the new epoch sees the fields.
    blocked.epoch.store(blocked.epoch.load(std::memory_order_relaxed) + 1,
                        std::memory_order_release);
    if constexpr (kCounted) {
      g_blocked_thread_count.fetch_add(1, std::memory_order_relaxed);
      StartWatchdogOnce();
    }
  }
  ~BasicBlockedScope() {
    BlockedState& blocked = state_->blocked;
    blocked.epoch.store(blocked.epoch.load(std::memory_order_relaxed) + 1,
                        std::memory_order_release);
    if constexpr (kCounted) g_blocked_thread_count.fetch_sub(1, std::memory_order_relaxed);
  }

  BasicBlockedScope(const BasicBlockedScope&) = delete;
  BasicBlockedScope& operator=(const BasicBlockedScope&) = delete;

 private:
  ThreadState* state_;
};
using BlockedScope = BasicBlockedScope<true>;
using LockAttemptScope = BasicBlockedScope<false>;

// RunningOnceScope
// Declared by CallOnce on the thread that runs the callable, for as long as it runs:
// the watchdog then knows whom the calls waiting on the same flag wait for. Nests (a
// callable calling CallOnce on another flag); the outer flag is restored at the end.
class RunningOnceScope {
 public:
  explicit RunningOnceScope(ObjectId flag)
      : state_(RegisteredThreadState()),
        outer_(state_->running_once.load(std::memory_order_relaxed)) {
    state_->running_once.store(flag, std::memory_order_release);
  }
  ~RunningOnceScope() { state_->running_once.store(outer_, std::memory_order_release); }

  RunningOnceScope(const RunningOnceScope&) = delete;
  RunningOnceScope& operator=(const RunningOnceScope&) = delete;

 private:
  ThreadState* state_;
  ObjectId outer_;
};

// One registered, live thread as the watchdog sees it.
struct ThreadSnapshot {
  ThreadNumber number = kNoThreadNumber;
  bool blocked = false;
  uint32_t epoch = 0;  // changes on every block and unblock
  WaitKind kind = WaitKind::kLock;
  ObjectId waits_for = kNoObject;  // global object id
  SiteId site = kNoSite;
  uint32_t token = 0;  // BlockedScope's token
  ObjectId running_once = kNoObject;  // the once flag whose callable it runs, if any
};

// SnapshotLiveThreads()
// Every registered thread that has not exited, with what it is blocked on and the once
// flag whose callable it runs. Each thread's wait is consistent in itself (read under
// its epoch); entries of different threads are read one after the other. `threads_starting`, if given, gets the number
// of threads harness::Thread has started that have not registered yet (at the same
// instant as the list): they will run, though the list cannot show them.
std::vector<ThreadSnapshot> SnapshotLiveThreads(uint32_t* threads_starting = nullptr);

// ThreadsBlockedOn()
// The threads blocked on `object` now (or, for a mutex, trying to lock it), other than
// the caller, with where they block and their BlockedScope token. For destructors:
// destroying a primitive that a thread still waits in is undefined behaviour in std,
// and a misuse the harness reports. Scans every thread under the registry's lock.
struct BlockedWaiter {
  ThreadNumber number = kNoThreadNumber;
  SiteId site = kNoSite;
  uint32_t token = 0;
  std::string name;
};
std::vector<BlockedWaiter> ThreadsBlockedOn(ObjectId object);

// RecordDestroyedWhileWaitedOn()
// Records kDestroyedWhileWaitedOn (on the calling, destroying thread) for `waiter`,
// and says so on stderr at once.
void RecordDestroyedWhileWaitedOn(ObjectId object, const BlockedWaiter& waiter);

// ReportWaitersAtDestruction()
// For the destructors of primitives whose waiters wait inside the primitive's own
// memory (mutexes, latches, barriers, semaphores, condition variables): records every
// thread blocked on it that `misused` says may not be (default: every one), and says
// whether there was any. `counted_waits`: its waits use BlockedScope, so the scan is
// skipped when no thread is blocked anywhere (mutexes' lock attempts are not counted:
// always scanned).
inline bool ReportWaitersAtDestruction(
    ObjectId object, bool counted_waits,
    bool (*misused)(const BlockedWaiter& waiter, uint32_t context) = nullptr,
    uint32_t context = 0) {
  if (counted_waits && g_blocked_thread_count.load(std::memory_order_relaxed) == 0) {
    return false;
  }
  bool any = false;
  for (const BlockedWaiter& waiter : ThreadsBlockedOn(object)) {
    if (misused != nullptr && !misused(waiter, context)) continue;
    RecordDestroyedWhileWaitedOn(object, waiter);
    any = true;
  }
  return any;
}

}  // namespace harness::runtime

#endif  // HARNESS_RUNTIME_BLOCKING_H_
