// harness/runtime/recorder.cc: thread and object registries, per-thread buffers, and
// the collection of a generation's events into a Trace.
#include "harness/runtime/recorder.h"

#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "harness/runtime/blocking.h"
#include "harness/runtime/call_site.h"
#include "harness/runtime/hidden_from_tsan.h"
#include "harness/runtime/options.h"
#include "harness/trace/merge.h"
#include "harness/trace/trace_file.h"

namespace harness::runtime {

ThreadState g_unregistered_thread;
constinit thread_local ThreadState* tls_thread_state = &g_unregistered_thread;
std::atomic<uint32_t> g_generation{1};

namespace {

struct ObjectRecord {
  ObjectInfo info;  // `creator` unused here: see creator_number
  ThreadNumber creator_number = kNoThreadNumber;
  // Who may still record events naming the object: its wrapper (RecordedObject), or for
  // a thread object the thread itself and the harness::Thread that started it. At 0 the
  // object is dead, and the next StartRecording() forgets it.
  uint8_t holders = 1;
};

// The registry is touched when a thread or object is born or dies and when a trace is
// collected, never per event. Lock order: registry.mutex, then a ThreadState's mutex,
// then the chunk pool's.
struct Registry {
  std::mutex mutex;
  // Owns the states of live threads and of threads that exited in the current
  // generation; StartRecording() frees the others.
  std::vector<std::unique_ptr<ThreadState>> threads;
  ThreadNumber next_thread_number = 0;
  // harness::Threads started (ReserveThreadObject) whose thread has not registered yet:
  // threads that will run, though no snapshot shows them.
  uint32_t threads_starting = 0;
  absl::flat_hash_map<ObjectId, ObjectRecord> objects;
  std::atomic<ObjectId> next_object{0};
};

Registry& GetRegistry() {
  static Registry* registry = new Registry;
  return *registry;
}

bool IsMainThread() { return syscall(SYS_gettid) == getpid(); }

// Where a thread's tls_thread_state points once it has retired (see RetireThread). Its
// buffer is always full, so Record() takes the slow path, which drops the event. Its
// number is no thread's and not kNoThreadNumber, so a mutex destroyed by a retired
// thread does not take itself for held by it.
ThreadState g_retired_thread;
[[maybe_unused]] const bool g_retired_thread_numbered =
    (g_retired_thread.number = kNoThreadNumber - 1, true);

// Records the end of a thread that was not started by harness::Thread (on the main
// thread too, at exit).
struct ThreadExitHook {
  bool armed = false;
  bool end_recorded = false;
  ~ThreadExitHook();
};
thread_local ThreadExitHook tls_exit_hook;

// Caller holds registry.mutex.
void DropHolder(Registry& registry, ObjectId object) {
  if (auto it = registry.objects.find(object);
      it != registry.objects.end() && it->second.holders > 0) {
    --it->second.holders;
  }
}

// Runs on an exiting thread after all its thread_local destructors (glibc runs pthread
// key destructors after them), so no destructor of the thread can record into `value`,
// the thread's state, once it is marked exited and may be freed: later events (from
// other pthread key destructors) find the retired state and are dropped.
void RetireThread(void* value) {
  HiddenFromThreadSanitizer hidden;
  ThreadState* state = static_cast<ThreadState*>(value);
  tls_thread_state = &g_retired_thread;
  Registry& registry = GetRegistry();
  std::lock_guard<std::mutex> hold(registry.mutex);
  DropHolder(registry, state->object);  // the thread names its object no more
  std::lock_guard<std::mutex> state_hold(state->mutex);
  state->exited = true;
  // Not touched again on this thread: the next StartRecording() frees it.
}

pthread_key_t RetireKey() {
  static const pthread_key_t key = [] {
    pthread_key_t created;
    if (pthread_key_create(&created, RetireThread) != 0) {
      std::fprintf(stderr, "harness: pthread_key_create failed\n");
      std::abort();
    }
    return created;
  }();
  return key;
}

ObjectId NewObject(Registry& registry, ObjectKind kind, absl::string_view name,
                   uint64_t address, uint64_t size, SiteId site, ThreadNumber creator,
                   uint8_t holders) {
  ObjectId id = registry.next_object.fetch_add(1, std::memory_order_relaxed);
  ObjectRecord record;
  record.info.kind = kind;
  record.info.name = std::string(name);
  record.info.address = address;
  record.info.size = size;
  record.info.creation_site = site;
  record.creator_number = creator;
  record.holders = holders;
  std::lock_guard<std::mutex> hold(registry.mutex);
  registry.objects.emplace(id, std::move(record));
  return id;
}

// HARNESS_OPTIONS trace_file=PATH: the whole run's trace, written when the process
// exits normally.
void WriteTraceFileAtExit() {
  const std::string& path = GetOptions().trace_file;
  absl::Status status = WriteTraceFile(CollectTrace(), path);
  if (!status.ok()) {
    std::fprintf(stderr, "harness: could not write trace_file: %s\n",
                 std::string(status.message()).c_str());
  }
}

void ArrangeTraceFileAtExit() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (!GetOptions().trace_file.empty()) std::atexit(WriteTraceFileAtExit);
  });
}

