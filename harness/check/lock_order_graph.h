// harness/check/lock_order_graph.h: the lock-order graph of a trace ("B acquired while
// holding A" edges, each instance keeping its thread, held set, sites and fork/join
// time) and the search for cycles that are potential deadlocks.
#ifndef HARNESS_CHECK_LOCK_ORDER_GRAPH_H_
#define HARNESS_CHECK_LOCK_ORDER_GRAPH_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "harness/check/lockset_trie.h"
#include "harness/report/finding.h"
#include "harness/trace/trace.h"

namespace harness {

struct LockOrderOptions {
  // Longest cycle searched for (in locks). Longer ones are not reported; the result
  // says when the graph may hold some.
  int max_cycle_length = 10;
  // Treat every mutex created at the same site as one lock (lockdep's lock classes),
  // for code that makes many short-lived mutexes.
  bool lock_classes_by_site = false;
  // Distinct instances kept per (from, to) pair: enough to find distinct-thread,
  // gate-free combinations without memory growing with the trace.
  int max_instances_per_edge = 16;
};

class LockOrderGraph {
 public:
  // `trace` gives the tables (threads, objects, sites) the events refer to; its events
  // are not read here. It must outlive the graph. The tables may grow between calls to
  // Process() (a streamed trace adds threads and objects as it goes); entries already
  // there must not change.
  LockOrderGraph(const Trace& trace, LockOrderOptions options);

  // LockOrderGraph::Process()
  // Feeds the next event of the trace (in order). Lock acquisitions that may block
  // (not try-locks, not recursive re-entries) add an edge from every lock the thread
  // holds; thread create/start/end/join advance the fork/join clocks.
  void Process(size_t event_index, const Event& event) {
    // Inline: most events are memory accesses, which change nothing here.
    switch (event.kind) {
      case EventKind::kLock:
      case EventKind::kLockShared:
      case EventKind::kUnlock:
      case EventKind::kUnlockShared:
      case EventKind::kThreadCreate:
      case EventKind::kThreadEnd:
      case EventKind::kThreadStart:
      case EventKind::kThreadJoin:
        ProcessLockOrThreadEvent(event_index, event);
        return;
      default:
        return;
    }
  }

  struct Cycles {
    std::vector<LockOrderCycle> cycles;  // shortest first
    bool truncated = false;  // a cycle longer than max_cycle_length may exist
  };

  // LockOrderGraph::FindCycles()
  // Every cycle that could deadlock, once each: its edges come from distinct threads,
  // no two edges' held sets share a lock (a gate lock), no edge is ordered before
  // another by thread create/join, and every thread in it would block (a shared
  // acquisition is not blocked by a shared holder).
  Cycles FindCycles() const;

  // The node a mutex belongs to (itself, or its class's representative mutex).
  ObjectId NodeOf(ObjectId mutex) const;

  struct EdgeInstance {
    LockOrderEdge edge;
    bool from_shared = false;  // `from` was held in shared mode
    bool to_shared = false;    // `to` was acquired in shared mode
    uint32_t fork_join_time = 0;  // the thread's own fork/join clock entry
    uint32_t clock_version = 0;   // index into the thread's fork/join clock history
    uint32_t held_set = 0;        // edge.held as a node of the graph's LocksetTrie
  };
  // All edges, grouped by (from node, to node).
  const absl::flat_hash_map<std::pair<ObjectId, ObjectId>, std::vector<EdgeInstance>>& edges()
      const {
    return edges_;
  }

 private:
  void ProcessLockOrThreadEvent(size_t event_index, const Event& event);
  // Extends the per-thread and per-object tables to the trace's current tables.
  void CatchUp();
  bool Ordered(const EdgeInstance& first, const EdgeInstance& second) const;
  bool Compatible(const EdgeInstance& a, const EdgeInstance& b) const;

  const Trace& trace_;
  LockOrderOptions options_;
  LocksetTrie locksets_;
  std::vector<uint32_t> thread_locksets_;  // per thread: the locks it holds now
  std::vector<HeldLock> held_scratch_;
  std::vector<ObjectId> node_of_;  // mutex -> node
  absl::flat_hash_map<SiteId, ObjectId> class_representative_;  // lock classes by site
  absl::flat_hash_map<std::pair<ObjectId, ObjectId>, std::vector<EdgeInstance>> edges_;
  // Fork/join happens-before, by vector clocks that change only at thread create,
  // start, end and join: per thread, the history of its clocks.
  std::vector<std::vector<std::vector<uint32_t>>> clock_history_;
  std::vector<bool> history_referenced_;  // per thread: an edge uses the last version
  std::vector<std::vector<uint32_t>> thread_object_clock_;  // by thread object
};

// FindLockOrderCycles()
// Builds the graph over the whole trace and returns its potential deadlocks as
// findings (LockOrderCycle), shortest first.
std::vector<Finding> FindLockOrderCycles(const Trace& trace, const LockOrderOptions& options,
                                         bool* truncated);

}  // namespace harness

#endif  // HARNESS_CHECK_LOCK_ORDER_GRAPH_H_
