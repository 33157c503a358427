// harness/trace/event.cc: names and ordering roles of event kinds.
#include "harness/trace/event.h"

namespace harness {

OrderingRole OrderingRoleOf(EventKind kind) {
  switch (kind) {
    case EventKind::kThreadCreate:
    case EventKind::kThreadEnd:
    case EventKind::kLock:
    case EventKind::kUnlock:
    case EventKind::kLockShared:
    case EventKind::kUnlockShared:
    case EventKind::kNotify:
    case EventKind::kAtomicStore:
    case EventKind::kAtomicReadModifyWrite:
    case EventKind::kPromiseSet:
    case EventKind::kArrive:
    case EventKind::kSemaphoreRelease:
    case EventKind::kOnceDone:
      return OrderingRole::kProducer;
    case EventKind::kThreadStart:
    case EventKind::kThreadJoin:
    case EventKind::kWaitEnd:
    case EventKind::kAtomicLoad:
    case EventKind::kFutureGet:
    case EventKind::kDepart:
    case EventKind::kSemaphoreAcquire:
    case EventKind::kOnceWait:
      return OrderingRole::kObserver;
    case EventKind::kThreadDetach:
    case EventKind::kTryLockFailed:
    case EventKind::kWaitBegin:
    case EventKind::kRead:
    case EventKind::kWrite:
    case EventKind::kObjectCreate:
    case EventKind::kObjectDestroy:
    case EventKind::kLockRefused:
    case EventKind::kUnlockRefused:
    case EventKind::kThreadAbandoned:
    case EventKind::kDestroyedWhileWaitedOn:
      return OrderingRole::kUnordered;
  }
  return OrderingRole::kUnordered;
}

absl::string_view EventKindName(EventKind kind) {
  switch (kind) {
    case EventKind::kThreadStart: return "thread_start";
    case EventKind::kThreadEnd: return "thread_end";
    case EventKind::kThreadCreate: return "thread_create";
    case EventKind::kThreadJoin: return "thread_join";
    case EventKind::kThreadDetach: return "thread_detach";
    case EventKind::kLock: return "lock";
    case EventKind::kUnlock: return "unlock";
    case EventKind::kLockShared: return "lock_shared";
    case EventKind::kUnlockShared: return "unlock_shared";
    case EventKind::kTryLockFailed: return "try_lock_failed";
    case EventKind::kWaitBegin: return "wait_begin";
    case EventKind::kWaitEnd: return "wait_end";
    case EventKind::kNotify: return "notify";
    case EventKind::kAtomicLoad: return "atomic_load";
    case EventKind::kAtomicStore: return "atomic_store";
    case EventKind::kAtomicReadModifyWrite: return "atomic_rmw";
    case EventKind::kRead: return "read";
    case EventKind::kWrite: return "write";
    case EventKind::kPromiseSet: return "promise_set";
    case EventKind::kFutureGet: return "future_get";
    case EventKind::kArrive: return "arrive";
    case EventKind::kDepart: return "depart";
    case EventKind::kSemaphoreRelease: return "semaphore_release";
    case EventKind::kSemaphoreAcquire: return "semaphore_acquire";
    case EventKind::kOnceDone: return "once_done";
    case EventKind::kOnceWait: return "once_wait";
    case EventKind::kObjectCreate: return "object_create";
    case EventKind::kObjectDestroy: return "object_destroy";
    case EventKind::kLockRefused: return "lock_refused";
    case EventKind::kUnlockRefused: return "unlock_refused";
    case EventKind::kThreadAbandoned: return "thread_abandoned";
    case EventKind::kDestroyedWhileWaitedOn: return "destroyed_while_waited_on";
  }
  return "unknown";
}

absl::string_view MemoryOrderName(MemoryOrder order) {
  switch (order) {
    case MemoryOrder::kRelaxed: return "relaxed";
    case MemoryOrder::kConsume: return "consume";
    case MemoryOrder::kAcquire: return "acquire";
    case MemoryOrder::kRelease: return "release";
    case MemoryOrder::kAcquireRelease: return "acq_rel";
    case MemoryOrder::kSequentiallyConsistent: return "seq_cst";
  }
  return "unknown";
}

}  // namespace harness
