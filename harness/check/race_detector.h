// harness/check/race_detector.h: the happens-before data race analysis (FastTrack:
// Flanagan & Freund, PLDI 2009), event by event, so that a whole in-memory trace and a
// streamed trace file go through the same code.
//
// Happens-before edges: program order; a mutex's kUnlock -> its later kLock /
// kLockShared, kUnlockShared -> its later exclusive kLock (reader -> reader gives none);
// kThreadCreate -> the child's kThreadStart, kThreadEnd -> kThreadJoin; atomics by memory
// order (release / acq_rel / seq_cst stores and RMWs release, consume / acquire /
// acq_rel / seq_cst loads and RMWs acquire, release sequences continue through RMWs);
// kNotify -> kWaitEnd (unless it timed out), kPromiseSet -> kFutureGet, kArrive ->
// kDepart, kSemaphoreRelease -> kSemaphoreAcquire, kOnceDone -> kOnceWait. An observer
// acquires every producer of its object up to the version it observed. Refused or
// failed operations make no edge.
//
// Accesses: kRead / kWrite over [address, address + size), and every atomic operation
// over its object's [address, address + size) (ObjectInfo). Byte precise: accesses to
// disjoint bytes never race. Plain vs plain (one a write) and atomic vs plain (one a
// write) race when unordered; atomic vs atomic never does. kObjectCreate / kObjectDestroy
// of a Shared<T> / Atomic<T> / named memory object forget its bytes' history.
#ifndef HARNESS_CHECK_RACE_DETECTOR_H_
#define HARNESS_CHECK_RACE_DETECTOR_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "harness/report/finding.h"
#include "harness/trace/trace.h"

namespace harness {

struct RaceDetectorOptions {
  // Without an ObservationPlan: how many past clocks of each atomic / sync object are
  // kept for observers the merge placed after later producers of the same object (the
  // merge keeps program order and per-object order, so a thread may run ahead). A ring
  // of (first version, clock) entries, one per clock change (relaxed RMWs do not change
  // it). An observer of a version older than the ring acquires nothing (a possible
  // false race), counted in RaceDetector::history_misses().
  size_t history_depth = 16;
};

// ObservationPlan: an optional first pass over the same events in the same order. It
// finds the observers that see an older version than the newest one merged before them
// ("stale" observers), so that the detector keeps exactly the clocks they need (and
// drops each once its last observer has been seen) instead of a fixed-depth history.
// FindDataRaces() always plans; a streaming caller can read its file twice.
class ObservationPlan {
 public:
  // Feed every event of the trace, in merged order.
  void Add(const Event& event);

  // Stale observations found so far (each needs a kept clock).
  size_t stale_observations() const { return stale_; }

 private:
  friend class RaceDetector;

  struct Versions {
    uint32_t newest = 0;
    uint32_t first = 0;
    bool any = false;
  };
  std::vector<Versions> versions_;                   // by object
  absl::flat_hash_map<uint64_t, uint32_t> pending_;  // (object, version) -> observers
  size_t stale_ = 0;
};

class RaceDetector {
 public:
  // `trace` gives the tables (threads, objects, sites) the events refer to; its events
  // are not read here. It must outlive the detector. The tables may grow between calls
  // to Process() (a streamed trace adds threads and objects as it goes); entries
  // already there must not change. Events of threads past trace.threads() are ignored
  // (Trace::Validate() rejects them).
  explicit RaceDetector(const Trace& trace, RaceDetectorOptions options = {});
  // As above, keeping exactly the clocks `plan` says stale observers need (the plan
  // must have seen the same events that Process() will).
  RaceDetector(const Trace& trace, ObservationPlan plan, RaceDetectorOptions options = {});
  ~RaceDetector();

  RaceDetector(const RaceDetector&) = delete;
  RaceDetector& operator=(const RaceDetector&) = delete;

  // RaceDetector::Process()
  // Analyses the next event in merged order (the first call is event index 0). Linear
  // work: O(1) per accessed byte in the common same-epoch / ordered cases, O(threads)
  // per sync operation and per access to read-shared bytes.
  void Process(const Event& event);
  // RaceDetector::Process()
  // The next events in merged order, as Process() of each in turn, with the shadow
  // memory of later accesses fetched into the cache ahead of their turn.
  void Process(std::span<const Event> events);

  // Races found so far, one Finding (a DataRace) per unordered pair of call sites, in
  // order of first occurrence; repeats of the pair raise Finding::count.
  const std::vector<Finding>& findings() const;
  // Hands the findings over. Repeats of a pair already taken are no longer counted.
  std::vector<Finding> TakeFindings();

  size_t events_processed() const;
  // Observers whose version was older than the kept history (without a plan).
  uint64_t history_misses() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// FindDataRaces()
// Every data race in `trace` (whose events are merged: see Trace::events()), one
// finding per unordered pair of racing call sites, in order of first occurrence. Runs an
// ObservationPlan pass, then a RaceDetector pass.
std::vector<Finding> FindDataRaces(const Trace& trace);

}  // namespace harness

#endif  // HARNESS_CHECK_RACE_DETECTOR_H_
