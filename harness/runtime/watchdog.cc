// harness/runtime/watchdog.cc: the watchdog thread, the wait-for analysis and the
// default deadlock handler.
#include "harness/runtime/watchdog.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "harness/check/held_locks.h"
#include "harness/report/printer.h"
#include "harness/report/suppressions.h"
#include "harness/runtime/hidden_from_tsan.h"
#include "harness/runtime/options.h"
#include "harness/runtime/recorder.h"
#include "harness/trace/trace_file.h"

namespace harness {
namespace {

using runtime::WaitKind;

// A thread that can end a blocked thread's wait; for a lock, where it took it.
struct Waker {
  ThreadId thread = kNoThread;
  SiteId site = kNoSite;
};
// Who can end a blocked thread's wait: some known threads, or (`anyone`) any other
// live thread. `free`: nothing stands in the way of the wait ending by itself (the lock
// is free, the joined thread is gone): the thread is only slow to notice, never stuck.
struct Wakers {
  bool anyone = false;
  bool free = false;
  std::vector<Waker> threads;
};

// What FindLiveDeadlock knows besides the live threads: the locks each thread holds
// and which mutexes the trace shows taken at all, replayed from its events.
struct LockState {
  explicit LockState(const Trace& trace) : held(trace.threads().size()) {
    for (const Event& event : trace.events()) {
      held.Apply(event);
      if (event.kind == EventKind::kLock || event.kind == EventKind::kLockShared) {
        recorded.insert(event.object());
      }
    }
  }
  HeldLocks held;
  absl::flat_hash_set<ObjectId> recorded;  // mutexes locked at least once in the trace
};

Wakers WakersOf(const LiveThread& blocked, const Trace& trace, const LockState& locks,
                const std::vector<LiveThread>& live,
                const absl::flat_hash_map<ThreadId, size_t>& live_index) {
  Wakers wakers;
  switch (blocked.kind) {
    case WaitKind::kLock:
    case WaitKind::kLockShared:
      for (ThreadId t = 0; t < trace.threads().size(); ++t) {
        if (t == blocked.thread) continue;
        for (const HeldLock& lock : locks.held.Of(t)) {
          // A reader waits only for a writer; a writer for everyone holding it.
          if (lock.mutex != blocked.waits_for) continue;
          if (blocked.kind == WaitKind::kLockShared && lock.shared) continue;
          wakers.threads.push_back({t, lock.acquired_at});
          break;
        }
      }
      if (wakers.threads.empty()) {
        // Taken in the trace and held by nobody now: released, and the waiter is about
        // to take it (the holder may have exited since, which must not make the wait
        // look endless). Never taken in the trace: taken before this recording started,
        // by someone unknown; assume anyone could release it, so no deadlock is claimed
        // that is not one.
        wakers.free = locks.recorded.contains(blocked.waits_for);
        wakers.anyone = !wakers.free;
      }
      return wakers;
    case WaitKind::kJoin:
      // Only a live thread can keep a join waiting: one that has exited (or has not
      // started running yet) lets it return.
      for (ThreadId t = 0; t < trace.threads().size(); ++t) {
        if (trace.threads()[t].object == blocked.waits_for && live_index.contains(t)) {
          wakers.threads.push_back({t, kNoSite});
          return wakers;
        }
      }
      wakers.free = true;
      return wakers;
    case WaitKind::kConditionWait:
    case WaitKind::kFutureWait:
    case WaitKind::kLatchWait:
    case WaitKind::kBarrierWait:
    case WaitKind::kSemaphoreAcquire:
      wakers.anyone = true;
      return wakers;
    case WaitKind::kOnceWait:
      // The thread running the callable. None: the callable has returned (or thrown,
      // and the waiter runs it next), so the wait is about to end.
      for (const LiveThread& thread : live) {
        if (thread.thread != blocked.thread && thread.running_once == blocked.waits_for) {
          wakers.threads.push_back({thread.thread, kNoSite});
          return wakers;
        }
      }
      wakers.free = true;
      return wakers;
  }
  wakers.anyone = true;
  return wakers;
}

}  // namespace

std::optional<Deadlock> FindLiveDeadlock(const Trace& trace,
                                         const std::vector<LiveThread>& threads) {
  const LockState locks(trace);

  // Which live threads can still run, directly or once woken: a fixed point.
  absl::flat_hash_map<ThreadId, size_t> index_of;  // live thread -> index in `threads`
  for (size_t i = 0; i < threads.size(); ++i) index_of[threads[i].thread] = i;
  std::vector<Wakers> wakers(threads.size());
  std::vector<bool> can_run(threads.size());
  size_t runnable = 0;
  for (size_t i = 0; i < threads.size(); ++i) {
    if (threads[i].blocked) wakers[i] = WakersOf(threads[i], trace, locks, threads, index_of);
    can_run[i] = !threads[i].blocked || wakers[i].free;
    runnable += can_run[i];
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < threads.size(); ++i) {
      if (can_run[i]) continue;
      bool woken = false;
      if (wakers[i].anyone) {
        woken = runnable > 0;  // a blocked thread cannot wake itself, and it is not runnable
      } else {
        for (const Waker& waker : wakers[i].threads) {
          auto it = index_of.find(waker.thread);
          if (it != index_of.end() && can_run[it->second]) woken = true;
        }
      }
      if (woken) {
        can_run[i] = true;
        ++runnable;
        changed = true;
      }
    }
  }
  if (runnable == threads.size()) return std::nullopt;

