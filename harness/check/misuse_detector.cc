// harness/check/misuse_detector.cc: MisuseDetector.
#include "harness/check/misuse_detector.h"

#include <utility>

namespace harness {
MisuseDetector::MisuseDetector(const Trace& trace)
    : trace_(trace), held_(trace.threads().size()) {}

void MisuseDetector::Add(MisuseKind kind, size_t event_index, const Event& event,
                         ThreadId other_thread, SiteId other_site) {
  findings_.push_back(Finding{
      Misuse{kind, event.thread, event.object(), event.site, other_thread, other_site,
             event_index},
      1});
}

void MisuseDetector::Process(size_t event_index, const Event& event) {
  switch (event.kind) {
    case EventKind::kLockRefused:
      Add(MisuseKind::kRelockNonRecursive, event_index, event, event.thread,
          held_.ExclusiveSite(event.thread, event.object()));
      return;
    case EventKind::kUnlockRefused:
    case EventKind::kUnlock:
    case EventKind::kUnlockShared: {
      bool shared = event.kind == EventKind::kUnlockShared ||
                    (event.kind == EventKind::kUnlockRefused &&
                     (event.detail & lock_detail::kShared) != 0);
      if (event.kind != EventKind::kUnlockRefused &&
          held_.Apply(event) != LockTransition::kReleaseNotHeld) {
        return;
      }
      ThreadId holder = held_.ExclusiveHolder(event.object());
      if (shared) {
        Add(MisuseKind::kUnlockSharedNotHeld, event_index, event);
      } else if (holder != kNoThread && holder != event.thread) {
        Add(MisuseKind::kUnlockHeldByOtherThread, event_index, event, holder,
            held_.ExclusiveSite(holder, event.object()));
      } else {
        Add(MisuseKind::kUnlockNotHeld, event_index, event);
      }
      return;
    }
    case EventKind::kLock: {
      // A trace from elsewhere may show the self-deadlocking re-lock itself.
      const ObjectInfo& info = trace_.objects()[event.object()];
      if (info.kind != ObjectKind::kRecursiveMutex &&
          (event.detail & lock_detail::kRecursive) == 0) {
        SiteId first = held_.ExclusiveSite(event.thread, event.object());
        if (first != kNoSite) {
          Add(MisuseKind::kRelockNonRecursive, event_index, event, event.thread, first);
          return;  // not applied: the thread would never have returned from it
        }
      }
      held_.Apply(event);
      return;
    }
    case EventKind::kWaitBegin:
      if ((event.detail & wait_detail::kWithoutMutex) != 0) {
        Add(MisuseKind::kWaitWithoutMutex, event_index, event);
      }
      return;
    case EventKind::kThreadAbandoned:
      Add(MisuseKind::kThreadDestroyedJoinable, event_index, event);
      return;
    case EventKind::kDestroyedWhileWaitedOn: {
      // The destroying thread is the misuser; its event's site is where the other
      // thread waits, and the primitive's creation site stands for the destruction
      // (a destructor has no caller location).
      ThreadId waiter = event.sequence() == kNoThread ? kNoThread
                                                      : static_cast<ThreadId>(event.sequence());
      Event at_destruction = event;
      at_destruction.site = trace_.objects()[event.object()].creation_site;
      Add(MisuseKind::kDestroyedWhileWaitedOn, event_index, at_destruction, waiter, event.site);
      return;
    }
    case EventKind::kObjectDestroy: {
      const ObjectInfo& info = trace_.objects()[event.object()];
      if (!IsMutexKind(info.kind)) return;
      ThreadId holder = held_.ExclusiveHolder(event.object());
      if (holder != kNoThread) {
        Add(MisuseKind::kDestroyLocked, event_index, event, holder,
            held_.ExclusiveSite(holder, event.object()));
      }
      return;
    }
    default:
      held_.Apply(event);
      return;
  }
}

std::vector<Finding> FindMisuse(const Trace& trace) {
  MisuseDetector detector(trace);
  for (size_t i = 0; i < trace.events().size(); ++i) detector.Process(i, trace.events()[i]);
  return detector.TakeFindings();
}

}  // namespace harness
