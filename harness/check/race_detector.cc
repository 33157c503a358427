// harness/check/race_detector.cc: RaceDetector, ObservationPlan, FindDataRaces.
//
// Shadow memory: a page table (GranuleIndex) from 8-byte-aligned granule addresses to
// Granules, one cache line each. A granule starts compact: one last write and one last read (FastTrack's
// epochs) held in place with everything a report says of them (InlineAccess), standing
// for every byte the accesses covered. Plain accesses that cover exactly those bytes (a
// write may cover more), and reads ordered after the last read, stay compact: the common
// case of a variable always accessed whole costs one cache line and no allocation.
//
// Anything else (an access to part of the bytes, unordered reads, an atomic access)
// splits the granule into a ByteGranule, kept aside until its memory is reset. Each
// byte of a ByteGranule has two slots for plain accesses: the last write (an epoch:
// writes to a byte are totally ordered by happens-before, else a race was reported) and
// the reads since it (an epoch, or an AccessSet: per thread the clock and record of its
// last read, once two unordered reads met; FastTrack's read-shared state). Bytes that
// atomic operations touched get a side AtomicGranule with the same two slots for atomic
// writes and atomic reads (both may be AccessSets: atomics never race with each other,
// so unordered atomic writes must all be remembered). Every slot names an AccessRecord
// (thread, site, address, size, locks held, event index), reference counted, so a race
// can be reported with the previous access in full, long after it happened.
#include "harness/check/race_detector.h"

#include <algorithm>
#include <array>
#include <utility>

#include "absl/base/attributes.h"
#include "harness/check/granule_index.h"
#include "harness/check/lockset_trie.h"
#include "harness/check/vector_clock.h"

namespace harness {
namespace {

constexpr uint32_t kNone = 0xffffffff;
constexpr uint64_t kGranuleBytes = GranuleIndex::kGranuleBytes;

bool Acquires(MemoryOrder order) {
  return order == MemoryOrder::kConsume || order == MemoryOrder::kAcquire ||
         order == MemoryOrder::kAcquireRelease || order == MemoryOrder::kSequentiallyConsistent;
}

bool Releases(MemoryOrder order) {
  return order == MemoryOrder::kRelease || order == MemoryOrder::kAcquireRelease ||
         order == MemoryOrder::kSequentiallyConsistent;
}

// Producers whose versions observers read (mutex events are producers too, but nothing
// observes them: their order alone gives the edges).
bool IsVersionedProducer(EventKind kind) {
  switch (kind) {
    case EventKind::kAtomicStore:
    case EventKind::kAtomicReadModifyWrite:
    case EventKind::kThreadCreate:
    case EventKind::kThreadEnd:
    case EventKind::kNotify:
    case EventKind::kPromiseSet:
    case EventKind::kArrive:
    case EventKind::kSemaphoreRelease:
    case EventKind::kOnceDone:
      return true;
    default:
      return false;
  }
}

// Observers that acquire the clock of the version they observed.
bool ObserverAcquires(const Event& event) {
  switch (event.kind) {
    case EventKind::kAtomicLoad:
      return Acquires(event.memory_order());
    case EventKind::kWaitEnd:
      return (event.detail & 1) == 0;  // a timed-out wait was woken by nobody
    case EventKind::kThreadStart:
    case EventKind::kThreadJoin:
    case EventKind::kFutureGet:
    case EventKind::kDepart:
    case EventKind::kSemaphoreAcquire:
    case EventKind::kOnceWait:
      return true;
    default:
      return false;
  }
}

uint64_t VersionKey(ObjectId object, uint32_t version) {
  return (uint64_t{object} << 32) | version;
}

// Where an observed version stands among those its object produced so far.
enum class VersionPosition {
  kNewest,   // the newest merged producer's
  kOlder,    // an older merged producer's (a later one was merged first)
  kUnknown,  // none merged: before the first producer, or a gap
};

VersionPosition Locate(bool any, uint32_t newest, uint32_t first, uint32_t version) {
  if (!any) return VersionPosition::kUnknown;
  if (version == newest) return VersionPosition::kNewest;
  if (static_cast<int32_t>(version - newest) > 0) return VersionPosition::kUnknown;
  if (static_cast<int32_t>(version - first) < 0) return VersionPosition::kUnknown;
  return VersionPosition::kOlder;
}

// Shadow slots. `epoch` is a packed Epoch (0: empty), or kSetTag | index of an
// AccessSet. ThreadId 0xffff (kNoThread) never names a real thread.
constexpr uint64_t kSetTag = uint64_t{0xffff} << 32;
bool IsSet(uint64_t epoch) { return (epoch >> 32) == 0xffff; }
uint32_t SetIndex(uint64_t epoch) { return static_cast<uint32_t>(epoch); }

struct Slot {
  uint64_t epoch = 0;
  uint32_t record = kNone;
};

// A plain access held in place: its epoch (0: none) and what a report says of it.
struct InlineAccess {
  uint64_t epoch = 0;
  uint64_t event_index = 0;
  uint64_t range = 0;  // address | size << 48, as in Event::payload
  SiteId site = kNoSite;
  uint32_t lockset = 0;

  uint64_t address() const { return range & kAddressMask; }
  uint64_t end() const { return address() + (range >> 48); }
};

// Bit 63 of a compact granule's write epoch (never set in a packed Epoch): the granule
// is split, and the epoch's low 32 bits index its ByteGranule.
constexpr uint64_t kSplitFlag = uint64_t{1} << 63;

// A granule's shadow state: the last write and the last read of every byte that the
// accesses held here covered (both cover the same bytes; the other bytes have no
// history), or a split marker (see kSplitFlag). Once reads are unordered, `read` is
// read-shared: its epoch is kSetTag | the index of a ReadSet (per thread its last read),
// and its range that of any of them.
struct alignas(64) Granule {
  InlineAccess write;
  InlineAccess read;