  auto blocked_thread = [&](size_t i) {
    BlockedThread entry;
    entry.thread = threads[i].thread;
    entry.waits_for = threads[i].waits_for;
    entry.site = threads[i].site;
    if (!wakers[i].threads.empty()) {
      // Prefer a holder that is stuck too: that is the edge of the cycle.
      const Waker* chosen = &wakers[i].threads.front();
      for (const Waker& waker : wakers[i].threads) {
        auto it = index_of.find(waker.thread);
        if (it != index_of.end() && !can_run[it->second]) {
          chosen = &waker;
          break;
        }
      }
      entry.holder = chosen->thread;
      entry.holder_site = chosen->site;
    }
    if (threads[i].thread < trace.threads().size()) {
      entry.held = locks.held.Of(threads[i].thread);
    }
    return entry;
  };

  Deadlock deadlock;
  // A cycle: follow stuck threads waiting for known stuck threads until one repeats.
  for (size_t start = 0; start < threads.size() && deadlock.threads.empty(); ++start) {
    if (can_run[start] || wakers[start].anyone) continue;
    std::vector<size_t> path;
    absl::flat_hash_map<size_t, size_t> position;
    size_t at = start;
    for (;;) {
      if (auto seen = position.find(at); seen != position.end()) {
        for (size_t k = seen->second; k < path.size(); ++k) {
          deadlock.threads.push_back(blocked_thread(path[k]));
        }
        break;
      }
      position[at] = path.size();
      path.push_back(at);
      BlockedThread step = blocked_thread(at);
      auto next = index_of.find(step.holder);
      if (step.holder == kNoThread || next == index_of.end() || can_run[next->second] ||
          wakers[next->second].anyone) {
        break;  // a chain that ends at a thread that exited, or a non-lock wait
      }
      at = next->second;
    }
  }
  if (!deadlock.threads.empty()) return deadlock;

  // No cycle: every stuck thread, in order. When none can run at all and some wait for
  // a notify, value, arrival or release, that wakeup was lost (or never sent);
  // otherwise they wait for locks or joins of threads that have exited.
  for (size_t i = 0; i < threads.size(); ++i) {
    if (can_run[i]) continue;
    deadlock.threads.push_back(blocked_thread(i));
    if (wakers[i].anyone) deadlock.lost_wakeup = true;
  }
  return deadlock;
}

Report DeadlockReport(const Trace& trace, const Deadlock& deadlock,
                      const AnalysisOptions& options) {
  Report report = Analyze(trace, options);
  report.findings.insert(report.findings.begin(), Finding{deadlock, 1});
  return report;
}