// Registers the calling thread. Object ids and names come from `identity` when a
// harness::Thread made it.
ThreadState* RegisterCurrentThread(NewThreadIdentity identity, uint32_t start_sequence) {
  ArrangeTraceFileAtExit();
  Registry& registry = GetRegistry();
  auto owned = std::make_unique<ThreadState>();
  ThreadState* state = owned.get();
  if (identity.name.empty() && IsMainThread()) identity.name = "main";
  {
    std::lock_guard<std::mutex> hold(registry.mutex);
    state->number = registry.next_thread_number++;
    registry.threads.push_back(std::move(owned));
    // A thread a harness::Thread started (it comes with its reserved object) is no
    // longer starting: snapshots show it from now on.
    if (identity.object != kNoObject) --registry.threads_starting;
  }
  state->name = std::move(identity.name);
  state->parent = identity.parent;
  state->creation_site = identity.creation_site;
  state->object = identity.object != kNoObject
                      ? identity.object
                      : NewObject(registry, ObjectKind::kThread, state->name, 0, 0,
                                  identity.creation_site, state->number, /*holders=*/1);
  // Retire the thread once it has run all its thread_local destructors.
  if (pthread_setspecific(RetireKey(), state) != 0) {
    std::fprintf(stderr, "harness: pthread_setspecific failed\n");
    std::abort();
  }
  // state->generation is still 0, which no recording uses (g_generation starts at 1), so
  // the first Record() sets up the buffer. Not written here: the state is already in
  // registry.threads, where CollectTrace() and RecordedEventCount() read it.
  tls_thread_state = state;
  tls_exit_hook.armed = true;
  StartWatchdogOnce();
  Record(Event::Sync(EventKind::kThreadStart, 0, identity.creation_site, state->object,
                     start_sequence));
  return state;
}

ThreadState* EnsureRegistered() {
  if (tls_thread_state == &g_unregistered_thread) RegisterCurrentThread(NewThreadIdentity{}, 0);
  return tls_thread_state;
}

ThreadExitHook::~ThreadExitHook() {
  HiddenFromThreadSanitizer hidden;
  ThreadState* state = tls_thread_state;
  if (!armed || state == &g_unregistered_thread || state == &g_retired_thread) return;
  if (!end_recorded) {
    Record(Event::Sync(EventKind::kThreadEnd, 0, kNoSite, state->object, 2));
  }
  // The state stays in place: destructors of other thread_locals may still record.
  // RetireThread() runs after all of them.
}

// Full-size chunks no thread uses, kept for reuse (up to kMaxPooledChunks: 256 MiB).
struct ChunkPool {
  std::mutex mutex;
  std::vector<Event*> free;
};
constexpr size_t kMaxPooledChunks = 256;

ChunkPool& GetChunkPool() {
  static ChunkPool* pool = new ChunkPool;
  return *pool;
}

EventChunk AllocateChunk(size_t capacity) {
  if (capacity == kMaxChunkEvents) {
    ChunkPool& pool = GetChunkPool();
    std::lock_guard<std::mutex> hold(pool.mutex);
    if (!pool.free.empty()) {
      Event* events = pool.free.back();
      pool.free.pop_back();
      return {events, capacity};
    }
  }
  // Default-initialized: Event is trivial, so the memory is not written until used.
  return {new Event[capacity], capacity};
}