  bool split() const { return (write.epoch & kSplitFlag) != 0; }
  uint32_t byte_granule() const { return static_cast<uint32_t>(write.epoch); }
};

struct ByteGranule {
  Slot write[kGranuleBytes];
  Slot read[kGranuleBytes];
  uint32_t atomic = kNone;  // index into atomics_, when atomic operations touched it
};

struct AtomicGranule {
  Slot write[kGranuleBytes];
  Slot read[kGranuleBytes];
};

// Unordered accesses of one kind to one byte: per thread, the clock and record of its
// last one (clock 0: none).
struct AccessSet {
  std::vector<Clock> clocks;
  std::vector<uint32_t> records;
};

struct AccessRecord {
  uint64_t address = 0;
  uint64_t event_index = 0;
  uint32_t size = 0;
  SiteId site = kNoSite;
  uint32_t lockset = 0;         // node in the lockset trie
  ObjectId object = kNoObject;  // the atomic, for atomic accesses
  uint32_t refs = 0;
  ThreadId thread = kNoThread;
  bool is_write = false;
  bool is_atomic = false;
};

enum class AccessKind { kRead, kWrite, kAtomicRead, kAtomicWrite };

struct HistoryEntry {
  uint32_t first_version = 0;  // the entry's clock holds from this version on
  VectorClock clock;
};

// A sync object's clocks.
struct SyncState {
  // Mutex: the last exclusive release. Atomic: the release sequence's clock as of
  // `version`. Other objects: the join of every producer up to `version`.
  VectorClock clock;
  // Shared mutex: readers' releases since the last exclusive acquisition.
  VectorClock readers;
  bool readers_released = false;
  bool any_version = false;
  uint32_t version = 0;               // the newest merged producer's sequence
  uint32_t first_version = 0;         // the first merged producer's sequence
  std::vector<HistoryEntry> history;  // ring, oldest at history_next once full
  uint32_t history_next = 0;
};

struct ThreadState {
  VectorClock clock;
  uint32_t lockset = 0;  // node of the locks held now
};

struct ObjectRange {
  uint64_t address;
  uint64_t end;
  ObjectId id;
};

enum ObjectLife : uint8_t { kUnknownLife, kLive, kDestroyed };

struct PinnedClock {
  uint32_t remaining = 0;  // stale observers still to come
  VectorClock clock;
};

}  // namespace

void ObservationPlan::Add(const Event& event) {
  if (IsVersionedProducer(event.kind)) {
    ObjectId object = event.object();
    if (object >= versions_.size()) versions_.resize(size_t{object} + 1);
    Versions& v = versions_[object];
    if (!v.any) {
      v.any = true;
      v.first = event.sequence();
    }
    v.newest = event.sequence();
    return;
  }
  if (OrderingRoleOf(event.kind) != OrderingRole::kObserver || !ObserverAcquires(event)) return;
  ObjectId object = event.object();
  if (object >= versions_.size()) return;
  const Versions& v = versions_[object];
  if (Locate(v.any, v.newest, v.first, event.sequence()) == VersionPosition::kOlder) {
    ++pending_[VersionKey(object, event.sequence())];
    ++stale_;
  }
}

// A slot of a pooled table: a freed index if there is one (its contents as they were
// left), else a new one that `append` adds at the end of `items`.
template <class T, class Append>
uint32_t TakeSlot(std::vector<T>& items, std::vector<uint32_t>& free, Append append) {
  if (!free.empty()) {
    uint32_t index = free.back();
    free.pop_back();
    return index;
  }
  append();
  return static_cast<uint32_t>(items.size() - 1);
}

class RaceDetector::Impl {
 public:
  // `pending`: an ObservationPlan's stale observations, or null without a plan.
  Impl(const Trace& trace, const RaceDetectorOptions& options,
       const absl::flat_hash_map<uint64_t, uint32_t>* pending)
      : trace_(trace),
        options_(options),
        planned_(pending != nullptr) {
    sync_index_.assign(trace.objects().size(), kNone);
    CatchUp();
    if (pending != nullptr) {
      for (const auto& [key, count] : *pending) pinned_[key].remaining = count;
    }
  }

  void Process(const Event& event) { Process(std::span<const Event>(&event, 1)); }

  // Event number `index`, in full generality.
  ABSL_ATTRIBUTE_NOINLINE void ProcessAt(const Event& event, size_t index) {
    ThreadId t = event.thread;
    if (t >= threads_.size() || object_life_.size() < trace_.objects().size()) {
      CatchUp();
      if (t >= threads_.size()) return;
    }
    switch (event.kind) {
      case EventKind::kRead:
        Access(event, index, t, event.address(), event.access_size(), AccessKind::kRead, kNoObject);
        break;
      case EventKind::kWrite:
        Access(event, index, t, event.address(), event.access_size(), AccessKind::kWrite,
               kNoObject);
        break;
      case EventKind::kLock:
      case EventKind::kUnlock:
      case EventKind::kLockShared:
      case EventKind::kUnlockShared:
        MutexEvent(event, t);
        break;
      case EventKind::kAtomicLoad:
      case EventKind::kAtomicStore:
      case EventKind::kAtomicReadModifyWrite:
        AtomicEvent(event, index, t);
        break;
      case EventKind::kThreadCreate:
      case EventKind::kThreadEnd:
      case EventKind::kNotify:
      case EventKind::kPromiseSet:
      case EventKind::kArrive:
      case EventKind::kSemaphoreRelease:
      case EventKind::kOnceDone: {
        ObjectId object = event.object();
        SyncState& s = Sync(object);
        VectorClock& clock = threads_[t].clock;
        s.clock.Join(clock);
        clock.Increment(t);
        Produced(s, object, event.sequence(), true);
        break;
      }
      case EventKind::kThreadStart:
      case EventKind::kThreadJoin:
      case EventKind::kWaitEnd:
      case EventKind::kFutureGet:
      case EventKind::kDepart:
      case EventKind::kSemaphoreAcquire:
      case EventKind::kOnceWait:
        if (ObserverAcquires(event)) {
          ObjectId object = event.object();
          AcquireVersion(threads_[t].clock, Sync(object), object, event.sequence());
        }
        break;
      case EventKind::kObjectCreate:
      case EventKind::kObjectDestroy:
        Lifetime(event);
        break;
      case EventKind::kLockRefused:
      case EventKind::kUnlockRefused:
      case EventKind::kTryLockFailed:
      case EventKind::kThreadDetach:
      case EventKind::kWaitBegin:
      case EventKind::kThreadAbandoned:
      case EventKind::kDestroyedWhileWaitedOn:
        break;  // no edge, no access
    }
  }

