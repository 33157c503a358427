// tests/runtime/watchdog_deadlock_program: deadlocks on purpose, outside GoogleTest,
// for watchdog_live_test. `watchdog_deadlock_program SCENARIO`:
//   lost_wakeup     a thread waits on a condition variable nobody notifies; main joins it
//   abandoned_lock  a thread ends holding a mutex; main locks it
//   abba            two threads each hold one mutex and wait for the other's
//   staggered_abba  abba, but the second thread computes for 700 ms before its wait, so
//                   the watchdog first sees the other waits long and this one short
//   call_once       main holds a mutex the callable of a CallOnce needs, and calls it too
// The watchdog reports the deadlock and exits with `exitcode`; status 1 means the
// program returned, which it must not.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <thread>

#include "harness/harness.h"

namespace {

void LostWakeup() {
  harness::Mutex mu("queue");
  harness::CondVar cv("never-notified");
  bool ready = false;
  harness::Thread waiter("waiter", [&] {
    std::unique_lock<harness::Mutex> lock(mu);
    while (!ready) cv.wait(lock);
  });
  waiter.join();
}

void AbandonedLock() {
  harness::Mutex mu("abandoned");
  harness::Thread quitter("quitter", [&] { mu.lock(); });
  quitter.join();
  mu.lock();
}

// `second_thread_works_for`: how long the second thread computes between the latch
// and its wait.
void Abba(std::chrono::milliseconds second_thread_works_for) {
  harness::Mutex a("a");
  harness::Mutex b("b");
  harness::Latch both(2);
  harness::Thread one("one", [&] {
    std::lock_guard<harness::Mutex> first(a);
    both.arrive_and_wait();
    std::lock_guard<harness::Mutex> second(b);
  });
  harness::Thread two("two", [&] {
    std::lock_guard<harness::Mutex> first(b);
    both.arrive_and_wait();
    std::this_thread::sleep_for(second_thread_works_for);
    std::lock_guard<harness::Mutex> second(a);
  });
  one.join();
  two.join();
}

void CallOnceWaitingForItsCaller() {
  harness::Mutex config_mutex("config-mutex");
  harness::OnceFlag loaded("config-loaded");
  harness::Latch inside(1);
  std::lock_guard<harness::Mutex> hold(config_mutex);
  harness::Thread loader("loader", [&] {
    harness::CallOnce(loaded, [&] {
      inside.count_down();
      std::lock_guard<harness::Mutex> needs(config_mutex);  // main holds it
    });
  });
  inside.wait();
  harness::CallOnce(loaded, [] {});  // waits for the loader's callable
  loader.join();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr,
                 "usage: %s lost_wakeup|abandoned_lock|abba|staggered_abba|call_once\n",
                 argv[0]);
    return 2;
  }
  if (std::strcmp(argv[1], "lost_wakeup") == 0) {
    LostWakeup();
  } else if (std::strcmp(argv[1], "abandoned_lock") == 0) {
    AbandonedLock();
  } else if (std::strcmp(argv[1], "abba") == 0) {
    Abba(std::chrono::milliseconds(0));
  } else if (std::strcmp(argv[1], "staggered_abba") == 0) {
    Abba(std::chrono::milliseconds(700));
  } else if (std::strcmp(argv[1], "call_once") == 0) {
    CallOnceWaitingForItsCaller();
  } else {
    std::fprintf(stderr, "unknown scenario '%s'\n", argv[1]);
    return 2;
  }
  return 1;
}
