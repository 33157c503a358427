// harness/harness.h: everything a user of the harness includes. Swap std::mutex for
// harness::Mutex, std::thread for harness::Thread, plain shared data for
// harness::Shared<T>, ... and the harness records what the program does.
#ifndef HARNESS_HARNESS_H_
#define HARNESS_HARNESS_H_

#include "harness/runtime/options.h"    // IWYU pragma: export
#include "harness/runtime/recorder.h"   // IWYU pragma: export
#include "harness/sync/atomic.h"        // IWYU pragma: export
#include "harness/sync/barrier.h"       // IWYU pragma: export
#include "harness/sync/call_once.h"     // IWYU pragma: export
#include "harness/sync/cond_var.h"      // IWYU pragma: export
#include "harness/sync/future.h"        // IWYU pragma: export
#include "harness/sync/latch.h"         // IWYU pragma: export
#include "harness/sync/mutex.h"         // IWYU pragma: export
#include "harness/sync/semaphore.h"     // IWYU pragma: export
#include "harness/sync/shared.h"        // IWYU pragma: export
#include "harness/sync/shared_mutex.h"  // IWYU pragma: export
#include "harness/sync/thread.h"        // IWYU pragma: export
#include "harness/sync/thread_pool.h"   // IWYU pragma: export
#include "harness/trace/trace.h"        // IWYU pragma: export

namespace harness {

// StartRecording() / CollectTrace(): see harness/runtime/recorder.h.
using runtime::CollectTrace;
using runtime::StartRecording;

}  // namespace harness

#endif  // HARNESS_HARNESS_H_