  // Shadow memory is the detector's cache misses (it outgrows the CPU's L2 cache at a
  // few thousand variables). The index entry of an access's granule is looked up and
  // fetched kAhead * 2 events early, the granule itself kAhead early (by then its entry
  // is in the cache); `entries` keeps the entries' addresses for their events' turn
  // (null: look up again). No branches on the events there: their kinds come in no
  // predictable order.
  void Process(std::span<const Event> events) {
    constexpr size_t kAhead = 8;
    constexpr size_t kRing = 4 * kAhead;
    const uint32_t* entries[kRing] = {};
    uint64_t pages_freed = granule_index_.pages_freed();
    uint64_t last_base = 0;  // looked up for events that are not accesses
    const size_t n = events.size();
    const size_t first_index = next_index_;
    next_index_ += n;
    size_t thread_count = threads_.size();
    for (size_t i = 0; i < n; ++i) {
      if (i + 2 * kAhead < n) {
        const Event& later = events[i + 2 * kAhead];
        const uint64_t take = uint64_t{0} - IsMemoryAccess(later.kind);  // all ones or 0
        last_base = (GranuleOf(later) & take) | (last_base & ~take);
        const uint32_t* entry = granule_index_.EntryOf(last_base);
        __builtin_prefetch(entry);
        entries[(i + 2 * kAhead) % kRing] = entry;
      }
      if (i + kAhead < n && entries[(i + kAhead) % kRing] != nullptr) {
        // An absent entry (kAbsent) makes an address past the granules: prefetching it
        // is harmless (a prefetch never faults), and cheaper than a branch.
        const uintptr_t granule = reinterpret_cast<uintptr_t>(granules_.data()) +
                                  uintptr_t{*entries[(i + kAhead) % kRing]} * sizeof(Granule);
        __builtin_prefetch(reinterpret_cast<const void*>(granule), 1);
      }
      const Event& event = events[i];
      const size_t index = first_index + i;
      if (event.thread < thread_count) {
        if (IsMemoryAccess(event.kind)) {
          const uint32_t* entry = entries[i % kRing];
          const uint32_t granule =
              entry != nullptr ? *entry : granule_index_.Find(GranuleOf(event));
          if (granule != GranuleIndex::kAbsent &&
              OrderedRepeat(event, index, granule, event.kind == EventKind::kWrite)) {
            continue;
          }
        } else if (IsLockEvent(event.kind)) {  // the next most common: straight there
          MutexEvent(event, event.thread);
          continue;
        }
      }
      ProcessAt(event, index);
      thread_count = threads_.size();  // a streamed trace's threads may have been added
      if (granule_index_.pages_freed() != pages_freed) {
        pages_freed = granule_index_.pages_freed();  // kept addresses may dangle
        std::fill(std::begin(entries), std::end(entries), nullptr);
      }
    }
  }

  const std::vector<Finding>& findings() const { return findings_; }

  std::vector<Finding> TakeFindings() {
    taken_ += findings_.size();
    std::vector<Finding> taken = std::move(findings_);
    findings_.clear();
    return taken;
  }

  size_t events_processed() const { return next_index_; }
  uint64_t history_misses() const { return history_misses_; }

 private:
  // Extends the per-thread and per-object state to the trace's current tables (a
  // streamed trace adds threads and objects as it goes; existing entries never change).
  void CatchUp() {
    const size_t n = std::min<size_t>(trace_.threads().size(), kNoThread);
    threads_.reserve(n);
    for (size_t t = threads_.size(); t < n; ++t) {
      threads_.push_back(ThreadState{VectorClock::ForThread(static_cast<ThreadId>(t), n), 0});
    }
    const std::vector<ObjectInfo>& objects = trace_.objects();
    const size_t first_new = object_life_.size();
    object_life_.resize(objects.size(), kUnknownLife);
    bool sorted = true;
    for (size_t id = first_new; id < objects.size(); ++id) {
      const ObjectInfo& info = objects[id];
      if (!IsMemoryObject(info.kind) || info.size == 0) continue;
      uint64_t address = info.address & kAddressMask;
      ObjectRange range{address, address + info.size, static_cast<ObjectId>(id)};
      if (!ranges_.empty() && RangeBefore(range, ranges_.back())) sorted = false;
      ranges_.push_back(range);
      max_object_size_ = std::max(max_object_size_, info.size);
    }
    if (!sorted) std::sort(ranges_.begin(), ranges_.end(), RangeBefore);
  }

  static bool RangeBefore(const ObjectRange& a, const ObjectRange& b) {
    return a.address != b.address ? a.address < b.address : a.id < b.id;
  }

  // ---- Sync objects ----

  SyncState& Sync(ObjectId object) {
    if (object >= sync_index_.size()) sync_index_.resize(size_t{object} + 1, kNone);
    uint32_t& index = sync_index_[object];
    if (index == kNone) {
      index = TakeSlot(syncs_, free_syncs_, [&] { syncs_.emplace_back(); });
    }
    return syncs_[index];
  }

  void MutexEvent(const Event& event, ThreadId t) {
    threads_[t].lockset = locksets_.Apply(threads_[t].lockset, event);
    SyncState& s = Sync(event.object());
    VectorClock& clock = threads_[t].clock;
    switch (event.kind) {
      case EventKind::kLock:
        clock.Join(s.clock);
        if (s.readers_released) {
          clock.Join(s.readers);
          s.readers.Clear();
          s.readers_released = false;
        }
        break;
      case EventKind::kLockShared:
        clock.Join(s.clock);  // readers acquire only exclusive releases
        break;
      case EventKind::kUnlock:
        s.clock.CopyFrom(clock);
        clock.Increment(t);
        break;
      case EventKind::kUnlockShared:
        s.readers.Join(clock);
        s.readers_released = true;
        clock.Increment(t);
        break;
      default:
        break;
    }
  }

