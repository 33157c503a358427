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
#include "absl/container/flat_hash_map.h"
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

// What the thread is blocked on (see blocking.h). Written only by the owning thread;
// read by the deadlock watchdog and by destructors of primitives, under `epoch`: odd
// while blocked, bumped (release) after the fields are written and when the wait ends.
struct BlockedState {
  std::atomic<uint32_t> epoch{0};
  std::atomic<uint8_t> kind{0};  // a runtime::WaitKind
  std::atomic<ObjectId> object{kNoObject};
  std::atomic<SiteId> site{kNoSite};
  std::atomic<uint32_t> token{0};  // the primitive's own note (CondVar: notify count)
};

// One thread's buffer and identity. Owned by the recorder's registry (so a thread's
// events outlive the thread until they are collected); written only by its thread.
// Aligned so one thread's hot fields never share a cache line with another's.
//
// Lifetime: a state lives while its thread runs. When the thread has finished (after
// all its thread_local destructors: see `exited`), the thread's tls_thread_state points
// at a static "retired" state instead, and the next StartRecording() frees the state
// and its buffer. So a pointer to a ThreadState is valid only on its own thread, or on
// another thread while that thread holds the registry's lock.
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
  // Set once the thread can record no more: after its last thread_local destructor
  // (by a pthread key destructor, which glibc runs after all of them), when its
  // tls_thread_state already points at the retired state. Guarded by mutex.
  bool exited = false;
  BlockedState blocked;
  // The once flag whose callable this thread is running (CallOnce), or kNoObject: the
  // thread a CallOnce waiting on that flag waits for. Written only by the thread.
  std::atomic<ObjectId> running_once{kNoObject};

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
// Appends `event` to the calling thread's buffer. Never blocks on other threads. On a
// thread that has retired (it is running pthread key destructors after its last
// thread_local destructor) the event is dropped: see ThreadState.
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
// contain its events (until the next StartRecording()).
void UnregisterObject(ObjectId object, SiteId site);

// ReserveThreadObject()
// For harness::Thread: the object a child thread's create/start/end/join events name,
// made before the child exists. Registered as ObjectKind::kThread. It has two holders,
// the child thread (released when the child retires) and the harness::Thread that
// reserved it, which calls ReleaseThreadObject() once it records no more events on it
// (after join or detach). When both are gone, the next StartRecording() forgets it.
// Until the child calls AdoptThreadIdentity() (or CancelThreadStart()), the deadlock
// watchdog counts it as a thread about to run.
ObjectId ReserveThreadObject(absl::string_view name, SiteId site);

// ReleaseThreadObject()
// The harness::Thread that reserved `object` records nothing more on it. Call once.
void ReleaseThreadObject(ObjectId object);

// CancelThreadStart()
// For harness::Thread when no thread could be started for the reserved `object`:
// releases the child's hold on it (the harness::Thread still calls
// ReleaseThreadObject() for its own), and the watchdog stops counting on the child to
// run. Call at most once, and never after the child called AdoptThreadIdentity().
void CancelThreadStart(ObjectId object);

// AdoptThreadIdentity()
// Called first thing on a thread started by harness::Thread: registers the calling
// thread under the given identity and records kThreadStart (observing kThreadCreate).
void AdoptThreadIdentity(NewThreadIdentity identity);

// The calling thread's state, registering the thread if needed.
ThreadState* RegisterCurrentThreadState();
inline ThreadState* RegisteredThreadState() {
  ThreadState* state = tls_thread_state;
  if (ABSL_PREDICT_FALSE(state == &g_unregistered_thread)) return RegisterCurrentThreadState();
  return state;
}

// The calling thread's number, registering it (as a thread made outside harness::Thread)
// if needed. Inline: mutexes use it on every operation to know their holder.
inline ThreadNumber CurrentThreadNumber() { return RegisteredThreadState()->number; }

// The shared (reader) locks the calling thread holds, so SharedMutex can refuse an
// unlock_shared without lock_shared. Small: a thread holds few reader locks at once.
std::vector<const void*>& SharedLocksHeldByCurrentThread();
// The calling thread's object id (for kThreadEnd).
ObjectId CurrentThreadObject();

// StartRecording()
// Drops everything recorded so far and starts a new recording generation. Threads that
// exited before are forgotten (their states and buffers freed), and so are objects
// destroyed before (and thread objects whose thread exited and whose harness::Thread
// was joined or detached); live threads and objects keep their ids.
void StartRecording();

// How CollectTrace() numbered the process-wide threads and objects it included.
struct CollectedIds {
  absl::flat_hash_map<ThreadNumber, ThreadId> threads;
  absl::flat_hash_map<ObjectId, ObjectId> objects;  // global id -> Trace id
};

// CollectTrace()
// Merges everything recorded in the current generation into a Trace: threads that
// recorded events (dense ids in registration order), every object those events name,
// all sites. Threads may go on recording meanwhile; events after the snapshot are not
// included. Does not end the generation. When `ids` is given, it receives the mapping
// from process-wide numbers to the trace's ids.
Trace CollectTrace(CollectedIds* ids = nullptr);

// AddThreadToTrace() / AddObjectToTrace()
// For the watchdog: the id in `trace` of a registered thread or object, adding it
// (and updating `ids`) when the trace does not include it because it recorded nothing
// in this generation. An unknown number or id gives kNoThread / kNoObject.
ThreadId AddThreadToTrace(ThreadNumber number, Trace& trace, CollectedIds& ids);
ObjectId AddObjectToTrace(ObjectId object, Trace& trace, CollectedIds& ids);

// Number of events recorded in the current generation so far (for tests and stats).
uint64_t RecordedEventCount();

// What the recorder holds right now, for tests that check its memory stays bounded.
struct RecorderStats {
  // Thread states the registry owns: live threads, and threads that exited in the
  // current generation (freed by the next StartRecording()).
  size_t thread_states = 0;
  // Of those, threads that have exited.
  size_t exited_thread_states = 0;
  // Objects (mutexes, shared variables, threads, ...) the registry describes: live
  // ones, and those destroyed in the current generation.
  size_t registered_objects = 0;
  // Bytes of event chunks the thread states hold (capacity, used or not).
  size_t buffered_chunk_bytes = 0;
  // Bytes of full-size chunks pooled for reuse (bounded: at most 256 chunks of 1 MiB).
  size_t pooled_chunk_bytes = 0;
};

// RecorderStatistics()
// A snapshot of RecorderStats. Takes the registry's lock, like CollectTrace(); cheap
// (proportional to the number of thread states). After StartRecording() with no thread
// running but the caller, it reflects only what live threads and live objects need, so
// it stays flat however many threads and objects came and went before.
RecorderStats RecorderStatistics();

}  // namespace harness::runtime

#endif  // HARNESS_RUNTIME_RECORDER_H_