void ReleaseChunk(EventChunk chunk) {
  if (chunk.capacity == kMaxChunkEvents) {
    ChunkPool& pool = GetChunkPool();
    std::lock_guard<std::mutex> hold(pool.mutex);
    if (pool.free.size() < kMaxPooledChunks) {
      pool.free.push_back(chunk.events);
      return;
    }
  }
  delete[] chunk.events;
}

// Starts `chunk` as the thread's current chunk. Caller holds state.mutex.
void UseChunk(ThreadState& state, EventChunk chunk) {
  state.chunks.push_back(chunk);
  state.limit.store(chunk.events + chunk.capacity, std::memory_order_relaxed);
  state.cursor.store(chunk.events, std::memory_order_release);
}

// Events `state` holds. Caller holds state.mutex; every chunk but the last is full.
size_t CountEvents(const ThreadState& state) {
  if (state.chunks.empty()) return 0;
  size_t count = state.cursor.load(std::memory_order_acquire) - state.chunks.back().events;
  for (size_t c = 0; c + 1 < state.chunks.size(); ++c) count += state.chunks[c].capacity;
  return count;
}

// The events of `state` in the current generation. Caller holds state.mutex.
std::vector<Event> CopyEvents(const ThreadState& state) {
  std::vector<Event> events;
  events.reserve(CountEvents(state));
  for (size_t c = 0; c < state.chunks.size(); ++c) {
    const EventChunk& chunk = state.chunks[c];
    Event* end = c + 1 < state.chunks.size() ? chunk.events + chunk.capacity
                                             : state.cursor.load(std::memory_order_acquire);
    events.insert(events.end(), chunk.events, end);
  }
  return events;
}

}  // namespace

void RecordSlow(const Event& event) {
  HiddenFromThreadSanitizer hidden;
  ThreadState* state = EnsureRegistered();
  if (state == &g_retired_thread) return;
  {
    std::lock_guard<std::mutex> hold(state->mutex);
    uint32_t generation = g_generation.load(std::memory_order_acquire);
    if (state->generation != generation) {
      // A new recording started: this thread drops what it had, keeping its largest
      // chunk, since it will likely record as much again.
      EventChunk keep = state->chunks.empty() ? AllocateChunk(kFirstChunkEvents)
                                              : state->chunks.back();
      if (!state->chunks.empty()) state->chunks.pop_back();
      for (EventChunk chunk : state->chunks) ReleaseChunk(chunk);
      state->chunks.clear();
      UseChunk(*state, keep);
      state->generation = generation;
    } else {
      const EventChunk& chunk = state->chunks.back();
      Event* end = chunk.events + chunk.capacity;
      if (state->cursor.load(std::memory_order_relaxed) == end) {
        UseChunk(*state, AllocateChunk(std::min(chunk.capacity * 4, kMaxChunkEvents)));
      } else {
        // StartRecording() cleared the limit after this thread had already moved to
        // the generation it started: restore it.
        state->limit.store(end, std::memory_order_relaxed);
      }
    }
  }
  Event* slot = state->cursor.load(std::memory_order_relaxed);
  *slot = event;
  state->cursor.store(slot + 1, std::memory_order_release);
}

ObjectId RegisterObject(ObjectKind kind, absl::string_view name, const void* address,
                        size_t size, SiteId site) {
  HiddenFromThreadSanitizer hidden;
  ThreadState* state = EnsureRegistered();
  ObjectId id = NewObject(GetRegistry(), kind, name, reinterpret_cast<uint64_t>(address), size,
                          site, state->number, /*holders=*/1);
  Record(Event::Sync(EventKind::kObjectCreate, 0, site, id, 0));
  return id;
}

void UnregisterObject(ObjectId object, SiteId site) {
  HiddenFromThreadSanitizer hidden;
  Record(Event::Sync(EventKind::kObjectDestroy, 0, site, object, 0));
  Registry& registry = GetRegistry();
  std::lock_guard<std::mutex> hold(registry.mutex);
  DropHolder(registry, object);
}

ObjectId ReserveThreadObject(absl::string_view name, SiteId site) {
  HiddenFromThreadSanitizer hidden;
  ThreadState* state = EnsureRegistered();
  Registry& registry = GetRegistry();
  ObjectId object = NewObject(registry, ObjectKind::kThread, name, 0, 0, site, state->number,
                              /*holders=*/2);
  std::lock_guard<std::mutex> hold(registry.mutex);
  ++registry.threads_starting;
  return object;
}