  void AtomicEvent(const Event& event, size_t index, ThreadId t) {
    ObjectId object = event.object();
    SyncState& s = Sync(object);
    VectorClock& clock = threads_[t].clock;
    MemoryOrder order = event.memory_order();
    uint64_t address = 0;
    uint64_t size = 0;
    if (object < trace_.objects().size()) {
      address = trace_.objects()[object].address & kAddressMask;
      size = trace_.objects()[object].size;
    }
    switch (event.kind) {
      case EventKind::kAtomicLoad:  // also a failed compare-exchange (failure order)
        if (Acquires(order)) AcquireVersion(clock, s, object, event.sequence());
        Access(event, index, t, address, size, AccessKind::kAtomicRead, object);
        break;
      case EventKind::kAtomicStore: {
        Access(event, index, t, address, size, AccessKind::kAtomicWrite, object);
        bool changed;
        if (Releases(order)) {
          s.clock.CopyFrom(clock);  // heads a new release sequence
          clock.Increment(t);
          changed = true;
        } else {
          changed = !s.clock.IsZero();  // a relaxed store ends the release sequence
          s.clock.Clear();
        }
        Produced(s, object, event.sequence(), changed);
        break;
      }
      case EventKind::kAtomicReadModifyWrite: {
        // Reads the newest version (the producer just before it), then writes.
        if (Acquires(order)) clock.Join(s.clock);
        Access(event, index, t, address, size, AccessKind::kAtomicWrite, object);
        bool changed = false;
        if (Releases(order)) {
          s.clock.Join(clock);  // continues the release sequence and heads its own
          clock.Increment(t);
          changed = true;
        }  // a relaxed RMW continues the release sequence unchanged
        Produced(s, object, event.sequence(), changed);
        break;
      }
      default:
        break;
    }
  }

  // A producer made version `version` of `object`, whose clock is now s.clock.
  void Produced(SyncState& s, ObjectId object, uint32_t version, bool changed) {
    if (!s.any_version) {
      s.any_version = true;
      s.first_version = version;
      changed = true;
    }
    s.version = version;
    if (planned_) {
      if (pinned_.empty()) return;
      auto it = pinned_.find(VersionKey(object, version));
      if (it != pinned_.end()) it->second.clock.CopyFrom(s.clock);
      return;
    }
    if (!changed || options_.history_depth == 0) return;
    if (s.history.size() < options_.history_depth) {
      s.history.push_back(HistoryEntry{version, s.clock});
      s.history_next = static_cast<uint32_t>(s.history.size() % options_.history_depth);
    } else {
      HistoryEntry& entry = s.history[s.history_next];
      entry.first_version = version;
      entry.clock.CopyFrom(s.clock);
      s.history_next = static_cast<uint32_t>((s.history_next + 1) % options_.history_depth);
    }
  }

  // `clock` acquires what `object` had released as of `version`.
  void AcquireVersion(VectorClock& clock, SyncState& s, ObjectId object, uint32_t version) {
    switch (Locate(s.any_version, s.version, s.first_version, version)) {
      case VersionPosition::kNewest:
        clock.Join(s.clock);
        return;
      case VersionPosition::kUnknown:
        return;
      case VersionPosition::kOlder:
        break;
    }
    if (planned_) {
      auto it = pinned_.find(VersionKey(object, version));
      if (it == pinned_.end()) {
        ++history_misses_;
        return;
      }
      clock.Join(it->second.clock);
      if (--it->second.remaining == 0) pinned_.erase(it);
      return;
    }
    size_t n = s.history.size();
    for (size_t k = 0; k < n; ++k) {  // newest first
      const HistoryEntry& entry = s.history[(s.history_next + 2 * n - 1 - k) % n];
      if (static_cast<int32_t>(version - entry.first_version) >= 0) {
        clock.Join(entry.clock);
        return;
      }
    }
    ++history_misses_;  // older than the kept history: acquire nothing
  }

  void Lifetime(const Event& event) {
    ObjectId object = event.object();
    if (object >= trace_.objects().size()) return;
    bool create = event.kind == EventKind::kObjectCreate;
    object_life_[object] = create ? kLive : kDestroyed;
    const ObjectInfo& info = trace_.objects()[object];
    if (IsMemoryObject(info.kind)) ResetRange(info.address & kAddressMask, info.size);
    if (!create && object < sync_index_.size() && sync_index_[object] != kNone) {
      syncs_[sync_index_[object]] = SyncState{};
      free_syncs_.push_back(sync_index_[object]);
      sync_index_[object] = kNone;
    }
  }

  // ---- Access records and sets ----

  uint32_t NewRecord(const AccessRecord& record) {
    uint32_t index = TakeSlot(records_, free_records_, [&] { records_.emplace_back(); });
    records_[index] = record;
    return index;
  }
  void Ref(uint32_t record) {
    if (record != kNone) ++records_[record].refs;
  }
  void Unref(uint32_t record) {
    if (record != kNone && --records_[record].refs == 0) free_records_.push_back(record);
  }

  uint32_t NewSet() {
    uint32_t index = TakeSlot(sets_, free_sets_, [&] { sets_.emplace_back(); });
    FitSet(sets_[index]);
    return index;
  }
  // A set has an entry for every thread (threads may have been added since it was made).
  void FitSet(AccessSet& set) const {
    if (set.clocks.size() < threads_.size()) {
      set.clocks.resize(threads_.size(), 0);
      set.records.resize(threads_.size(), kNone);
    }
  }
  void FreeSet(uint32_t index) {
    AccessSet& set = sets_[index];
    for (size_t u = 0; u < set.records.size(); ++u) {
      Unref(set.records[u]);
      set.records[u] = kNone;
      set.clocks[u] = 0;
    }
    free_sets_.push_back(index);
  }

