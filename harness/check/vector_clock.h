// harness/check/vector_clock.h: vector clocks and FastTrack epochs (Flanagan & Freund,
// PLDI 2009) for the happens-before race analysis.
//
// A thread's own entry starts at 1 and is bumped after every release it performs, so
// "everything thread t did up to its k-th release" is the epoch k@t. An access that
// happened at epoch c@t happens before a point whose vector clock V has V[t] >= c.
#ifndef HARNESS_CHECK_VECTOR_CLOCK_H_
#define HARNESS_CHECK_VECTOR_CLOCK_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "harness/trace/event.h"

namespace harness {

// One thread's logical time. 0 means "nothing of that thread" (before everything).
// 32 bits: a thread performs fewer than 2^32 releases in any trace we read.
using Clock = uint32_t;

// FastTrack's epoch c@t: the time `clock` of thread `thread`.
struct Epoch {
  ThreadId thread = 0;
  Clock clock = 0;  // 0: the empty epoch, which happens before everything

  bool empty() const { return clock == 0; }

  // Epoch::Pack() / Unpack()
  // 64-bit form for shadow memory: thread in bits 32..47, clock in bits 0..31. The
  // empty epoch packs to 0.
  uint64_t Pack() const { return (uint64_t{thread} << 32) | clock; }
  static Epoch Unpack(uint64_t packed) {
    return Epoch{static_cast<ThreadId>(packed >> 32), static_cast<Clock>(packed)};
  }

  friend bool operator==(const Epoch&, const Epoch&) = default;
};

// How two vector clocks relate.
enum class ClockOrder : uint8_t {
  kEqual,       // same time
  kBefore,      // a < b: a happens before b
  kAfter,       // a > b
  kConcurrent,  // neither
};

// Dense per-thread counters, indexed by ThreadId. Entries past size() read as 0, so
// clocks of different sizes compare and join as if padded with zeros.
class VectorClock {
 public:
  VectorClock() = default;
  // All `thread_count` entries 0.
  explicit VectorClock(size_t thread_count) : clocks_(thread_count, 0) {}
  // The clock a thread starts with: 1 in its own entry (FastTrack's inc_t(bottom)).
  static VectorClock ForThread(ThreadId thread, size_t thread_count);

  size_t size() const { return clocks_.size(); }
  Clock Get(ThreadId thread) const { return thread < clocks_.size() ? clocks_[thread] : 0; }
  // Grows the clock when `thread` is past its end.
  void Set(ThreadId thread, Clock clock);
  void Increment(ThreadId thread) { Set(thread, Get(thread) + 1); }
  // Thread `thread`'s current epoch under this clock: Get(thread)@thread.
  Epoch EpochOf(ThreadId thread) const { return Epoch{thread, Get(thread)}; }

  // VectorClock::Covers()
  // FastTrack's e <= V: the epoch's event happens before (or is) a point with this
  // clock. True for the empty epoch.
  bool Covers(Epoch epoch) const { return epoch.clock <= Get(epoch.thread); }

  // this := this joined with other (entrywise maximum). Inline: the race detector joins
  // at every lock event.
  void Join(const VectorClock& other) {
    if (other.clocks_.size() > clocks_.size()) clocks_.resize(other.clocks_.size(), 0);
    Clock* mine = clocks_.data();
    const Clock* theirs = other.clocks_.data();
    for (size_t i = 0, n = other.clocks_.size(); i < n; ++i) {
      mine[i] = mine[i] < theirs[i] ? theirs[i] : mine[i];
    }
  }
  // this := other, reusing this clock's storage. Inline, as Join().
  void CopyFrom(const VectorClock& other) {
    if (other.clocks_.size() != clocks_.size()) clocks_.resize(other.clocks_.size());
    Clock* mine = clocks_.data();
    const Clock* theirs = other.clocks_.data();
    for (size_t i = 0, n = clocks_.size(); i < n; ++i) mine[i] = theirs[i];
  }
  // Every entry 0 (keeps the size).
  void Clear();
  bool IsZero() const;

  // this <= other entrywise: everything this clock has seen, `other` has too.
  bool LessOrEqual(const VectorClock& other) const;
  static ClockOrder Compare(const VectorClock& a, const VectorClock& b);

  // Equal as clocks (missing entries are 0), whatever the sizes.
  friend bool operator==(const VectorClock& a, const VectorClock& b) {
    return Compare(a, b) == ClockOrder::kEqual;
  }

 private:
  std::vector<Clock> clocks_;
};

}  // namespace harness

#endif  // HARNESS_CHECK_VECTOR_CLOCK_H_