void CancelThreadStart(ObjectId object) {
  HiddenFromThreadSanitizer hidden;
  Registry& registry = GetRegistry();
  std::lock_guard<std::mutex> hold(registry.mutex);
  DropHolder(registry, object);  // the child's: there is no child
  --registry.threads_starting;
}

void ReleaseThreadObject(ObjectId object) {
  HiddenFromThreadSanitizer hidden;
  Registry& registry = GetRegistry();
  std::lock_guard<std::mutex> hold(registry.mutex);
  DropHolder(registry, object);
}

void AdoptThreadIdentity(NewThreadIdentity identity) {
  HiddenFromThreadSanitizer hidden;
  RegisterCurrentThread(std::move(identity), 1);
  tls_exit_hook.end_recorded = true;  // harness::Thread records the end itself
}

std::vector<const void*>& SharedLocksHeldByCurrentThread() {
  thread_local std::vector<const void*> held;
  return held;
}
ObjectId CurrentThreadObject() { return EnsureRegistered()->object; }

void StartRecording() {
  HiddenFromThreadSanitizer hidden;
  Registry& registry = GetRegistry();
  std::lock_guard<std::mutex> hold(registry.mutex);
  const uint32_t generation = g_generation.fetch_add(1, std::memory_order_acq_rel) + 1;
  // Exited threads can record no more (RetireThread() pointed them elsewhere): free
  // their states and buffers.
  std::vector<std::unique_ptr<ThreadState>> live;
  live.reserve(registry.threads.size());
  for (std::unique_ptr<ThreadState>& state : registry.threads) {
    bool exited;
    {
      std::lock_guard<std::mutex> state_hold(state->mutex);
      exited = state->exited;
      if (exited) {
        for (EventChunk chunk : state->chunks) ReleaseChunk(chunk);
        state->chunks.clear();
      } else {
        // The owner writes only into its last chunk: the others can go now (unless the
        // owner already records into the new generation), so a thread that records
        // nothing more holds at most one chunk.
        if (state->generation != generation && state->chunks.size() > 1) {
          for (size_t c = 0; c + 1 < state->chunks.size(); ++c) ReleaseChunk(state->chunks[c]);
          state->chunks.erase(state->chunks.begin(), state->chunks.end() - 1);
        }
        // Sends the owner through RecordSlow(), which starts the new generation's buffer.
        state->limit.store(nullptr, std::memory_order_relaxed);
      }
    }
    if (!exited) live.push_back(std::move(state));
  }
  registry.threads = std::move(live);  // frees the exited states
  // Objects nobody can name any more can appear in no later trace.
  absl::erase_if(registry.objects, [](const auto& entry) { return entry.second.holders == 0; });
}

uint64_t RecordedEventCount() {
  HiddenFromThreadSanitizer hidden;
  Registry& registry = GetRegistry();
  std::lock_guard<std::mutex> hold(registry.mutex);
  uint32_t generation = g_generation.load(std::memory_order_acquire);
  uint64_t count = 0;
  for (const std::unique_ptr<ThreadState>& state : registry.threads) {
    std::lock_guard<std::mutex> state_hold(state->mutex);
    if (state->generation == generation) count += CountEvents(*state);
  }
  return count;
}

RecorderStats RecorderStatistics() {
  HiddenFromThreadSanitizer hidden;
  RecorderStats stats;
  {
    Registry& registry = GetRegistry();
    std::lock_guard<std::mutex> hold(registry.mutex);
    stats.thread_states = registry.threads.size();
    stats.registered_objects = registry.objects.size();
    for (const std::unique_ptr<ThreadState>& state : registry.threads) {
      std::lock_guard<std::mutex> state_hold(state->mutex);
      if (state->exited) ++stats.exited_thread_states;
      for (const EventChunk& chunk : state->chunks) {
        stats.buffered_chunk_bytes += chunk.capacity * sizeof(Event);
      }
    }
  }
  ChunkPool& pool = GetChunkPool();
  std::lock_guard<std::mutex> hold(pool.mutex);
  stats.pooled_chunk_bytes = pool.free.size() * kMaxChunkEvents * sizeof(Event);
  return stats;
}