  void ClearSlot(Slot& slot) {
    if (IsSet(slot.epoch)) {
      FreeSet(SetIndex(slot.epoch));
    } else {
      Unref(slot.record);
    }
    slot = Slot{};
  }
  void SetEpoch(Slot& slot, uint64_t epoch, uint32_t record) {  // slot holds no set
    Ref(record);
    Unref(slot.record);
    slot.epoch = epoch;
    slot.record = record;
  }

  // The slot's latest access by `t` is at the current epoch.
  bool HasEpoch(const Slot& slot, ThreadId t, Clock now, uint64_t epoch) const {
    if (slot.epoch == epoch) return true;
    if (!IsSet(slot.epoch)) return false;
    const AccessSet& set = sets_[SetIndex(slot.epoch)];
    return t < set.clocks.size() && set.clocks[t] == now;
  }
  // The slot is empty or holds one access by `t`.
  static bool OnlyBy(const Slot& slot, ThreadId t) {
    return slot.epoch == 0 || (!IsSet(slot.epoch) && (slot.epoch >> 32) == t);
  }

  // Reports each access in `slot` that does not happen before `clock`.
  void Check(const Slot& slot, const VectorClock& clock) {
    if (slot.epoch == 0) return;
    if (IsSet(slot.epoch)) {
      const AccessSet& set = sets_[SetIndex(slot.epoch)];
      for (size_t u = 0; u < set.clocks.size(); ++u) {
        if (set.clocks[u] > clock.Get(static_cast<ThreadId>(u))) Racing(set.records[u]);
      }
      return;
    }
    if (!clock.Covers(Epoch::Unpack(slot.epoch))) Racing(slot.record);
  }
  void Check(const InlineAccess& access, bool is_write, const VectorClock& clock) {
    if (IsSet(access.epoch)) {
      for (const InlineAccess& read : read_sets_[SetIndex(access.epoch)]) {
        Check(read, is_write, clock);
      }
      return;
    }
    if (access.epoch != 0 && !clock.Covers(Epoch::Unpack(access.epoch))) {
      Racing(RecordOf(access, is_write));
    }
  }
  void Racing(uint32_t record) { Racing(records_[record]); }
  // Copied: kept until reported, whatever the update does to the slot. One access is one
  // event, so its index names it among the racing ones (several bytes and granules may
  // hold it).
  void Racing(const AccessRecord& record) {
    for (const AccessRecord& known : racing_) {
      if (known.event_index == record.event_index) return;
    }
    racing_.push_back(record);
  }

  // Adds an access that may be unordered with the slot's (reads; atomic accesses).
  void AddConcurrent(Slot& slot, ThreadId t, Clock now, const VectorClock& clock, uint32_t record) {
    if (IsSet(slot.epoch)) {
      AccessSet& set = sets_[SetIndex(slot.epoch)];
      FitSet(set);
      Ref(record);
      Unref(set.records[t]);
      set.records[t] = record;
      set.clocks[t] = now;
      return;
    }
    Epoch previous = Epoch::Unpack(slot.epoch);
    if (clock.Covers(previous)) {  // ordered (or empty): the new access stands for both
      SetEpoch(slot, Epoch{t, now}.Pack(), record);
      return;
    }
    uint32_t index = NewSet();
    AccessSet& set = sets_[index];
    set.clocks[previous.thread] = previous.clock;
    set.records[previous.thread] = slot.record;  // the slot's reference moves here
    set.clocks[t] = now;
    set.records[t] = record;
    Ref(record);
    slot.epoch = kSetTag | index;
    slot.record = kNone;
  }

  // ---- Shadow memory ----

  static AccessRecord RecordOf(const InlineAccess& access, bool is_write) {
    AccessRecord record;
    record.address = access.address();
    record.event_index = access.event_index;
    record.size = static_cast<uint32_t>(access.range >> 48);
    record.site = access.site;
    record.lockset = access.lockset;
    record.thread = static_cast<ThreadId>(access.epoch >> 32);
    record.is_write = is_write;
    return record;
  }

  uint32_t FindOrAddGranule(uint64_t base) {
    auto [entry, inserted] = granule_index_.Insert(base);
    if (inserted) *entry = TakeSlot(granules_, free_granules_, [&] { granules_.emplace_back(); });
    return *entry;
  }

  static bool IsLockEvent(EventKind kind) {
    return kind == EventKind::kLock || kind == EventKind::kUnlock ||
           kind == EventKind::kLockShared || kind == EventKind::kUnlockShared;
  }

  static uint64_t GranuleOf(const Event& access) {
    return access.address() & ~(kGranuleBytes - 1);
  }

  // The common case, analysed without Access()'s generality: a plain access (by a known
  // thread) to exactly the bytes of a compact granule's last accesses, ordered after
  // them (no race), the last reads not read-shared. `gi`: the granule of the access's
  // first byte. Leaves the state as Access() would; false, and nothing changed, for
  // anything else.
  ABSL_ATTRIBUTE_ALWAYS_INLINE bool OrderedRepeat(const Event& event, size_t index, uint32_t gi,
                                                  bool is_write) {
    const ThreadId t = event.thread;
    const uint64_t range = event.payload;  // address | size << 48
    if (((event.address() + event.access_size() - 1) & ~(kGranuleBytes - 1)) !=
        GranuleOf(event)) {
      return false;  // more than one granule (or empty)
    }
    Granule& g = granules_[gi];
    const uint64_t write_epoch = g.write.epoch;
    const uint64_t read_epoch = g.read.epoch;
    const InlineAccess& any = write_epoch != 0 ? g.write : g.read;
    // Same range: covers exactly these bytes (also false when split or empty).
    const bool split = g.split();
    if ((any.range != range) | split | IsSet(read_epoch)) return false;
    const VectorClock& clock = threads_[t].clock;
    const uint64_t epoch = Epoch{t, clock.Get(t)}.Pack();
    // Bitwise logic and selects instead of branches from here on: whether the access is
    // a write, and whether it repeats one of this epoch, vary from event to event.
    const bool same_epoch =
        (is_write & (write_epoch == epoch) & ((read_epoch == 0) | ((read_epoch >> 32) == t))) |
        (!is_write & (read_epoch == epoch));
    const bool write_ordered = clock.Covers(Epoch::Unpack(write_epoch));
    const bool read_ordered = clock.Covers(Epoch::Unpack(read_epoch));
    const bool ordered = write_ordered & read_ordered;
    if (!(same_epoch | ordered)) return false;  // a race, or reads becoming read-shared
    // A repeat within the epoch changes nothing (the first access stands for it); else a
    // write replaces both (the reads are forgotten: an empty slot is its epoch 0), a
    // read the last read.
    InlineAccess unchanged;
    InlineAccess* slot = same_epoch ? &unchanged : is_write ? &g.write : &g.read;
    *slot = InlineAccess{epoch, index, range, event.site, threads_[t].lockset};
    g.read.epoch &= static_cast<uint64_t>(is_write && !same_epoch) - 1;
    return true;
  }

