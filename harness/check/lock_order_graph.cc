// harness/check/lock_order_graph.cc: LockOrderGraph and FindLockOrderCycles().
#include "harness/check/lock_order_graph.h"

#include <algorithm>
#include <functional>
#include <utility>

#include "absl/container/flat_hash_set.h"

namespace harness {
namespace {

// Upper bound on node cycles examined, so a dense graph cannot make the search blow up.
constexpr size_t kMaxNodeCyclesExamined = 100000;

}  // namespace

LockOrderGraph::LockOrderGraph(const Trace& trace, LockOrderOptions options)
    : trace_(trace), options_(options) {
  CatchUp();
}

void LockOrderGraph::CatchUp() {
  for (ObjectId o = static_cast<ObjectId>(node_of_.size()); o < trace_.objects().size(); ++o) {
    ObjectId node = o;
    const ObjectInfo& info = trace_.objects()[o];
    if (options_.lock_classes_by_site && IsMutexKind(info.kind) && info.creation_site != kNoSite) {
      node = class_representative_.emplace(info.creation_site, o).first->second;
    }
    node_of_.push_back(node);
  }
  thread_object_clock_.resize(trace_.objects().size());
  const size_t threads = trace_.threads().size();
  for (size_t t = clock_history_.size(); t < threads; ++t) {
    std::vector<uint32_t> clock(threads, 0);
    clock[t] = 1;
    clock_history_.emplace_back().push_back(std::move(clock));
  }
  history_referenced_.resize(threads, false);
  thread_locksets_.resize(threads, LocksetTrie::kEmpty);
}

ObjectId LockOrderGraph::NodeOf(ObjectId mutex) const {
  return mutex < node_of_.size() ? node_of_[mutex] : mutex;
}

void LockOrderGraph::ProcessLockOrThreadEvent(size_t event_index, const Event& event) {
  if (event.thread >= clock_history_.size() || node_of_.size() < trace_.objects().size()) {
    CatchUp();
    if (event.thread >= clock_history_.size()) return;  // not a thread of the trace
  }
  ThreadId t = event.thread;
  // Fork/join clocks. A new clock version is appended only when an edge refers to the
  // current one, so threads that create many threads without locking stay small.
  auto update_clock = [&](auto&& change) {
    auto& history = clock_history_[t];
    if (history_referenced_[t]) {
      history.push_back(history.back());
      history_referenced_[t] = false;
    }
    change(history.back());
  };
  switch (event.kind) {
    case EventKind::kThreadCreate:
    case EventKind::kThreadEnd:
      thread_object_clock_[event.object()] = clock_history_[t].back();
      update_clock([&](std::vector<uint32_t>& clock) { ++clock[t]; });
      return;
    case EventKind::kThreadStart:
    case EventKind::kThreadJoin: {
      const std::vector<uint32_t>& other = thread_object_clock_[event.object()];
      if (other.empty()) return;
      update_clock([&](std::vector<uint32_t>& clock) {
        // Clocks made before the trace's thread table grew are shorter: missing is 0.
        if (clock.size() < other.size()) clock.resize(other.size(), 0);
        for (size_t i = 0; i < other.size(); ++i) clock[i] = std::max(clock[i], other[i]);
      });
      return;
    }
    default:
      break;
  }

  bool may_block = (event.kind == EventKind::kLock || event.kind == EventKind::kLockShared) &&
                   (event.detail & lock_detail::kTry) == 0 &&
                   (event.detail & lock_detail::kRecursive) == 0;
  uint32_t& lockset = thread_locksets_[t];
  if (may_block && lockset != LocksetTrie::kEmpty) {
    std::vector<HeldLock>& held = held_scratch_;
    locksets_.Locks(lockset, &held);
    ObjectId to_node = NodeOf(event.object());
    for (const HeldLock& from : held) {
      ObjectId from_node = NodeOf(from.mutex);
      if (from_node == to_node) continue;
      std::vector<EdgeInstance>& instances = edges_[{from_node, to_node}];
      // A full edge takes no more instances: no need to look for a duplicate.
      if (instances.size() >= static_cast<size_t>(options_.max_instances_per_edge)) continue;
      bool duplicate = false;
      for (const EdgeInstance& existing : instances) {
        if (existing.edge.thread == t && existing.edge.from_site == from.acquired_at &&
            existing.edge.to_site == event.site && existing.held_set == lockset) {
          duplicate = true;
          break;
        }
      }
      if (duplicate) continue;
      EdgeInstance instance;
      instance.edge = LockOrderEdge{from.mutex, event.object(), t, from.acquired_at,
                                    event.site, held, event_index};
      instance.held_set = lockset;
      instance.from_shared = from.shared;
      instance.to_shared = event.kind == EventKind::kLockShared;
      instance.fork_join_time = clock_history_[t].back()[t];
      instance.clock_version = static_cast<uint32_t>(clock_history_[t].size() - 1);
      history_referenced_[t] = true;
      instances.push_back(std::move(instance));
    }
  }
  lockset = locksets_.Apply(lockset, event);
}

bool LockOrderGraph::Ordered(const EdgeInstance& first, const EdgeInstance& second) const {
  const std::vector<uint32_t>& clock =
      clock_history_[second.edge.thread][second.clock_version];
  const ThreadId thread = first.edge.thread;
  return thread < clock.size() && clock[thread] >= first.fork_join_time;
}

bool LockOrderGraph::Compatible(const EdgeInstance& a, const EdgeInstance& b) const {
  if (a.edge.thread == b.edge.thread) return false;
  if (Ordered(a, b) || Ordered(b, a)) return false;
  // A gate: a lock both held, not both in shared mode, serializes the two.
  for (const HeldLock& x : a.edge.held) {
    for (const HeldLock& y : b.edge.held) {
      if (NodeOf(x.mutex) == NodeOf(y.mutex) && !(x.shared && y.shared)) return false;
    }
  }
  return true;
}

LockOrderGraph::Cycles LockOrderGraph::FindCycles() const {
  Cycles result;
  // Adjacency over nodes, sorted for a deterministic search.
  absl::flat_hash_map<ObjectId, std::vector<ObjectId>> successors;
  std::vector<ObjectId> nodes;
  for (const auto& [key, instances] : edges_) {
    successors[key.first].push_back(key.second);
    nodes.push_back(key.first);
    nodes.push_back(key.second);
  }
  std::sort(nodes.begin(), nodes.end());
  nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
  for (auto& [node, next] : successors) std::sort(next.begin(), next.end());

  // Strongly connected components (Tarjan): a component larger than the length limit
  // may hide a longer cycle. Every cycle lies within one component, so the search below
  // only walks edges inside the start node's component (without that, an acyclic graph
  // of consistently ordered locks would have all its paths enumerated).
  absl::flat_hash_map<ObjectId, int> component;
  int components = 0;
  {
    absl::flat_hash_map<ObjectId, int> index, low;
    absl::flat_hash_set<ObjectId> on_stack;
    std::vector<ObjectId> stack;
    int counter = 0;
    std::function<void(ObjectId)> connect = [&](ObjectId v) {
      index[v] = low[v] = counter++;
      stack.push_back(v);
      on_stack.insert(v);
      for (ObjectId w : successors[v]) {
        if (!index.contains(w)) {
          connect(w);
          low[v] = std::min(low[v], low[w]);
        } else if (on_stack.contains(w)) {
          low[v] = std::min(low[v], index[w]);
        }
      }
      if (low[v] == index[v]) {
        size_t size = 0;
        ObjectId w;
        const int id = components++;
        do {
          w = stack.back();
          stack.pop_back();
          on_stack.erase(w);
          component[w] = id;
          ++size;
        } while (w != v);
        if (size > static_cast<size_t>(options_.max_cycle_length)) result.truncated = true;
      }
    };
    for (ObjectId v : nodes) {
      if (!index.contains(v)) connect(v);
    }
  }

  size_t examined = 0;
  std::vector<ObjectId> path;
  std::vector<const EdgeInstance*> chosen;

  // Picks one instance per edge of the node cycle `path`, pairwise compatible and with
  // every thread blocking on the next one's lock.
  std::function<bool(size_t)> assign = [&](size_t i) -> bool {
    if (i == path.size()) {
      // Edge i acquires path[i+1], which edge i+1 holds: a shared acquisition is not
      // blocked by a shared holder.
      for (size_t k = 0; k < chosen.size(); ++k) {
        const EdgeInstance* next = chosen[(k + 1) % chosen.size()];
        if (chosen[k]->to_shared && next->from_shared) return false;
      }
      return true;
    }
    auto it = edges_.find({path[i], path[(i + 1) % path.size()]});
    for (const EdgeInstance& candidate : it->second) {
      bool fits = true;
      for (const EdgeInstance* other : chosen) {
        if (!Compatible(candidate, *other)) {
          fits = false;
          break;
        }
      }
      if (!fits) continue;
      chosen.push_back(&candidate);
      if (assign(i + 1)) return true;
      chosen.pop_back();
    }
    return false;
  };

  for (int length = 2; length <= options_.max_cycle_length; ++length) {
    for (ObjectId start : nodes) {
      // Canonical rotation: the cycle starts at its smallest node.
      std::function<void(ObjectId)> extend = [&](ObjectId node) {
        if (examined > kMaxNodeCyclesExamined) return;
        auto next_it = successors.find(node);
        if (next_it == successors.end()) return;
        for (ObjectId next : next_it->second) {
          if (static_cast<int>(path.size()) == length) {
            if (next != start) continue;
            ++examined;
            chosen.clear();
            if (assign(0)) {
              LockOrderCycle cycle;
              for (const EdgeInstance* instance : chosen) cycle.edges.push_back(instance->edge);
              result.cycles.push_back(std::move(cycle));
            }
            continue;
          }
          if (next <= start || component[next] != component[start] ||
              std::find(path.begin(), path.end(), next) != path.end()) {
            continue;
          }
          path.push_back(next);
          extend(next);
          path.pop_back();
        }
      };
      path.assign(1, start);
      extend(start);
    }
  }
  if (examined > kMaxNodeCyclesExamined) result.truncated = true;
  return result;
}

std::vector<Finding> FindLockOrderCycles(const Trace& trace, const LockOrderOptions& options,
                                         bool* truncated) {
  LockOrderGraph graph(trace, options);
  for (size_t i = 0; i < trace.events().size(); ++i) graph.Process(i, trace.events()[i]);
  LockOrderGraph::Cycles cycles = graph.FindCycles();
  if (truncated != nullptr) *truncated = cycles.truncated;
  std::vector<Finding> findings;
  findings.reserve(cycles.cycles.size());
  for (LockOrderCycle& cycle : cycles.cycles) findings.push_back(Finding{std::move(cycle), 1});
  return findings;
}

}  // namespace harness