Trace CollectTrace(CollectedIds* ids) {
  HiddenFromThreadSanitizer hidden;
  Registry& registry = GetRegistry();
  Trace trace;
  std::vector<std::vector<Event>> streams;
  std::vector<ThreadState*> included;
  absl::flat_hash_map<ObjectId, ObjectId> dense_object;
  {
    std::lock_guard<std::mutex> hold(registry.mutex);
    uint32_t generation = g_generation.load(std::memory_order_acquire);
    for (const std::unique_ptr<ThreadState>& state : registry.threads) {
      std::lock_guard<std::mutex> state_hold(state->mutex);
      if (state->generation != generation) continue;
      std::vector<Event> events = CopyEvents(*state);
      if (events.empty()) continue;
      included.push_back(state.get());
      streams.push_back(std::move(events));
    }

    // Objects: every one the events or threads name, densely numbered in creation order
    // so labels (M1, M2, ...) follow the program.
    std::vector<ObjectId> referenced;
    auto note = [&](ObjectId id) {
      if (dense_object.emplace(id, 0).second) referenced.push_back(id);
    };
    for (ThreadState* state : included) note(state->object);
    // Plain accesses name memory, not objects: every live object that is memory (so a
    // report can say 'balance'), even if it was made before this recording.
    for (const auto& [id, record] : registry.objects) {
      if (record.holders > 0 && IsMemoryObject(record.info.kind)) {
        note(id);
      }
    }
    for (const auto& stream : streams) {
      for (const Event& e : stream) {
        if (!IsMemoryAccess(e.kind)) note(e.object());
      }
    }
    std::sort(referenced.begin(), referenced.end());
    absl::flat_hash_map<ThreadNumber, ThreadId> dense_thread;
    for (size_t t = 0; t < included.size(); ++t) {
      dense_thread[included[t]->number] = static_cast<ThreadId>(t);
    }
    auto thread_of = [&](ThreadNumber number) {
      auto it = dense_thread.find(number);
      return it == dense_thread.end() ? kNoThread : it->second;
    };
    for (ObjectId id : referenced) {
      ObjectInfo info;
      if (auto it = registry.objects.find(id); it != registry.objects.end()) {
        info = it->second.info;
        info.creator = thread_of(it->second.creator_number);
      }
      dense_object[id] = trace.AddObject(std::move(info));
    }
    for (ThreadState* state : included) {
      ThreadInfo info;
      info.name = state->name;
      info.parent = thread_of(state->parent);
      info.creation_site = state->creation_site;
      info.object = dense_object[state->object];
      trace.AddThread(std::move(info));
    }
    for (auto& stream : streams) {
      for (Event& e : stream) {
        if (IsMemoryAccess(e.kind)) continue;
        if (e.kind == EventKind::kDestroyedWhileWaitedOn) {
          // Its sequence field names the blocked thread by its process-wide number.
          e = Event::Sync(e.kind, e.detail, e.site, e.object(), thread_of(e.sequence()));
        }
        e.set_object(dense_object[e.object()]);
      }
    }
    if (ids != nullptr) {
      ids->threads = std::move(dense_thread);
      ids->objects = dense_object;
    }
  }

  MergeResult merged = MergeThreadStreams(std::move(streams), trace.objects().size());
  trace.mutable_events() = std::move(merged.events);
  trace.set_ordering_gaps(merged.ordering_gaps);
  for (SiteInfo& site : SnapshotSites()) trace.AddSite(std::move(site));
  return trace;
}

ThreadState* RegisterCurrentThreadState() {
  HiddenFromThreadSanitizer hidden;
  return EnsureRegistered();
}

ThreadId AddThreadToTrace(ThreadNumber number, Trace& trace, CollectedIds& ids) {
  if (auto it = ids.threads.find(number); it != ids.threads.end()) return it->second;
  HiddenFromThreadSanitizer hidden;
  Registry& registry = GetRegistry();
  ThreadInfo info;
  ObjectId object = kNoObject;
  {
    std::lock_guard<std::mutex> hold(registry.mutex);
    auto state = std::find_if(registry.threads.begin(), registry.threads.end(),
                              [&](const auto& s) { return s->number == number; });
    if (state == registry.threads.end()) return kNoThread;
    info.name = (*state)->name;
    info.creation_site = (*state)->creation_site;
    object = (*state)->object;
    if (auto parent = ids.threads.find((*state)->parent); parent != ids.threads.end()) {
      info.parent = parent->second;
    }
  }
  info.object = AddObjectToTrace(object, trace, ids);
  ThreadId id = trace.AddThread(std::move(info));
  ids.threads[number] = id;
  return id;
}

