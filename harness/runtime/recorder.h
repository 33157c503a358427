// harness/runtime/recorder.h: the event recorder. Each thread appends to its own
// buffer (no lock, no shared counter on the recording path); objects and threads are
// registered once; CollectTrace() merges everything recorded since the last
// StartRecording() into a Trace.
#ifndef HARNESS_RUNTIME_RECORDER_H_
#define HARNESS_RUNTIME_RECORDER_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/base/optimization.h"
#include "absl/strings/string_view.h"
#include "harness/trace/trace.h"

namespace harness::runtime {

// Global, process-wide number of a registered thread (dense ThreadIds are assigned per
// trace). Stable for the thread's life.
using ThreadNumber = uint32_t;
inline constexpr ThreadNumber kNoThreadNumber = 0xffffffff;

// A thread's buffer is a list of chunks. The first is small (threads that record a few
// events cost 4 KiB), each next one four times larger up to 1 MiB, so a chunk switch
// (which takes the thread's own buffer lock) is rare. Full-size chunks are pooled across
// threads and recordings: fresh memory costs a page fault per 256 events.
inline constexpr size_t kFirstChunkEvents = 256;
inline constexpr size_t kMaxChunkEvents = 65536;

struct EventChunk {
  Event* events = nullptr;
  size_t capacity = 0;
};

// One thread's buffer and identity. Owned by the recorder's registry (so a thread's
// events outlive the thread until they are collected); written only by its thread.
// Aligned so one thread's hot fields never share a cache line with another's.
class alignas(64) ThreadState {
 public:
  // Next free slot of the current chunk, and its end. Written by the owning thread;
  // `cursor` is read (acquire) by CollectTrace() on other threads, and StartRecording()
  // clears `limit` to send the owner through the slow path once. Relaxed accesses are
  // plain moves on x86-64 and AArch64.
  std::atomic<Event*> cursor{nullptr};
  std::atomic<Event*> limit{nullptr};
  uint32_t generation = 0;  // the recording generation the buffer belongs to

  ThreadNumber number = kNoThreadNumber;
  ObjectId object = kNoObject;  // the thread's global object id
  std::string name;
  ThreadNumber parent = kNoThreadNumber;
  SiteId creation_site = kNoSite;
  bool exited = false;  // guarded by mutex

  // Guards `chunks` against CollectTrace(); taken by the owner only on a chunk switch.
  std::mutex mutex;
  std::vector<EventChunk> chunks;
};

// Every thread starts out pointing at this empty state, whose full buffer sends the
// first Record() to the slow path, so the fast path needs no null check.
extern ThreadState g_unregistered_thread;
extern constinit thread_local ThreadState* tls_thread_state;
extern std::atomic<uint32_t> g_generation;

// Slow path of Record(): registers the thread, starts a new generation's buffer or a
// new chunk, then stores the event.
void RecordSlow(const Event& event);

// Record()
// Appends `event` to the calling thread's buffer. Never blocks on other threads.
inline void Record(const Event& event) {
  ThreadState* state = tls_thread_state;
  Event* slot = state->cursor.load(std::memory_order_relaxed);
  if (ABSL_PREDICT_FALSE(reinterpret_cast<uintptr_t>(slot) >=
                         reinterpret_cast<uintptr_t>(state->limit.load(std::memory_order_relaxed)))) {
    RecordSlow(event);
    return;
  }
  // Field by field: copying a just-built Event whole makes the compiler reload it as
  // one 16-byte value from the stack slots it was built in, which defeats store
  // forwarding and costs more than everything else here together.
  slot->kind = event.kind;
  slot->detail = event.detail;
  slot->thread = event.thread;
  slot->site = event.site;
  slot->payload = event.payload;
  state->cursor.store(slot + 1, std::memory_order_release);
}

// Identity a harness::Thread hands to the thread it starts, before its first event.
struct NewThreadIdentity {
  std::string name;
  ThreadNumber parent = kNoThreadNumber;
  SiteId creation_site = kNoSite;
  ObjectId object = kNoObject;
};

// RegisterObject()
// Gives a new object a process-wide id and records kObjectCreate. `address` and `size`
// describe the memory a plain access to the object touches (for Shared<T>).
ObjectId RegisterObject(ObjectKind kind, absl::string_view name, const void* address,
                        size_t size, SiteId site);
// Records kObjectDestroy; the object's description stays available to traces that
// contain its events.
void UnregisterObject(ObjectId object, SiteId site);

// ReserveThreadObject()
// For harness::Thread: the object a child thread's create/start/end/join events name,
// made before the child exists. Registered as ObjectKind::kThread.
ObjectId ReserveThreadObject(absl::string_view name, SiteId site);

// AdoptThreadIdentity()
// Called first thing on a thread started by harness::Thread: registers the calling
// thread under the given identity and records kThreadStart (observing kThreadCreate).
void AdoptThreadIdentity(NewThreadIdentity identity);

// The calling thread's number, registering it (as a thread made outside harness::Thread)
// if needed. Inline: mutexes use it on every operation to know their holder.
ThreadNumber RegisterCurrentThreadNumber();
inline ThreadNumber CurrentThreadNumber() {
  ThreadState* state = tls_thread_state;
  if (ABSL_PREDICT_FALSE(state == &g_unregistered_thread)) return RegisterCurrentThreadNumber();
  return state->number;
}

// The shared (reader) locks the calling thread holds, so SharedMutex can refuse an
// unlock_shared without lock_shared. Small: a thread holds few reader locks at once.
std::vector<const void*>& SharedLocksHeldByCurrentThread();
// The calling thread's object id (for kThreadEnd).
ObjectId CurrentThreadObject();

// StartRecording()
// Drops everything recorded so far and starts a new recording generation. Threads that
// exited before are forgotten; live threads and objects keep their ids.
void StartRecording();

// CollectTrace()
// Merges everything recorded in the current generation into a Trace: threads that
// recorded events (dense ids in registration order), every object those events name,
// all sites. Threads may go on recording meanwhile; events after the snapshot are not
// included. Does not end the generation.
Trace CollectTrace();

// Number of events recorded in the current generation so far (for tests and stats).
uint64_t RecordedEventCount();

}  // namespace harness::runtime

#endif  // HARNESS_RUNTIME_RECORDER_H_
