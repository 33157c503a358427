// The watchdog in a live process: long waits that are not deadlocks are never
// reported (a false report would end this test binary with status 66), and the
// deadlocks of watchdog_deadlock_program end it within seconds with the documented
// exit status and report.
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/harness.h"

namespace harness {
namespace {

using ::testing::HasSubstr;
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

struct ChildRun {
  int exit_status = -1;
  std::string output;
  double seconds = 0;
};

ChildRun RunProgram(const std::string& scenario) {
  ChildRun run;
  auto start = std::chrono::steady_clock::now();
  std::string command = "HARNESS_OPTIONS= timeout 60 tests/runtime/watchdog_deadlock_program " +
                        scenario + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) run.output.append(buffer, n);
  int status = pclose(pipe);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (WIFEXITED(status)) run.exit_status = WEXITSTATUS(status);
  return run;
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

TEST(WatchdogLiveTest, ExitStatusAndDelayComeFromTheOptions) {
  ChildRun run = RunProgram("abba");
  SCOPED_TRACE(run.output);
  EXPECT_EQ(run.exit_status, 66);
  ChildRun custom;
  {
    auto start = std::chrono::steady_clock::now();
    FILE* pipe = popen("HARNESS_OPTIONS='exitcode=3 deadlock_delay_ms=50' timeout 60 "
                       "tests/runtime/watchdog_deadlock_program abba 2>&1",
                       "r");
    ASSERT_NE(pipe, nullptr);
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) custom.output.append(buffer, n);
    int status = pclose(pipe);
    custom.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_TRUE(WIFEXITED(status));
    custom.exit_status = WEXITSTATUS(status);
  }
  EXPECT_EQ(custom.exit_status, 3);
  EXPECT_THAT(custom.output, HasSubstr("Cycle in wait-for graph"));
  // With the watchdog off, the deadlock is left to the outer timeout.
  FILE* pipe = popen("HARNESS_OPTIONS=detect_deadlocks=0 timeout 3 "
                     "tests/runtime/watchdog_deadlock_program abba >/dev/null 2>&1",
                     "r");
  ASSERT_NE(pipe, nullptr);
  int status = pclose(pipe);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 124);  // timeout(1)'s status: it hung
}

}  // namespace
}  // namespace harness
