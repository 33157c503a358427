// harness/report/printer_util.cc
#include "harness/report/printer_util.h"

#include <algorithm>
#include <set>
#include <variant>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace harness::report_internal {

absl::string_view FindingKindId(FindingKind kind) {
  switch (kind) {
    case FindingKind::kDataRace: return "data-race";
    case FindingKind::kLockOrderCycle: return "lock-order-cycle";
    case FindingKind::kMisuse: return "mutex-misuse";
    case FindingKind::kDeadlock: return "deadlock";
  }
  return "unknown";
}

absl::string_view MisuseKindId(MisuseKind kind) {
  switch (kind) {
    case MisuseKind::kUnlockNotHeld: return "unlock-not-held";
    case MisuseKind::kUnlockHeldByOtherThread: return "unlock-held-by-other-thread";
    case MisuseKind::kRelockNonRecursive: return "relock-non-recursive";
    case MisuseKind::kDestroyLocked: return "destroy-locked";
    case MisuseKind::kWaitWithoutMutex: return "wait-without-mutex";
    case MisuseKind::kThreadDestroyedJoinable: return "thread-destroyed-joinable";
    case MisuseKind::kUnlockSharedNotHeld: return "unlock-shared-not-held";
    case MisuseKind::kDestroyedWhileWaitedOn: return "destroyed-while-waited-on";
  }
  return "unknown";
}

absl::string_view FindingTitle(const Finding& finding) {
  if (const auto* misuse = std::get_if<Misuse>(&finding.details)) {
    return MisuseKindName(misuse->kind);
  }
  return FindingKindName(finding.kind());
}

namespace {

template <typename T>
void AddOnce(std::vector<T>* list, T value, T none) {
  if (value == none) return;
  if (std::find(list->begin(), list->end(), value) == list->end()) list->push_back(value);
}

// Calls f(held) for every held-lock list of a finding.
template <typename F>
void ForEachHeldList(const Finding& finding, F f) {
  if (const auto* race = std::get_if<DataRace>(&finding.details)) {
    f(race->current.held);
    f(race->previous.held);
  } else if (const auto* cycle = std::get_if<LockOrderCycle>(&finding.details)) {
    for (const LockOrderEdge& edge : cycle->edges) f(edge.held);
  } else if (const auto* deadlock = std::get_if<Deadlock>(&finding.details)) {
    for (const BlockedThread& blocked : deadlock->threads) f(blocked.held);
  }
}

}  // namespace

ThreadId ThreadOfObject(const Trace& trace, ObjectId object) {
  if (object == kNoObject) return kNoThread;
  for (size_t t = 0; t < trace.threads().size(); ++t) {
    if (trace.threads()[t].object == object) return static_cast<ThreadId>(t);
  }
  return kNoThread;
}

std::string KindAndObject(const Trace& trace, ObjectId object) {
  if (object >= trace.objects().size()) return trace.ObjectLabel(object);
  const ObjectInfo& info = trace.objects()[object];
  if (info.kind == ObjectKind::kThread) {
    ThreadId owner = ThreadOfObject(trace, object);
    if (owner != kNoThread) return absl::StrCat("thread ", trace.ThreadLabel(owner));
  }
  return absl::StrCat(ObjectKindName(info.kind), " ", trace.ObjectLabel(object));
}

HolderRole HolderRoleOf(const Trace& trace, ObjectId waits_for) {
  if (waits_for >= trace.objects().size()) return HolderRole::kHoldsLock;
  switch (trace.objects()[waits_for].kind) {
    case ObjectKind::kThread: return HolderRole::kIsJoined;
    case ObjectKind::kOnceFlag: return HolderRole::kRunsOnceCallable;
    default: return HolderRole::kHoldsLock;
  }
}

std::vector<ThreadId> FindingThreads(const Trace& trace, const Finding& finding) {
  std::vector<ThreadId> threads;
  auto add = [&](ThreadId t) { AddOnce(&threads, t, kNoThread); };
  std::visit(
      [&](const auto& details) {
        using T = std::decay_t<decltype(details)>;
        if constexpr (std::is_same_v<T, DataRace>) {
          add(details.current.thread);
          add(details.previous.thread);
        } else if constexpr (std::is_same_v<T, LockOrderCycle>) {
          for (const LockOrderEdge& edge : details.edges) add(edge.thread);
        } else if constexpr (std::is_same_v<T, Misuse>) {
          add(details.thread);
          add(details.other_thread);
          if (details.kind == MisuseKind::kThreadDestroyedJoinable) {
            add(ThreadOfObject(trace, details.object));
          }
        } else {
          for (const BlockedThread& blocked : details.threads) {
            add(blocked.thread);
            add(blocked.holder);
          }
        }
      },
      finding.details);
  return threads;
}

std::vector<ObjectId> FindingObjects(const Finding& finding) {
  std::vector<ObjectId> objects;
  auto add = [&](ObjectId o) { AddOnce(&objects, o, kNoObject); };
  std::visit(
      [&](const auto& details) {
        using T = std::decay_t<decltype(details)>;
        if constexpr (std::is_same_v<T, DataRace>) {
          add(details.current.object);
          add(details.previous.object);
        } else if constexpr (std::is_same_v<T, LockOrderCycle>) {
          for (const LockOrderEdge& edge : details.edges) {
            add(edge.from);
            add(edge.to);
          }
        } else if constexpr (std::is_same_v<T, Misuse>) {
          add(details.object);
        } else {
          for (const BlockedThread& blocked : details.threads) add(blocked.waits_for);
        }
      },
      finding.details);
  return objects;
}

