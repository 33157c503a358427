// harness/report/finding.h: what the analyses find, as plain data. Printers (text,
// JSON, SARIF, DOT) only format these; suppressions and deduplication work on them.
// Every id indexes the Trace the finding was made from.
#ifndef HARNESS_REPORT_FINDING_H_
#define HARNESS_REPORT_FINDING_H_

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/string_view.h"
#include "harness/trace/trace.h"

namespace harness {

enum class FindingKind : uint8_t {
  kDataRace,
  kLockOrderCycle,
  kMisuse,
  kDeadlock,  // a deadlock that happened (the watchdog)
};
absl::string_view FindingKindName(FindingKind kind);  // "data race", ...
// For GoogleTest messages.
void PrintTo(FindingKind kind, std::ostream* out);

// A lock a thread held at some point, and where it took it.
struct HeldLock {
  ObjectId mutex = kNoObject;
  bool shared = false;  // held in shared (reader) mode
  SiteId acquired_at = kNoSite;

  friend bool operator==(const HeldLock&, const HeldLock&) = default;
};

// One side of a data race.
struct MemoryAccess {
  ThreadId thread = kNoThread;
  bool is_write = false;
  bool is_atomic = false;        // an Atomic<T> operation racing with a plain access
  uint64_t address = 0;
  uint32_t size = 0;
  ObjectId object = kNoObject;   // the Shared<T> / Atomic<T> it belongs to, if known
  SiteId site = kNoSite;
  std::vector<HeldLock> held;    // locks the thread held at the access
  size_t event_index = 0;        // into Trace::events()

  friend bool operator==(const MemoryAccess&, const MemoryAccess&) = default;
};

struct DataRace {
  MemoryAccess current;   // the later access in the trace
  MemoryAccess previous;  // the earlier one, not ordered before it by happens-before

  friend bool operator==(const DataRace&, const DataRace&) = default;
};

// "`to` acquired while holding `from`", by `thread`.
struct LockOrderEdge {
  ObjectId from = kNoObject;
  ObjectId to = kNoObject;
  ThreadId thread = kNoThread;
  SiteId from_site = kNoSite;  // where `from` was acquired
  SiteId to_site = kNoSite;    // where `to` was acquired while holding `from`
  std::vector<HeldLock> held;  // everything the thread held when it took `to`
  size_t event_index = 0;      // the acquisition of `to`

  friend bool operator==(const LockOrderEdge&, const LockOrderEdge&) = default;
};

// A cycle in the lock-order graph: edges[i].to == edges[i + 1].from, and the last edge
// leads back to edges[0].from. A potential deadlock: no thread needs to block for it.
struct LockOrderCycle {
  std::vector<LockOrderEdge> edges;

  friend bool operator==(const LockOrderCycle&, const LockOrderCycle&) = default;
};

enum class MisuseKind : uint8_t {
  kUnlockNotHeld,              // unlock of a mutex no thread holds
  kUnlockHeldByOtherThread,    // unlock of a mutex another thread holds
  kRelockNonRecursive,         // lock of a non-recursive mutex by its holder
  kDestroyLocked,              // a mutex destroyed while held
  kWaitWithoutMutex,           // condvar wait without holding its mutex
  kThreadDestroyedJoinable,    // a Thread destroyed while joinable
  kUnlockSharedNotHeld,        // unlock_shared without lock_shared
  kDestroyedWhileWaitedOn,     // a primitive destroyed while a thread waits on it
};
absl::string_view MisuseKindName(MisuseKind kind);  // "unlock of unlocked mutex", ...
void PrintTo(MisuseKind kind, std::ostream* out);

struct Misuse {
  MisuseKind kind = MisuseKind::kUnlockNotHeld;
  ThreadId thread = kNoThread;        // who misused it
  ObjectId object = kNoObject;        // the mutex / condvar / thread
  SiteId site = kNoSite;              // where
  ThreadId other_thread = kNoThread;  // the holder, where one is involved
  SiteId other_site = kNoSite;        // where the holder took it
  size_t event_index = 0;

  friend bool operator==(const Misuse&, const Misuse&) = default;
};

// A thread blocked in a deadlock that happened, and on what.
struct BlockedThread {
  ThreadId thread = kNoThread;
  ObjectId waits_for = kNoObject;  // the object it is blocked on
  SiteId site = kNoSite;           // where it blocked
  // Who can end the wait: the thread holding the lock, the thread being joined, the
  // thread running a once flag's callable; kNoThread if not one known thread.
  ThreadId holder = kNoThread;
  SiteId holder_site = kNoSite;    // where the holder took the lock (locks only)
  std::vector<HeldLock> held;      // what the blocked thread holds

  friend bool operator==(const BlockedThread&, const BlockedThread&) = default;
};

struct Deadlock {
  std::vector<BlockedThread> threads;  // in wait-for order when it is a cycle
  bool lost_wakeup = false;            // every live thread blocked, no cycle

  friend bool operator==(const Deadlock&, const Deadlock&) = default;
};

struct Finding {
  std::variant<DataRace, LockOrderCycle, Misuse, Deadlock> details;
  // How many times the same finding (same kind and sites) was seen; printed once.
  uint64_t count = 1;

  FindingKind kind() const { return static_cast<FindingKind>(details.index()); }

  friend bool operator==(const Finding&, const Finding&) = default;
};

// The findings of one analysed trace.
struct Report {
  std::string test_name;  // "Suite.Test" under GoogleTest, else empty
  std::vector<Finding> findings;
  uint64_t suppressed = 0;  // findings a suppression matched (not in `findings`)
  bool lock_order_cycles_truncated = false;  // cycles longer than the limit were skipped
};

}  // namespace harness

#endif  // HARNESS_REPORT_FINDING_H_
