// The watchdog in a live process: long waits that are not deadlocks are never
// reported (a false report would end this test binary with status 66), and the
// deadlocks of watchdog_deadlock_program end it within seconds with the documented
// exit status and report.
#include <chrono>
#include <mutex>
#include <string>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/harness.h"
#include "tests/testing/child_process.h"

namespace harness {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

// Longer than the default deadlock_delay_ms (500), so the watchdog looks at each wait.
constexpr auto kLongerThanTheDelay = 1200ms;

TEST(WatchdogLiveTest, LockHeldByASleepingThreadIsNoDeadlock) {
  Mutex mu("held-while-sleeping");
  Latch held(1);
  Thread holder("holder", [&] {
    std::lock_guard<Mutex> hold(mu);
    held.count_down();
    std::this_thread::sleep_for(kLongerThanTheDelay);  // running, as far as the harness knows
  });
  held.wait();
  mu.lock();  // blocks for over a second
  mu.unlock();
  holder.join();
}

TEST(WatchdogLiveTest, TimedWaitsAndTryLocksAreNoDeadlock) {
  TimedMutex mu("timed");
  CondVar cv("never-notified");
  Mutex cv_mu("cv-mutex");
  Latch held(1);
  Latch done(1);
  Thread holder("holder", [&] {
    mu.lock();
    held.count_down();
    done.wait();  // blocked until main is done: main's waits below all time out
    mu.unlock();
  });
  held.wait();
  auto until = std::chrono::steady_clock::now() + kLongerThanTheDelay;
  while (std::chrono::steady_clock::now() < until) {
    EXPECT_FALSE(mu.try_lock_for(100ms));
    EXPECT_FALSE(mu.try_lock());
    std::unique_lock<Mutex> lock(cv_mu);
    EXPECT_EQ(cv.wait_for(lock, 100ms), std::cv_status::timeout);
  }
  done.count_down();
  holder.join();
}

TEST(WatchdogLiveTest, ConsumerWaitingForASlowProducerIsNoDeadlock) {
  Mutex mu("queue");
  CondVar ready("ready");
  bool produced = false;
  Thread consumer("consumer", [&] {
    std::unique_lock<Mutex> lock(mu);
    ready.wait(lock, [&] { return produced; });
  });
  std::this_thread::sleep_for(kLongerThanTheDelay);  // the producer computes for a while
  {
    std::lock_guard<Mutex> hold(mu);
    produced = true;
  }
  ready.notify_one();
  consumer.join();
}

TEST(WatchdogLiveTest, CallOnceWhileAnotherThreadRunsALongCallableIsNoDeadlock) {
  OnceFlag loaded("slow-load");
  Latch started(1);
  int value = 0;
  Thread loader("loader", [&] {
    CallOnce(loaded, [&] {
      started.count_down();
      std::this_thread::sleep_for(kLongerThanTheDelay);  // running, not waiting
      value = 42;
    });
  });
  started.wait();
  CallOnce(loaded, [&] { value = -1; });  // waits for over a second
  EXPECT_EQ(value, 42);
  loader.join();
}

using testing_child::ChildRun;
using testing_child::RunChild;

ChildRun RunProgram(const std::string& scenario, const std::string& options = "") {
  return RunChild("HARNESS_OPTIONS=\"" + options +
                  "\" tests/runtime/watchdog_deadlock_program " + scenario);
}

TEST(WatchdogLiveTest, LostWakeupOutsideGoogleTestExitsWithTheReport) {
  ChildRun run = RunProgram("lost_wakeup");
  SCOPED_TRACE(run.output);
  EXPECT_EQ(run.exit_status, 66);
  EXPECT_LT(run.seconds, 5.0);
  EXPECT_THAT(run.output, HasSubstr("WARNING: harness: deadlock"));
  EXPECT_THAT(run.output, HasSubstr("Every live thread is blocked and none is left to wake the "
                                    "others:"));
  EXPECT_THAT(run.output, ::testing::ContainsRegex(
                              "Thread T[0-9] 'waiter' \\(mutexes: none\\) blocks on condition "
                              "variable M[0-9]+ 'never-notified' here:"));
  EXPECT_THAT(run.output, ::testing::ContainsRegex("Thread T0 'main' \\(mutexes: none\\) joins "
                                                   "thread T[0-9] 'waiter' here:"));
  EXPECT_THAT(run.output, HasSubstr("harness: deadlock: exiting with status 66"));
}

TEST(WatchdogLiveTest, LockHeldByAnExitedThreadIsADeadlock) {
  ChildRun run = RunProgram("abandoned_lock");
  SCOPED_TRACE(run.output);
  EXPECT_EQ(run.exit_status, 66);
  EXPECT_LT(run.seconds, 5.0);
  EXPECT_THAT(run.output, ::testing::ContainsRegex(
                              "blocks on mutex M[0-9]+ 'abandoned' here:"));
  EXPECT_THAT(run.output, HasSubstr("Blocked for good, waiting for threads that have ended:"));
  EXPECT_THAT(run.output, ::testing::ContainsRegex(
                              "is held by thread T[0-9] 'quitter', which acquired it here:"));
}

// The watchdog once cached its verdict on a wait that was still short (so counted as
// running) and never looked again once it became long: this hung until the timeout.
TEST(WatchdogLiveTest, DeadlockReachedInStepsIsReported) {
  ChildRun run = RunProgram("staggered_abba");
  SCOPED_TRACE(run.output);
  EXPECT_EQ(run.exit_status, 66);
  EXPECT_LT(run.seconds, 5.0);
  EXPECT_THAT(run.output, HasSubstr("Cycle in wait-for graph"));
  EXPECT_THAT(run.output, ::testing::ContainsRegex(
                              "Thread T[0-9] 'two' \\(mutexes: write M[0-9]+ 'b'\\) blocks on "
                              "mutex M[0-9]+ 'a' here:"));
  EXPECT_THAT(run.output, ::testing::ContainsRegex(
                              "Thread T[0-9] 'one' \\(mutexes: write M[0-9]+ 'a'\\) blocks on "
                              "mutex M[0-9]+ 'b' here:"));
}

TEST(WatchdogLiveTest, CallOnceWaitingForACallableThatWaitsForItIsADeadlock) {
  ChildRun run = RunProgram("call_once");
  SCOPED_TRACE(run.output);
  EXPECT_EQ(run.exit_status, 66);
  EXPECT_LT(run.seconds, 5.0);
  EXPECT_THAT(run.output, HasSubstr("Cycle in wait-for graph: T0 'main' => T1 'loader' => "
                                    "T0 'main'"));
  EXPECT_THAT(run.output, ::testing::ContainsRegex(
                              "Thread T0 'main' \\(mutexes: write M[0-9]+ 'config-mutex'\\) "
                              "blocks on once flag M[0-9]+ 'config-loaded' here:"));
  EXPECT_THAT(run.output, HasSubstr("The callable of once flag M2 'config-loaded' is running "
                                    "on thread T1 'loader'"));
  EXPECT_THAT(run.output, ::testing::ContainsRegex(
                              "Thread T[0-9] 'loader' \\(mutexes: none\\) blocks on mutex "
                              "M[0-9]+ 'config-mutex' here:"));
  EXPECT_THAT(run.output, ::testing::ContainsRegex(
                              "Mutex M[0-9]+ 'config-mutex' is held by thread T0 'main', which "
                              "acquired it here:"));
  // The loader's stack goes from the callable to its caller without std::call_once's
  // plumbing in between.
  EXPECT_THAT(run.output, Not(HasSubstr("std::call_once")));
  EXPECT_THAT(run.output, Not(HasSubstr("std::once_flag")));
}

TEST(WatchdogLiveTest, ExitStatusAndDelayComeFromTheOptions) {
  ChildRun run = RunProgram("abba");
  SCOPED_TRACE(run.output);
  EXPECT_EQ(run.exit_status, 66);
  EXPECT_THAT(run.output, HasSubstr("Cycle in wait-for graph"));
  ChildRun custom = RunProgram("abba", "exitcode=3 deadlock_delay_ms=50");
  SCOPED_TRACE(custom.output);
  EXPECT_EQ(custom.exit_status, 3);
  EXPECT_THAT(custom.output, HasSubstr("Cycle in wait-for graph"));
  // With the watchdog off, the deadlock is left to an outer timeout.
  ChildRun off = RunChild(
      "HARNESS_OPTIONS=detect_deadlocks=0 timeout 3 tests/runtime/watchdog_deadlock_program abba");
  EXPECT_EQ(off.exit_status, 124);  // timeout(1)'s status: it hung
}

}  // namespace
}  // namespace harness
