// harness/trace/trace.h: a whole recorded run: events in a merged order that respects
// every thread's program order and every sync object's own order, plus the tables of
// threads, objects and call sites the events refer to.
#ifndef HARNESS_TRACE_TRACE_H_
#define HARNESS_TRACE_TRACE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "harness/trace/event.h"

namespace harness {

// A call site: where the user called a harness operation, and optionally the stack.
struct SiteInfo {
  std::string file;
  std::string function;
  uint32_t line = 0;
  uint32_t column = 0;
  // Return addresses, innermost first; empty unless stack_depth > 0. Symbolized only
  // when a report is printed (and only meaningful in the process that recorded them).
  std::vector<uint64_t> stack;

  friend bool operator==(const SiteInfo&, const SiteInfo&) = default;
};

// What kind of thing an object is. Values are part of the binary trace format.
enum class ObjectKind : uint8_t {
  kMutex = 0,
  kRecursiveMutex = 1,
  kTimedMutex = 2,
  kSharedMutex = 3,
  kConditionVariable = 4,
  kThread = 5,
  kAtomic = 6,
  kSharedVariable = 7,
  kPromise = 8,
  kLatch = 9,
  kBarrier = 10,
  kSemaphore = 11,
  kOnceFlag = 12,
  kMemory = 13,  // a name given to raw memory with RecordRead / RecordWrite
};
inline constexpr int kObjectKindCount = 14;
absl::string_view ObjectKindName(ObjectKind kind);

// Any of the four mutex kinds (the locks the lock-order and misuse analyses follow).
inline bool IsMutexKind(ObjectKind kind) {
  return kind == ObjectKind::kMutex || kind == ObjectKind::kRecursiveMutex ||
         kind == ObjectKind::kTimedMutex || kind == ObjectKind::kSharedMutex;
}

// Objects that are memory (Shared<T>, Atomic<T>, named raw memory): plain accesses to
// their bytes are theirs.
inline bool IsMemoryObject(ObjectKind kind) {
  return kind == ObjectKind::kSharedVariable || kind == ObjectKind::kAtomic ||
         kind == ObjectKind::kMemory;
}

struct ObjectInfo {
  ObjectKind kind = ObjectKind::kMutex;
  std::string name;        // the user's name, or empty
  uint64_t address = 0;    // where the object (or the shared value) lives
  uint64_t size = 0;       // bytes at address a memory access to it may touch
  SiteId creation_site = kNoSite;
  ThreadId creator = kNoThread;

  friend bool operator==(const ObjectInfo&, const ObjectInfo&) = default;
};

struct ThreadInfo {
  std::string name;              // the user's name, "main", or empty
  ThreadId parent = kNoThread;   // who created it through harness::Thread, if known
  SiteId creation_site = kNoSite;
  ObjectId object = kNoObject;   // the thread's own object (kThreadStart/kThreadEnd)

  friend bool operator==(const ThreadInfo&, const ThreadInfo&) = default;
};

class Trace {
 public:
  Trace() = default;

  // Trace::events()
  // In merged order: each thread's events in program order, and each sync object's
  // producer events in their sequence order, each observer after what it observed.
  const std::vector<Event>& events() const { return events_; }
  const std::vector<ThreadInfo>& threads() const { return threads_; }
  const std::vector<ObjectInfo>& objects() const { return objects_; }
  const std::vector<SiteInfo>& sites() const { return sites_; }

  // How many times the merge had to skip a missing sync operation (an operation that
  // happened outside the recorded window). Zero for a complete recording.
  uint64_t ordering_gaps() const { return ordering_gaps_; }

  // Building. Adders return the new element's id. No validation here:
  // Trace::Validate() checks every cross-reference.
  ThreadId AddThread(ThreadInfo info);
  ObjectId AddObject(ObjectInfo info);
  SiteId AddSite(SiteInfo info);
  // Room for this many sites / threads / objects in all, so adding up to that many
  // does not move the earlier ones (a reader that knows the count up front).
  void ReserveTables(size_t sites, size_t threads, size_t objects) {
    sites_.reserve(sites);
    threads_.reserve(threads);
    objects_.reserve(objects);
  }
  void AddEvent(const Event& event) { events_.push_back(event); }
  std::vector<Event>& mutable_events() { return events_; }
  void set_ordering_gaps(uint64_t gaps) { ordering_gaps_ = gaps; }

  // Trace::names_are_labels()
  // True for traces read from a text format (STD), whose threads and objects are named
  // as the file names them ("T1", "L1", "V3"): ThreadLabel() and ObjectLabel() then
  // return the name alone, so reports speak the file's language. Not stored in the
  // binary trace file.
  bool names_are_labels() const { return names_are_labels_; }
  void set_names_are_labels(bool value) { names_are_labels_ = value; }

  // Trace::Validate()
  // OK when every event's kind, thread, site and object (for sync events) refers to an
  // entry of this trace, and every thread/object refers to existing sites/threads.
  // Otherwise InvalidArgument naming the first bad entry.
  absl::Status Validate() const;

  // A readable one-line rendering of an event, for tests and debugging:
  // "T1 lock M3 'accounts' #5 at bank.cc:21".
  std::string Describe(const Event& event) const;
  // "M3 'accounts'" style label for an object, as reports name it ("L1" alone when
  // names_are_labels() and the object has a name).
  std::string ObjectLabel(ObjectId object) const;
  // "T1 'worker-1'" style label for a thread ("T1" alone, the file's name, when
  // names_are_labels() and the thread has a name).
  std::string ThreadLabel(ThreadId thread) const;

  friend bool operator==(const Trace&, const Trace&) = default;

 private:
  std::vector<Event> events_;
  std::vector<ThreadInfo> threads_;
  std::vector<ObjectInfo> objects_;
  std::vector<SiteInfo> sites_;
  uint64_t ordering_gaps_ = 0;
  bool names_are_labels_ = false;
};

}  // namespace harness

#endif  // HARNESS_TRACE_TRACE_H_