  // The bytes [lo, hi) of the granule at `base` that a compact granule's accesses cover
  // (lo == hi: none).
  static std::pair<uint64_t, uint64_t> Covered(const Granule& g, uint64_t base) {
    const InlineAccess& any = g.write.epoch != 0 ? g.write : g.read;
    if (any.epoch == 0) return {0, 0};
    return {std::max(any.address(), base) - base,
            std::min(any.end(), base + kGranuleBytes) - base};
  }

  // Analyses a plain access to bytes [lo, hi) of a compact granule, if it stays compact
  // (see the banner); false, and nothing changed, if the granule must be split first.
  bool CompactAccess(Granule& g, uint64_t base, uint64_t lo, uint64_t hi, bool is_write,
                     ThreadId t, const VectorClock& clock, const InlineAccess& access) {
    auto [covered_lo, covered_hi] = Covered(g, base);
    const bool same_bytes = covered_lo == lo && covered_hi == hi;
    if (is_write) {
      if (covered_lo != covered_hi && (covered_lo < lo || covered_hi > hi)) return false;
      const uint64_t reader = g.read.epoch >> 32;  // 0xffff for a read set
      if (same_bytes && g.write.epoch == access.epoch && (g.read.epoch == 0 || reader == t)) {
        return true;  // same epoch
      }
      Check(g.write, true, clock);
      Check(g.read, false, clock);
      if (IsSet(g.read.epoch)) FreeReadSet(SetIndex(g.read.epoch));
      g.write = access;
      g.read = InlineAccess{};
      return true;
    }
    if (covered_lo != covered_hi && !same_bytes) return false;
    if (g.read.epoch == access.epoch) return true;  // same epoch
    if (IsSet(g.read.epoch)) {
      std::vector<InlineAccess>& set = read_sets_[SetIndex(g.read.epoch)];
      if (set.size() <= t) set.resize(size_t{t} + 1);
      if (set[t].epoch == access.epoch) return true;  // same epoch
      Check(g.write, true, clock);
      set[t] = access;
      return true;
    }
    Check(g.write, true, clock);
    const Epoch previous = Epoch::Unpack(g.read.epoch);
    if (clock.Covers(previous)) {  // ordered (or none): the new read stands for both
      g.read = access;
      return true;
    }
    const uint32_t index = TakeSlot(read_sets_, free_read_sets_, [&] { read_sets_.emplace_back(); });
    std::vector<InlineAccess>& set = read_sets_[index];  // a reused one was left empty
    set.resize(std::max<size_t>({set.size(), size_t{previous.thread} + 1, size_t{t} + 1}));
    set[previous.thread] = g.read;
    set[t] = access;
    g.read.epoch = kSetTag | index;  // its range stays: the same bytes
    return true;
  }

  void FreeReadSet(uint32_t index) {
    for (InlineAccess& read : read_sets_[index]) read = InlineAccess{};
    free_read_sets_.push_back(index);
  }

  // The ByteGranule of granule `gi`, splitting a compact one: each of its accesses
  // becomes a record that every byte it covered names.
  ByteGranule& Split(uint32_t gi, uint64_t base) {
    Granule& g = granules_[gi];
    if (g.split()) return byte_granules_[g.byte_granule()];
    const uint32_t index =
        TakeSlot(byte_granules_, free_byte_granules_, [&] { byte_granules_.emplace_back(); });
    ByteGranule& bytes = byte_granules_[index];  // a reused one was left empty
    auto [lo, hi] = Covered(g, base);
    // With no reference yet: the bytes' slots add theirs.
    auto new_record = [&](const InlineAccess& access, bool is_write) {
      return NewRecord(RecordOf(access, is_write));
    };
    if (g.write.epoch != 0) {
      const uint32_t r = new_record(g.write, true);
      for (uint64_t b = lo; b < hi; ++b) SetEpoch(bytes.write[b], g.write.epoch, r);
    }
    if (IsSet(g.read.epoch)) {  // each byte gets a set naming the same records
      const uint32_t read_set = SetIndex(g.read.epoch);
      std::vector<std::pair<ThreadId, uint32_t>> readers;  // thread, record
      for (size_t u = 0; u < read_sets_[read_set].size(); ++u) {
        const InlineAccess& read = read_sets_[read_set][u];
        if (read.epoch != 0) readers.emplace_back(u, new_record(read, false));
      }
      for (uint64_t b = lo; b < hi; ++b) {
        const uint32_t set_index = NewSet();
        AccessSet& set = sets_[set_index];
        for (auto [u, r] : readers) {
          set.clocks[u] = Epoch::Unpack(read_sets_[read_set][u].epoch).clock;
          set.records[u] = r;
          Ref(r);
        }
        bytes.read[b] = Slot{kSetTag | set_index, kNone};
      }
      FreeReadSet(read_set);
    } else if (g.read.epoch != 0) {
      const uint32_t r = new_record(g.read, false);
      for (uint64_t b = lo; b < hi; ++b) SetEpoch(bytes.read[b], g.read.epoch, r);
    }
    g.write = InlineAccess{};
    g.read = InlineAccess{};
    g.write.epoch = kSplitFlag | index;
    return bytes;
  }

