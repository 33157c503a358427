// harness/runtime/watchdog.h: the live-deadlock watchdog. While threads are blocked in
// harness primitives (see blocking.h), a background thread keeps their wait-for graph.
// When some threads can never be woken again (a cycle of threads each waiting for a
// lock or a join only the next one can give, or every live thread blocked with none
// left to wake the others: a lost wakeup) and they stay so for `deadlock_delay_ms`, and
// the same verdict still stands half that time later (a thread woken a moment ago
// looks blocked until it runs again, which on a loaded machine can take a while), it
// reports the deadlock with everything else the run recorded, writes the outputs, and
// ends the process: under GoogleTest the listener fails the current test first; outside
// it the report goes to stderr and the process exits with `exitcode` (66 by default).
//
// Linked in by //harness (the watchdog starts on the first wait that blocks);
// HARNESS_OPTIONS detect_deadlocks=0 turns it off.
#ifndef HARNESS_RUNTIME_WATCHDOG_H_
#define HARNESS_RUNTIME_WATCHDOG_H_

#include <functional>
#include <optional>
#include <vector>

#include "harness/check/analyze.h"
#include "harness/report/finding.h"
#include "harness/runtime/blocking.h"
#include "harness/trace/trace.h"

namespace harness {

// One live thread as FindLiveDeadlock() sees it, in the ids of a Trace.
struct LiveThread {
  ThreadId thread = kNoThread;
  bool blocked = false;  // blocked (long enough to count) in a harness primitive
  runtime::WaitKind kind = runtime::WaitKind::kLock;
  ObjectId waits_for = kNoObject;
  SiteId site = kNoSite;  // where it blocked
  ObjectId running_once = kNoObject;  // the once flag whose callable it runs, if any
};

// FindLiveDeadlock()
// Decides from `threads` (every live thread, blocked or not) and `trace` (which locks
// each thread holds, replayed from its events, and which object each thread is) whether
// some blocked threads can never be woken: a thread that is not blocked can run, and so
// can one whose wait nothing stands in the way of (a lock the trace shows taken and
// then released by all; a join of a thread that is not live: it has exited, or not
// started running); a blocked thread can be woken if one of the threads that could end
// its wait can run (a lock: the holders, or anyone when the trace never shows it taken;
// a join: that thread; a CallOnce: the thread running the callable, and when none is,
// the wait is about to end; any other wait: any other live thread). Returns the deadlock,
// with the cycle in wait-for order when there is one; else every stuck thread, with
// Deadlock::lost_wakeup set when one of them waits for a notify, value, arrival or
// release that no live thread is left to give (else they wait for locks held by
// threads that have exited). nullopt when no thread is stuck.
std::optional<Deadlock> FindLiveDeadlock(const Trace& trace,
                                         const std::vector<LiveThread>& threads);

// What the watchdog does with a deadlock: gets the run's trace so far (with any thread
// or object the deadlock names added) and the finding. Expected not to return (the
// deadlocked threads cannot be freed); if it does, the watchdog stops watching.
using DeadlockHandler = std::function<void(const Trace& trace, const Deadlock& deadlock)>;

// SetDeadlockHandler()
// Replaces the handler (the GoogleTest listener installs one that fails the current
// test). The default one is ReportDeadlockAndExit(). Thread-safe.
void SetDeadlockHandler(DeadlockHandler handler);

// ReportDeadlockAndExit()
// The default handler: analyses `trace` as HARNESS_OPTIONS asks (suppressions
// included), prints the deadlock and the other findings to stderr as a text report,
// writes `trace_file` if set, and exits with `exitcode` without running exit handlers
// (other threads are still blocked in them).
[[noreturn]] void ReportDeadlockAndExit(const Trace& trace, const Deadlock& deadlock);

// The report the handlers print: the deadlock first, then what Analyze() finds in the
// trace with `options`.
Report DeadlockReport(const Trace& trace, const Deadlock& deadlock,
                      const AnalysisOptions& options);

}  // namespace harness

#endif  // HARNESS_RUNTIME_WATCHDOG_H_
