// harness/trace/merge.cc: the per-object-sequence merge (see merge.h).
#include "harness/trace/merge.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <limits>
#include <utility>

namespace harness {
namespace {

struct ObjectState {
  uint64_t version = 0;  // sequence of the last producer placed, extended to 64 bits
  bool has_producer = false;
  // Threads blocked on this object, as a min-heap of (needed version, stream).
  std::vector<std::pair<uint64_t, uint32_t>> waiters;
};

// Extends a recorded 32-bit sequence to 64 bits, as the value nearest `version`, so
// counters that wrapped during a long run still compare correctly.
uint64_t Extend(uint64_t version, uint32_t sequence) {
  int32_t delta = static_cast<int32_t>(sequence - static_cast<uint32_t>(version));
  return version + static_cast<int64_t>(delta);
}

}  // namespace

MergeResult MergeThreadStreams(std::vector<std::vector<Event>> streams, size_t object_count) {
  MergeResult result;
  size_t total = 0;
  for (const auto& stream : streams) total += stream.size();
  result.events.reserve(total);

  // Each object starts just before the first of its producers any stream holds, so a
  // recording that began mid-run needs no gap for what came before it.
  std::vector<ObjectState> objects(object_count);
  constexpr uint64_t kBias = uint64_t{1} << 40;  // keeps extended versions positive
  for (const auto& stream : streams) {
    for (const Event& e : stream) {
      if (OrderingRoleOf(e.kind) != OrderingRole::kProducer) continue;
      ObjectState& o = objects[e.object()];
      uint64_t candidate = kBias + e.sequence() - 1;
      if (!o.has_producer) {
        o.has_producer = true;
        o.version = candidate;
      } else if (static_cast<int32_t>(e.sequence() - 1 - static_cast<uint32_t>(o.version)) < 0) {
        o.version = Extend(o.version, e.sequence() - 1);
      }
    }
  }

  std::vector<size_t> cursor(streams.size(), 0);
  std::vector<bool> blocked(streams.size(), false);
  std::deque<uint32_t> runnable;
  for (uint32_t s = 0; s < streams.size(); ++s) runnable.push_back(s);
  auto heap_order = std::greater<std::pair<uint64_t, uint32_t>>();

  // Needed version for the event, or 0 when it can be placed now.
  auto needed = [&](const Event& e, uint64_t* need) -> bool {
    OrderingRole role = OrderingRoleOf(e.kind);
    if (role == OrderingRole::kUnordered) return false;
    ObjectState& o = objects[e.object()];
    if (!o.has_producer) return false;  // observes something outside the streams
    uint64_t seq = Extend(o.version, e.sequence());
    if (role == OrderingRole::kProducer) {
      if (seq <= o.version + 1) return false;
      *need = seq - 1;
      return true;
    }
    if (seq <= o.version) return false;
    *need = seq;
    return true;
  };

  auto wake = [&](ObjectState& o) {
    while (!o.waiters.empty() && o.waiters.front().first <= o.version) {
      std::pop_heap(o.waiters.begin(), o.waiters.end(), heap_order);
      uint32_t s = o.waiters.back().second;
      o.waiters.pop_back();
      if (blocked[s]) {
        blocked[s] = false;
        runnable.push_back(s);
      }
    }
  };

  size_t placed = 0;
  while (placed < total) {
    if (runnable.empty()) {
      // Every remaining stream waits for a producer no stream holds: step over the
      // smallest such gap and go on.
      uint32_t best = 0;
      uint64_t best_distance = std::numeric_limits<uint64_t>::max();
      for (uint32_t s = 0; s < streams.size(); ++s) {
        if (!blocked[s]) continue;
        const Event& e = streams[s][cursor[s]];
        ObjectState& o = objects[e.object()];
        // How many producers are missing: a blocked producer needs version seq - 1, an
        // observer needs seq. (Counting seq - version for both let an observer win a tie
        // against the very producer it observed, and be placed before it.)
        uint64_t distance = Extend(o.version, e.sequence()) - o.version;
        if (OrderingRoleOf(e.kind) == OrderingRole::kProducer) --distance;
        if (distance < best_distance) {
          best_distance = distance;
          best = s;
        }
      }
      const Event& e = streams[best][cursor[best]];
      ObjectState& o = objects[e.object()];
      uint64_t seq = Extend(o.version, e.sequence());
      o.version = OrderingRoleOf(e.kind) == OrderingRole::kProducer ? seq - 1 : seq;
      ++result.ordering_gaps;
      blocked[best] = false;
      runnable.push_back(best);
      wake(o);
      continue;
    }
    uint32_t s = runnable.front();
    runnable.pop_front();
    std::vector<Event>& stream = streams[s];
    size_t& i = cursor[s];
    while (i < stream.size()) {
      Event e = stream[i];
      uint64_t need = 0;
      if (needed(e, &need)) {
        ObjectState& o = objects[e.object()];
        blocked[s] = true;
        o.waiters.emplace_back(need, s);
        std::push_heap(o.waiters.begin(), o.waiters.end(), heap_order);
        break;
      }
      e.thread = static_cast<ThreadId>(s);
      result.events.push_back(e);
      ++i;
      ++placed;
      if (OrderingRoleOf(e.kind) == OrderingRole::kProducer) {
        ObjectState& o = objects[e.object()];
        uint64_t seq = Extend(o.version, e.sequence());
        if (seq > o.version) o.version = seq;
        if (!o.waiters.empty()) wake(o);
      }
    }
    if (i == stream.size()) {
      std::vector<Event>().swap(stream);  // give memory back as we go
    }
  }
  return result;
}

}  // namespace harness
