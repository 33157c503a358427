// examples/lock_handoff/lock_handoff.h: using a mutex as a signal between threads.
//
// A coordinator locks a mutex to say "not ready yet" and expects a worker to unlock it
// when the work is done, so that the coordinator's next lock() waits for the worker.
// Unlocking a mutex from a thread that does not hold it is undefined behaviour for
// std::mutex (on Linux it usually "works", which is why the bug survives). The fix
// hands the signal over with a semaphore, which any thread may release.
//
// What the harness reports for the buggy variant (the wrapper refuses the foreign
// unlock instead of passing it on, so the program stays defined):
//   WARNING: harness: unlock of a mutex held by another thread
//     by thread 'worker' at the unlock, naming the coordinator's lock() as where the
//     holder took it.
// For the fixed variant: nothing.
#ifndef EXAMPLES_LOCK_HANDOFF_LOCK_HANDOFF_H_
#define EXAMPLES_LOCK_HANDOFF_LOCK_HANDOFF_H_

#include "harness/harness.h"

namespace lock_handoff {

// The line numbers tests/examples checks the report against.
inline constexpr int kCoordinatorLockLine = __LINE__ + 8;
inline constexpr int kWorkerUnlockLine = __LINE__ + 12;

// Returns the value the worker produced, as the coordinator saw it.
inline int MutexAsSignal() {
  harness::Mutex not_ready("not-ready");
  harness::Latch worker_started(1, "worker-started");
  int result = 0;
  not_ready.lock();  // the coordinator: "not ready yet"
  harness::Thread worker("worker", [&] {
    worker_started.wait();
    result = 42;
    // The bug: releasing a lock this thread never took.
    not_ready.unlock();
  });
  worker_started.count_down();
  worker.join();
  // The harness refused the worker's unlock, so the coordinator still holds the mutex.
  not_ready.unlock();
  return result;
}

inline int SemaphoreAsSignal() {
  harness::BinarySemaphore done(0, "done");
  int result = 0;
  harness::Thread worker("worker", [&] {
    result = 42;
    done.release();  // any thread may release a semaphore
  });
  done.acquire();
  int seen = result;
  worker.join();
  return seen;
}

}  // namespace lock_handoff

#endif  // EXAMPLES_LOCK_HANDOFF_LOCK_HANDOFF_H_