namespace {

std::mutex g_handler_mutex;
DeadlockHandler& Handler() {
  static DeadlockHandler* handler = new DeadlockHandler(ReportDeadlockAndExit);
  return *handler;
}

// The state of the watchdog thread between polls.
class Watchdog {
 public:
  explicit Watchdog(std::chrono::milliseconds delay) : delay_(delay), confirm_(delay / 2) {}

  [[noreturn]] void Run() {
    const auto poll = std::max(delay_ / 5, std::chrono::milliseconds(2));
    for (;;) {
      std::this_thread::sleep_for(poll);
      Poll();
    }
  }

 private:
  using Clock = std::chrono::steady_clock;
  // (thread number, epoch) of every live thread: what a verdict was made on.
  using Signature = std::vector<std::pair<runtime::ThreadNumber, uint32_t>>;

  void Poll() {
    uint32_t threads_starting = 0;
    std::vector<runtime::ThreadSnapshot> snapshot =
        runtime::SnapshotLiveThreads(&threads_starting);
    const Clock::time_point now = Clock::now();
    absl::flat_hash_map<runtime::ThreadNumber, std::pair<uint32_t, Clock::time_point>> since;
    size_t long_blocked = 0;  // blocked for delay_ or longer
    for (const runtime::ThreadSnapshot& thread : snapshot) {
      if (!thread.blocked) continue;
      auto it = blocked_since_.find(thread.number);
      Clock::time_point start =
          it != blocked_since_.end() && it->second.first == thread.epoch ? it->second.second : now;
      since[thread.number] = {thread.epoch, start};
      if (now - start >= delay_) ++long_blocked;
    }
    blocked_since_ = std::move(since);
    // A thread being started will run, and may wake any of the others (on a loaded
    // machine a thread can take a while to start).
    if (long_blocked == 0 || threads_starting > 0) return;

    // Nothing moved since the last verdict: the same waits, and none of them has
    // become long since (a thread blocked only briefly then counted as running).
    Signature signature = SignatureOf(snapshot);
    if (signature == last_clear_.signature && long_blocked == last_clear_.long_blocked) return;

    runtime::CollectedIds ids;
    Trace trace = runtime::CollectTrace(&ids);
    std::vector<LiveThread> live;
    absl::flat_hash_map<ThreadId, runtime::ThreadNumber> number_of;
    for (const runtime::ThreadSnapshot& thread : snapshot) {
      LiveThread entry;
      entry.thread = runtime::AddThreadToTrace(thread.number, trace, ids);
      if (entry.thread == kNoThread) continue;  // exited meanwhile
      number_of[entry.thread] = thread.number;
      // Blocked only briefly so far counts as running: it may be about to be woken.
      if (thread.blocked) {
        auto it = blocked_since_.find(thread.number);
        entry.blocked = it != blocked_since_.end() && now - it->second.second >= delay_;
      }
      entry.kind = thread.kind;
      entry.waits_for =
          thread.blocked ? runtime::AddObjectToTrace(thread.waits_for, trace, ids) : kNoObject;
      entry.site = thread.site;
      if (thread.running_once != kNoObject) {
        entry.running_once = runtime::AddObjectToTrace(thread.running_once, trace, ids);
      }
      live.push_back(entry);
    }
    std::optional<Deadlock> deadlock = FindLiveDeadlock(trace, live);
    if (!deadlock.has_value()) {
      last_clear_ = {std::move(signature), long_blocked};
      pending_.clear();
      return;
    }
    // Sound only if the threads stayed in the same waits while the trace was read:
    // then they were all blocked at one instant, holding what the trace says.
    Signature again = SignatureOf(runtime::SnapshotLiveThreads());
    Signature stuck;  // the deadlocked threads and the waits they are in
    for (const BlockedThread& blocked : deadlock->threads) {
      const runtime::ThreadNumber number = number_of[blocked.thread];
      std::optional<uint32_t> before = EpochIn(signature, number);
      if (!before.has_value() || before != EpochIn(again, number)) return;
      stuck.emplace_back(number, *before);
    }
    if (deadlock->lost_wakeup && again != signature) return;
    // Confirmed only when the same threads are found stuck in the same waits a while
    // later: a thread woken just before the snapshot (its lock released, its notify
    // sent, by a thread that has exited since) still looks blocked until it runs again,
    // which on a loaded machine can take a while; no wakeup takes this long.
    std::sort(stuck.begin(), stuck.end());
    if (stuck != pending_) {
      pending_ = std::move(stuck);
      pending_since_ = now;
      return;
    }
    if (now - pending_since_ < confirm_) return;

    DeadlockHandler handler;
    {
      std::lock_guard<std::mutex> hold(g_handler_mutex);
      handler = Handler();
    }
    handler(trace, *deadlock);
    // A handler that returns leaves the deadlock in place: do not report it again.
    last_clear_ = {std::move(signature), long_blocked};
  }

