// harness/report/finding.cc: names of finding and misuse kinds.
#include "harness/report/finding.h"

namespace harness {

absl::string_view FindingKindName(FindingKind kind) {
  switch (kind) {
    case FindingKind::kDataRace: return "data race";
    case FindingKind::kLockOrderCycle: return "lock-order-inversion (potential deadlock)";
    case FindingKind::kMisuse: return "mutex misuse";
    case FindingKind::kDeadlock: return "deadlock";
  }
  return "unknown";
}

absl::string_view MisuseKindName(MisuseKind kind) {
  switch (kind) {
    case MisuseKind::kUnlockNotHeld: return "unlock of an unlocked mutex";
    case MisuseKind::kUnlockHeldByOtherThread: return "unlock of a mutex held by another thread";
    case MisuseKind::kRelockNonRecursive: return "double lock of a non-recursive mutex";
    case MisuseKind::kDestroyLocked: return "destroy of a locked mutex";
    case MisuseKind::kWaitWithoutMutex: return "condition variable wait without holding its mutex";
    case MisuseKind::kThreadDestroyedJoinable: return "thread destroyed while joinable";
    case MisuseKind::kUnlockSharedNotHeld: return "unlock_shared without lock_shared";
    case MisuseKind::kDestroyedWhileWaitedOn: return "destroy of a primitive another thread waits on";
  }
  return "unknown";
}

void PrintTo(FindingKind kind, std::ostream* out) { *out << FindingKindName(kind); }
void PrintTo(MisuseKind kind, std::ostream* out) { *out << MisuseKindName(kind); }

}  // namespace harness