std::vector<SiteId> FindingSites(const Finding& finding) {
  std::vector<SiteId> sites;
  auto add = [&](SiteId s) { AddOnce(&sites, s, kNoSite); };
  std::visit(
      [&](const auto& details) {
        using T = std::decay_t<decltype(details)>;
        if constexpr (std::is_same_v<T, DataRace>) {
          add(details.current.site);
          add(details.previous.site);
        } else if constexpr (std::is_same_v<T, LockOrderCycle>) {
          for (const LockOrderEdge& edge : details.edges) {
            add(edge.to_site);
            add(edge.from_site);
          }
        } else if constexpr (std::is_same_v<T, Misuse>) {
          add(details.site);
          add(details.other_site);
        } else {
          for (const BlockedThread& blocked : details.threads) {
            add(blocked.site);
            add(blocked.holder_site);
          }
        }
      },
      finding.details);
  return sites;
}

ReportReferences CollectReferences(const Trace& trace, const Report& report) {
  std::set<ThreadId> threads;
  std::set<ObjectId> objects;
  std::set<SiteId> sites;
  auto add_site = [&](SiteId s) {
    if (s < trace.sites().size()) sites.insert(s);
  };
  for (const Finding& finding : report.findings) {
    for (ThreadId t : FindingThreads(trace, finding)) threads.insert(t);
    for (ObjectId o : FindingObjects(finding)) objects.insert(o);
    for (SiteId s : FindingSites(finding)) add_site(s);
    ForEachHeldList(finding, [&](const std::vector<HeldLock>& held) {
      for (const HeldLock& lock : held) {
        if (lock.mutex != kNoObject) objects.insert(lock.mutex);
        add_site(lock.acquired_at);
      }
    });
  }
  std::set<ObjectId> known_objects;
  for (ObjectId o : objects) {
    if (o >= trace.objects().size()) continue;
    known_objects.insert(o);
    const ObjectInfo& info = trace.objects()[o];
    add_site(info.creation_site);
    if (info.creator != kNoThread) threads.insert(info.creator);
  }
  // Threads and their ancestors.
  std::set<ThreadId> known_threads;
  std::vector<ThreadId> pending(threads.begin(), threads.end());
  while (!pending.empty()) {
    ThreadId t = pending.back();
    pending.pop_back();
    if (t >= trace.threads().size() || !known_threads.insert(t).second) continue;
    const ThreadInfo& info = trace.threads()[t];
    add_site(info.creation_site);
    if (info.parent != kNoThread) pending.push_back(info.parent);
  }
  return ReportReferences{
      std::vector<ThreadId>(known_threads.begin(), known_threads.end()),
      std::vector<ObjectId>(known_objects.begin(), known_objects.end()),
      std::vector<SiteId>(sites.begin(), sites.end()),
  };
}

std::string MutexList(const Trace& trace, const std::vector<HeldLock>& held) {
  if (held.empty()) return "none";
  std::string list;
  for (const HeldLock& lock : held) {
    if (!list.empty()) list += ", ";
    absl::StrAppend(&list, lock.shared ? "read " : "write ", trace.ObjectLabel(lock.mutex));
  }
  return list;
}

std::string Capitalize(absl::string_view text) {
  std::string result(text);
  if (!result.empty()) result[0] = absl::ascii_toupper(static_cast<unsigned char>(result[0]));
  return result;
}

SiteFrameCache::SiteFrameCache(const Trace& trace, Symbolizer* symbolizer)
    : trace_(trace), symbolizer_(symbolizer != nullptr ? symbolizer : ProcessSymbolizer()) {}

void SiteFrameCache::Prefetch(const std::vector<SiteId>& sites) {
  std::vector<uint64_t> addresses;
  for (SiteId site : sites) {
    if (site >= trace_.sites().size()) continue;
    const std::vector<uint64_t>& stack = trace_.sites()[site].stack;
    addresses.insert(addresses.end(), stack.begin(), stack.end());
  }
  std::sort(addresses.begin(), addresses.end());
  addresses.erase(std::unique(addresses.begin(), addresses.end()), addresses.end());
  if (!addresses.empty()) symbolizer_->Symbolize(addresses);
}

const std::vector<Frame>& SiteFrameCache::Frames(SiteId site) {
  auto it = frames_.find(site);
  if (it == frames_.end()) {
    it = frames_.emplace(site, SiteFrames(trace_, site, symbolizer_)).first;
  }
  return it->second;
}

const Frame* SiteFrameCache::Top(SiteId site) {
  const std::vector<Frame>& frames = Frames(site);
  return frames.empty() ? nullptr : &frames.front();
}

const Frame* SiteFrameCache::TopWithFile(SiteId site) {
  for (const Frame& frame : Frames(site)) {
    if (!frame.file.empty()) return &frame;
  }
  return nullptr;
}

}  // namespace harness::report_internal
