// harness/check/vector_clock.cc: VectorClock.
#include "harness/check/vector_clock.h"

#include <algorithm>

namespace harness {

VectorClock VectorClock::ForThread(ThreadId thread, size_t thread_count) {
  VectorClock clock(std::max<size_t>(thread_count, size_t{thread} + 1));
  clock.clocks_[thread] = 1;
  return clock;
}

void VectorClock::Set(ThreadId thread, Clock clock) {
  if (thread >= clocks_.size()) clocks_.resize(size_t{thread} + 1, 0);
  clocks_[thread] = clock;
}

void VectorClock::Clear() { std::fill(clocks_.begin(), clocks_.end(), 0); }

bool VectorClock::IsZero() const {
  return std::all_of(clocks_.begin(), clocks_.end(), [](Clock c) { return c == 0; });
}

bool VectorClock::LessOrEqual(const VectorClock& other) const {
  for (size_t i = 0; i < clocks_.size(); ++i) {
    if (clocks_[i] > other.Get(static_cast<ThreadId>(i))) return false;
  }
  return true;
}

ClockOrder VectorClock::Compare(const VectorClock& a, const VectorClock& b) {
  bool a_less = false;  // some entry of a is smaller
  bool b_less = false;  // some entry of b is smaller
  size_t n = std::max(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    Clock x = a.Get(static_cast<ThreadId>(i));
    Clock y = b.Get(static_cast<ThreadId>(i));
    if (x < y) a_less = true;
    if (y < x) b_less = true;
  }
  if (a_less && b_less) return ClockOrder::kConcurrent;
  if (a_less) return ClockOrder::kBefore;
  if (b_less) return ClockOrder::kAfter;
  return ClockOrder::kEqual;
}

}  // namespace harness