  uint32_t AtomicOf(ByteGranule& g) {
    if (g.atomic == kNone) {
      g.atomic = TakeSlot(atomics_, free_atomics_, [&] { atomics_.emplace_back(); });
    }
    return g.atomic;
  }

  void MaybeFreeAtomic(ByteGranule& g) {
    const AtomicGranule& a = atomics_[g.atomic];
    for (size_t b = 0; b < kGranuleBytes; ++b) {
      if (a.write[b].epoch != 0 || a.read[b].epoch != 0) return;
    }
    free_atomics_.push_back(g.atomic);
    g.atomic = kNone;
  }

  void Access(const Event& event, size_t index, ThreadId t, uint64_t address, uint64_t size,
              AccessKind kind, ObjectId atomic_object) {
    if (size == 0) return;
    const VectorClock& clock = threads_[t].clock;
    const Clock now = clock.Get(t);
    const uint64_t epoch = Epoch{t, now}.Pack();
    const bool is_write = kind == AccessKind::kWrite || kind == AccessKind::kAtomicWrite;
    const bool is_atomic = kind == AccessKind::kAtomicRead || kind == AccessKind::kAtomicWrite;
    InlineAccess inline_access;
    if (!is_atomic) {  // plain sizes fit in 16 bits
      inline_access = InlineAccess{epoch, index, address | (size << 48), event.site,
                                   threads_[t].lockset};
    }
    uint32_t record = kNone;
    auto this_record = [&]() {
      if (record == kNone) {
        record =
            NewRecord(AccessRecord{address, index, static_cast<uint32_t>(size), event.site,
                                   threads_[t].lockset, atomic_object, 1, t, is_write, is_atomic});
      }
      return record;
    };
    racing_.clear();
    const uint64_t end = address + size;
    for (uint64_t base = address & ~(kGranuleBytes - 1); base < end; base += kGranuleBytes) {
      const uint32_t gi = FindOrAddGranule(base);
      const size_t lo = std::max(address, base) - base;
      const size_t hi = std::min(end, base + kGranuleBytes) - base;
      if (!is_atomic && !granules_[gi].split() &&
          CompactAccess(granules_[gi], base, lo, hi, is_write, t, clock, inline_access)) {
        continue;
      }
      ByteGranule& g = Split(gi, base);
      switch (kind) {
        case AccessKind::kWrite:
          for (size_t b = lo; b < hi; ++b) {
            Slot& w = g.write[b];
            Slot& r = g.read[b];
            if (g.atomic == kNone && w.epoch == epoch && OnlyBy(r, t)) continue;  // same epoch
            Check(w, clock);
            Check(r, clock);
            if (g.atomic != kNone) {
              AtomicGranule& a = atomics_[g.atomic];
              Check(a.write[b], clock);
              Check(a.read[b], clock);
              ClearSlot(a.write[b]);
              ClearSlot(a.read[b]);
            }
            SetEpoch(w, epoch, this_record());
            ClearSlot(r);
          }
          if (g.atomic != kNone) MaybeFreeAtomic(g);
          break;
        case AccessKind::kRead:
          for (size_t b = lo; b < hi; ++b) {
            Slot& r = g.read[b];
            if (g.atomic == kNone && HasEpoch(r, t, now, epoch)) continue;  // same epoch
            Check(g.write[b], clock);
            if (g.atomic != kNone) Check(atomics_[g.atomic].write[b], clock);
            AddConcurrent(r, t, now, clock, this_record());
          }
          break;
        case AccessKind::kAtomicRead: {
          AtomicGranule& a = atomics_[AtomicOf(g)];
          for (size_t b = lo; b < hi; ++b) {
            Slot& ar = a.read[b];
            if (HasEpoch(ar, t, now, epoch)) continue;
            Check(g.write[b], clock);
            AddConcurrent(ar, t, now, clock, this_record());
          }
          break;
        }
        case AccessKind::kAtomicWrite: {
          AtomicGranule& a = atomics_[AtomicOf(g)];
          for (size_t b = lo; b < hi; ++b) {
            Slot& aw = a.write[b];
            if (HasEpoch(aw, t, now, epoch) && OnlyBy(g.read[b], t)) continue;
            Check(g.write[b], clock);
            Check(g.read[b], clock);
            AddConcurrent(aw, t, now, clock, this_record());
          }
          break;
        }
      }
    }
    for (const AccessRecord& previous : racing_) {
      Report(event, index, t, address, static_cast<uint32_t>(size), is_write, is_atomic,
             atomic_object, previous);
    }
    racing_.clear();
    Unref(record);  // the access's own reference
  }

  // Forgets the history of [address, address + size): the memory holds a new object.
  void ResetRange(uint64_t address, uint64_t size) {
    if (size == 0 || granule_index_.empty()) return;
    const uint64_t end = address + size;
    std::vector<uint64_t> bases;
    granule_index_.ForEachIn(address, end, [&](uint64_t base, uint32_t) { bases.push_back(base); });
    for (uint64_t base : bases) ResetGranule(base, address, end);
  }

  void ResetGranule(uint64_t base, uint64_t address, uint64_t end) {
    const uint32_t gi = granule_index_.Find(base);
    if (gi == GranuleIndex::kAbsent) return;
    const size_t lo = std::max(address, base) - base;
    const size_t hi = std::min(end, base + kGranuleBytes) - base;
    if (!granules_[gi].split()) {
      auto [covered_lo, covered_hi] = Covered(granules_[gi], base);
      if (covered_lo < lo || covered_hi > hi) {  // some of its bytes keep their history
        if (covered_hi <= lo || covered_lo >= hi) return;  // none of them reset
        Split(gi, base);
      }
    }
    Granule& compact = granules_[gi];
    if (compact.split()) {
      const uint32_t bi = compact.byte_granule();
      ByteGranule& g = byte_granules_[bi];
      for (size_t b = lo; b < hi; ++b) {
        ClearSlot(g.write[b]);
        ClearSlot(g.read[b]);
        if (g.atomic != kNone) {
          ClearSlot(atomics_[g.atomic].write[b]);
          ClearSlot(atomics_[g.atomic].read[b]);
        }
      }
      if (g.atomic != kNone) MaybeFreeAtomic(g);
      if (g.atomic != kNone) return;
      for (size_t b = 0; b < kGranuleBytes; ++b) {
        if (g.write[b].epoch != 0 || g.read[b].epoch != 0) return;
      }
      free_byte_granules_.push_back(bi);
    } else if (IsSet(compact.read.epoch)) {
      FreeReadSet(SetIndex(compact.read.epoch));
    }
    compact = Granule{};  // left empty for reuse
    granule_index_.Erase(base);
    free_granules_.push_back(gi);
  }

