// harness/runtime/blocking.cc: wait kinds, the blocked-thread count and the hook that
// starts the watchdog. The snapshots live in recorder.cc, beside the registry.
#include "harness/runtime/blocking.h"

namespace harness::runtime {

std::atomic<uint32_t> g_blocked_thread_count{0};

namespace {
std::atomic<WatchdogStarter> g_watchdog_starter{nullptr};
std::atomic<bool> g_watchdog_started{false};
}  // namespace

absl::string_view WaitKindName(WaitKind kind) {
  switch (kind) {
    case WaitKind::kLock: return "lock";
    case WaitKind::kLockShared: return "shared lock";
    case WaitKind::kJoin: return "join";
    case WaitKind::kConditionWait: return "condition wait";
    case WaitKind::kFutureWait: return "future wait";
    case WaitKind::kLatchWait: return "latch wait";
    case WaitKind::kBarrierWait: return "barrier wait";
    case WaitKind::kSemaphoreAcquire: return "semaphore acquire";
    case WaitKind::kOnceWait: return "call_once wait";
  }
  return "wait";
}

void SetWatchdogStarter(WatchdogStarter starter) {
  g_watchdog_starter.store(starter, std::memory_order_release);
}

void StartWatchdogOnce() {
  if (g_watchdog_started.load(std::memory_order_relaxed)) return;
  WatchdogStarter starter = g_watchdog_starter.load(std::memory_order_acquire);
  if (starter == nullptr) return;
  if (g_watchdog_started.exchange(true, std::memory_order_acq_rel)) return;
  starter();
}

}  // namespace harness::runtime