ObjectId AddObjectToTrace(ObjectId object, Trace& trace, CollectedIds& ids) {
  if (auto it = ids.objects.find(object); it != ids.objects.end()) return it->second;
  HiddenFromThreadSanitizer hidden;
  Registry& registry = GetRegistry();
  ObjectInfo info;
  ThreadNumber creator = kNoThreadNumber;
  {
    std::lock_guard<std::mutex> hold(registry.mutex);
    auto it = registry.objects.find(object);
    if (it == registry.objects.end()) return kNoObject;
    info = it->second.info;
    creator = it->second.creator_number;
  }
  auto creator_id = ids.threads.find(creator);
  info.creator = creator_id == ids.threads.end() ? kNoThread : creator_id->second;
  ObjectId id = trace.AddObject(std::move(info));
  ids.objects[object] = id;
  return id;
}

// Reads one thread's BlockedState consistently: the fields are written before the
// epoch turns odd and not again until it turns even.
namespace {
bool ReadBlockedState(const ThreadState& state, ThreadSnapshot& out) {
  for (;;) {
    uint32_t before = state.blocked.epoch.load(std::memory_order_acquire);
    out.epoch = before;
    out.blocked = (before & 1) != 0;
    if (!out.blocked) return false;
    // Acquire loads (not a fence, which ThreadSanitizer does not support): the epoch
    // is read again only after them.
    out.kind = static_cast<WaitKind>(state.blocked.kind.load(std::memory_order_acquire));
    out.waits_for = state.blocked.object.load(std::memory_order_acquire);
    out.site = state.blocked.site.load(std::memory_order_acquire);
    out.token = state.blocked.token.load(std::memory_order_acquire);
    if (state.blocked.epoch.load(std::memory_order_relaxed) == before) return true;
  }
}
}  // namespace

std::vector<ThreadSnapshot> SnapshotLiveThreads(uint32_t* threads_starting) {
  HiddenFromThreadSanitizer hidden;
  Registry& registry = GetRegistry();
  std::vector<ThreadSnapshot> snapshot;
  std::lock_guard<std::mutex> hold(registry.mutex);
  if (threads_starting != nullptr) *threads_starting = registry.threads_starting;
  snapshot.reserve(registry.threads.size());
  for (const std::unique_ptr<ThreadState>& state : registry.threads) {
    {
      std::lock_guard<std::mutex> state_hold(state->mutex);
      if (state->exited) continue;
    }
    ThreadSnapshot& entry = snapshot.emplace_back();
    entry.number = state->number;
    ReadBlockedState(*state, entry);
    entry.running_once = state->running_once.load(std::memory_order_acquire);
  }
  return snapshot;
}

std::vector<BlockedWaiter> ThreadsBlockedOn(ObjectId object) {
  std::vector<BlockedWaiter> waiters;
  HiddenFromThreadSanitizer hidden;
  ThreadState* self = tls_thread_state;
  Registry& registry = GetRegistry();
  std::lock_guard<std::mutex> hold(registry.mutex);
  for (const std::unique_ptr<ThreadState>& state : registry.threads) {
    if (state.get() == self) continue;
    ThreadSnapshot entry;
    if (ReadBlockedState(*state, entry) && entry.waits_for == object) {
      waiters.push_back({state->number, entry.site, entry.token, state->name});
    }
  }
  return waiters;
}

void RecordDestroyedWhileWaitedOn(ObjectId object, const BlockedWaiter& waiter) {
  HiddenFromThreadSanitizer hidden;
  Record(Event::Sync(EventKind::kDestroyedWhileWaitedOn, 0, waiter.site, object,
                     waiter.number));
  // Said at once too: what the waiter does next with the freed memory may end the run
  // before the test's report is printed.
  std::fprintf(stderr,
               "harness: misuse: a primitive is being destroyed while thread '%s' is "
               "blocked on it; the test's report names both\n",
               waiter.name.c_str());
}

}  // namespace harness::runtime