  // ---- Reports ----

  // The live (else never created nor destroyed) Shared / Atomic / memory object whose
  // bytes contain [address, address + size); the newest if several do.
  ObjectId ObjectContaining(uint64_t address, uint64_t size) const {
    const uint64_t end = address + size;
    auto it =
        std::upper_bound(ranges_.begin(), ranges_.end(), address,
                         [](uint64_t a, const ObjectRange& range) { return a < range.address; });
    ObjectId best = kNoObject;
    int best_rank = 0;
    while (it != ranges_.begin()) {
      --it;
      if (it->address + max_object_size_ < end) break;  // nothing further left reaches
      if (it->end < end) continue;
      int rank = object_life_[it->id] == kLive ? 2 : object_life_[it->id] == kUnknownLife ? 1 : 0;
      if (rank == 0) continue;
      if (rank > best_rank || (rank == best_rank && it->id > best)) {
        best = it->id;
        best_rank = rank;
      }
    }
    return best;
  }

  void Report(const Event& event, size_t index, ThreadId t, uint64_t address, uint32_t size,
              bool is_write, bool is_atomic, ObjectId atomic_object, const AccessRecord& p) {
    SiteId low = std::min(event.site, p.site);
    SiteId high = std::max(event.site, p.site);
    auto [it, inserted] =
        pairs_.try_emplace((uint64_t{low} << 32) | high, taken_ + findings_.size());
    if (!inserted) {
      if (it->second >= taken_) ++findings_[it->second - taken_].count;
      return;
    }
    DataRace race;
    MemoryAccess& current = race.current;
    current.thread = t;
    current.is_write = is_write;
    current.is_atomic = is_atomic;
    current.address = address;
    current.size = size;
    current.object = is_atomic ? atomic_object : ObjectContaining(address, size);
    current.site = event.site;
    current.held = locksets_.Locks(threads_[t].lockset);
    current.event_index = index;
    MemoryAccess& before = race.previous;
    before.thread = p.thread;
    before.is_write = p.is_write;
    before.is_atomic = p.is_atomic;
    before.address = p.address;
    before.size = p.size;
    before.object = p.is_atomic ? p.object : ObjectContaining(p.address, p.size);
    before.site = p.site;
    before.held = locksets_.Locks(p.lockset);
    before.event_index = p.event_index;
    Finding finding;
    finding.details = std::move(race);
    findings_.push_back(std::move(finding));
  }

  const Trace& trace_;
  RaceDetectorOptions options_;
  bool planned_;

  std::vector<ThreadState> threads_;
  std::vector<uint32_t> sync_index_;  // by object: index into syncs_, or kNone
  std::vector<SyncState> syncs_;
  std::vector<uint32_t> free_syncs_;
  absl::flat_hash_map<uint64_t, PinnedClock> pinned_;  // (object, version) with a plan

  LocksetTrie locksets_;  // ThreadState::lockset and AccessRecord::lockset are its nodes

  GranuleIndex granule_index_;  // granule address -> granules_
  std::vector<Granule> granules_;
  std::vector<uint32_t> free_granules_;
  std::vector<std::vector<InlineAccess>> read_sets_;  // ReadSets, by thread
  std::vector<uint32_t> free_read_sets_;
  std::vector<ByteGranule> byte_granules_;
  std::vector<uint32_t> free_byte_granules_;
  std::vector<AtomicGranule> atomics_;
  std::vector<uint32_t> free_atomics_;
  std::vector<AccessRecord> records_;
  std::vector<uint32_t> free_records_;
  std::vector<AccessSet> sets_;
  std::vector<uint32_t> free_sets_;
  std::vector<AccessRecord> racing_;  // accesses racing with the one being analysed

  std::vector<ObjectRange> ranges_;  // memory objects by address
  uint64_t max_object_size_ = 0;
  std::vector<ObjectLife> object_life_;

  absl::flat_hash_map<uint64_t, size_t> pairs_;  // site pair -> finding number
  std::vector<Finding> findings_;
  size_t taken_ = 0;  // findings handed out by TakeFindings()
  size_t next_index_ = 0;
  uint64_t history_misses_ = 0;
};

RaceDetector::RaceDetector(const Trace& trace, RaceDetectorOptions options)
    : impl_(std::make_unique<Impl>(trace, options, nullptr)) {}

RaceDetector::RaceDetector(const Trace& trace, ObservationPlan plan, RaceDetectorOptions options)
    : impl_(std::make_unique<Impl>(trace, options, &plan.pending_)) {}

RaceDetector::~RaceDetector() = default;

void RaceDetector::Process(const Event& event) { impl_->Process(event); }
void RaceDetector::Process(std::span<const Event> events) { impl_->Process(events); }
const std::vector<Finding>& RaceDetector::findings() const { return impl_->findings(); }
std::vector<Finding> RaceDetector::TakeFindings() { return impl_->TakeFindings(); }
size_t RaceDetector::events_processed() const { return impl_->events_processed(); }
uint64_t RaceDetector::history_misses() const { return impl_->history_misses(); }

std::vector<Finding> FindDataRaces(const Trace& trace) {
  ObservationPlan plan;
  for (const Event& event : trace.events()) plan.Add(event);
  RaceDetector detector(trace, std::move(plan));
  detector.Process(trace.events());
  return detector.TakeFindings();
}

}  // namespace harness