  static std::optional<uint32_t> EpochIn(const Signature& signature,
                                         runtime::ThreadNumber number) {
    auto it = std::lower_bound(signature.begin(), signature.end(),
                               std::make_pair(number, uint32_t{0}));
    if (it == signature.end() || it->first != number) return std::nullopt;
    return it->second;
  }

  static Signature SignatureOf(const std::vector<runtime::ThreadSnapshot>& snapshot) {
    Signature signature;
    for (const runtime::ThreadSnapshot& thread : snapshot) {
      signature.emplace_back(thread.number, thread.epoch);
    }
    std::sort(signature.begin(), signature.end());
    return signature;
  }

  const std::chrono::milliseconds delay_;
  // How long a deadlock verdict must stand, unchanged, before it is reported.
  const std::chrono::milliseconds confirm_;
  // The (thread number, epoch) of the threads the newest unreported verdict found stuck,
  // sorted, and when it was first found.
  Signature pending_;
  Clock::time_point pending_since_;
  absl::flat_hash_map<runtime::ThreadNumber, std::pair<uint32_t, Clock::time_point>>
      blocked_since_;
  // The state of the newest verdict that reported nothing (or whose report returned).
  struct Verdict {
    Signature signature;
    size_t long_blocked = 0;
  };
  Verdict last_clear_;
};

void StartWatchdogThread() {
  const Options& options = GetOptions();
  if (!options.detect_deadlocks) return;
  std::chrono::milliseconds delay(options.deadlock_delay_ms);
  // Never registered with the recorder: it records nothing and waits on nothing the
  // harness watches.
  std::thread([delay] {
    runtime::HiddenFromThreadSanitizer hidden;
    Watchdog(delay).Run();
  }).detach();
}

// //harness links this library in with alwayslink, so the first blocking wait of any
// program using the harness starts the watchdog.
const bool g_registered = [] {
  runtime::SetWatchdogStarter(&StartWatchdogThread);
  return true;
}();

}  // namespace

void SetDeadlockHandler(DeadlockHandler handler) {
  std::lock_guard<std::mutex> hold(g_handler_mutex);
  Handler() = std::move(handler);
}

void ReportDeadlockAndExit(const Trace& trace, const Deadlock& deadlock) {
  const Options& options = GetOptions();
  AnalysisOptions analysis = AnalysisOptionsFrom(options);
  Suppressions suppressions;
  if (!options.suppressions.empty()) {
    absl::StatusOr<Suppressions> loaded = LoadSuppressionsFile(options.suppressions);
    if (loaded.ok()) {
      suppressions = *std::move(loaded);
      analysis.suppressions = &suppressions;
    } else {
      std::fprintf(stderr, "harness: %s\n", std::string(loaded.status().message()).c_str());
    }
  }
  Report report = DeadlockReport(trace, deadlock, analysis);
  absl::StatusOr<std::string> text = PrintReport("text", trace, report);
  std::fputs(text.ok() ? text->c_str() : std::string(text.status().message()).c_str(), stderr);
  if (!options.trace_file.empty()) {
    absl::Status status = WriteTraceFile(trace, options.trace_file);
    if (!status.ok()) {
      std::fprintf(stderr, "harness: could not write trace_file: %s\n",
                   std::string(status.message()).c_str());
    }
  }
  std::fprintf(stderr, "harness: deadlock: exiting with status %d\n", options.exitcode);
  std::fflush(stdout);
  std::fflush(stderr);
  std::_Exit(options.exitcode);
}

}  // namespace harness
