// Exceptions thrown out of locked scopes: whichever std lock helper holds the harness
// mutex (lock_guard, unique_lock, scoped_lock, shared_lock; a recursive mutex at depth
// two; a condition variable's predicate), stack unwinding records the unlock, the
// analyses find no misuse and no race (another thread's later access under the same
// mutex is ordered after the throwing thread's), and the mutex is usable afterwards.
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/check/analyze.h"
#include "harness/harness.h"
#include "tests/testing/trace_testing.h"

namespace harness {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using trace_testing::BriefEvents;
using trace_testing::FindObject;
using trace_testing::StartTestRecording;

// A plain type: libstdc++'s reference-counted exception strings are invisible to TSan.
struct Boom {};

// Findings of the whole recording, as kind names (empty when the trace is clean).
std::vector<std::string> Findings(const Trace& trace) {
  std::vector<std::string> kinds;
  for (const Finding& finding : Analyze(trace, AnalysisOptions{}).findings) {
    kinds.emplace_back(FindingKindName(finding.kind()));
  }
  return kinds;
}

// Another thread takes `mu` and writes `value` after the throw: ordered after the
// thrower's write only if the thrower's unlock was recorded.
template <class M>
void WriteFromAnotherThread(M& mu, Shared<int>& value) {
  Thread other("exception.other", [&] {
    std::lock_guard<M> hold(mu);
    value.store(2);
  });
  other.join();
}

TEST(ExceptionTest, LockGuard) {
  StartTestRecording();
  Mutex mu("exception.lock_guard");
  Shared<int> value(0, "exception.value");
  EXPECT_THROW(
      {
        std::lock_guard<Mutex> hold(mu);
        value.store(1);
        throw Boom();
      },
      Boom);
  WriteFromAnotherThread(mu, value);
  EXPECT_TRUE(mu.try_lock());  // usable afterwards
  mu.unlock();
  Trace trace = CollectTrace();
  ASSERT_TRUE(trace.Validate().ok());
  EXPECT_THAT(BriefEvents(trace, FindObject(trace, "exception.lock_guard")),
              ElementsAre("T0 object_create", "T0 lock #1", "T0 unlock #2", "T1 lock #3",
                          "T1 unlock #4", "T0 lock #5 detail=1", "T0 unlock #6"));
  EXPECT_THAT(Findings(trace), IsEmpty());
}

TEST(ExceptionTest, UniqueLockAfterManualRelock) {
  StartTestRecording();
  Mutex mu("exception.unique_lock");
  Shared<int> value(0, "exception.value");
  EXPECT_THROW(
      {
        std::unique_lock<Mutex> hold(mu);
        hold.unlock();
        hold.lock();
        value.store(1);
        throw Boom();
      },
      Boom);
  WriteFromAnotherThread(mu, value);
  Trace trace = CollectTrace();
  EXPECT_THAT(BriefEvents(trace, FindObject(trace, "exception.unique_lock")),
              ElementsAre("T0 object_create", "T0 lock #1", "T0 unlock #2", "T0 lock #3",
                          "T0 unlock #4", "T1 lock #5", "T1 unlock #6"));
  EXPECT_THAT(Findings(trace), IsEmpty());
}

TEST(ExceptionTest, ScopedLockOfTwoMutexes) {
  StartTestRecording();
  Mutex a("exception.scoped.a");
  Mutex b("exception.scoped.b");
  Shared<int> value(0, "exception.value");
  EXPECT_THROW(
      {
        std::scoped_lock hold(a, b);
        value.store(1);
        throw Boom();
      },
      Boom);
  Thread other("exception.other", [&] {
    std::scoped_lock hold(b, a);  // std::lock's deadlock avoidance: no lock-order cycle
    value.store(2);
  });
  other.join();
  EXPECT_TRUE(a.try_lock());
  EXPECT_TRUE(b.try_lock());
  b.unlock();
  a.unlock();
  Trace trace = CollectTrace();
  ASSERT_TRUE(trace.Validate().ok());
  // Both released by the unwinding (the first events: std::lock takes `a`, then tries
  // `b`; the other thread's std::lock may retry, so only its final holds are counted).
  std::vector<std::string> on_a = BriefEvents(trace, FindObject(trace, "exception.scoped.a"));
  std::vector<std::string> on_b = BriefEvents(trace, FindObject(trace, "exception.scoped.b"));
  ASSERT_GE(on_a.size(), 3u);
  ASSERT_GE(on_b.size(), 3u);
  EXPECT_EQ(on_a[1], "T0 lock #1");
  EXPECT_EQ(on_a[2], "T0 unlock #2");
  EXPECT_EQ(on_b[1], "T0 lock #1 detail=1");
  EXPECT_EQ(on_b[2], "T0 unlock #2");
  EXPECT_THAT(Findings(trace), IsEmpty());
}

TEST(ExceptionTest, SharedAndExclusiveLocksOfSharedMutex) {
  StartTestRecording();
  SharedMutex mu("exception.shared_mutex");
  Shared<int> value(0, "exception.value");
  EXPECT_THROW(
      {
        std::shared_lock<SharedMutex> hold(mu);
        (void)value.load();
        throw Boom();
      },
      Boom);
  EXPECT_THROW(
      {
        std::unique_lock<SharedMutex> hold(mu);
        value.store(1);
        throw Boom();
      },
      Boom);
  EXPECT_THROW(
      {
        std::shared_lock<SharedMutex> hold(mu);
        (void)value.load();
        throw Boom();
      },
      Boom);
  WriteFromAnotherThread(mu, value);
  Trace trace = CollectTrace();
  EXPECT_THAT(BriefEvents(trace, FindObject(trace, "exception.shared_mutex")),
              ElementsAre("T0 object_create", "T0 lock_shared #1", "T0 unlock_shared #2",
                          "T0 lock #3", "T0 unlock #4", "T0 lock_shared #5",
                          "T0 unlock_shared #6", "T1 lock #7", "T1 unlock #8"));
  EXPECT_THAT(Findings(trace), IsEmpty());
  // The reader list of the thread is empty again: a new shared hold is not refused.
  EXPECT_TRUE(mu.try_lock_shared());
  mu.unlock_shared();
}

TEST(ExceptionTest, RecursiveMutexAtDepthTwo) {
  StartTestRecording();
  RecursiveMutex mu("exception.recursive");
  Shared<int> value(0, "exception.value");
  EXPECT_THROW(
      {
        std::lock_guard<RecursiveMutex> outer(mu);
        std::lock_guard<RecursiveMutex> inner(mu);
        value.store(1);
        throw Boom();
      },
      Boom);
  WriteFromAnotherThread(mu, value);
  Trace trace = CollectTrace();
  EXPECT_THAT(BriefEvents(trace, FindObject(trace, "exception.recursive")),
              ElementsAre("T0 object_create", "T0 lock #1", "T0 lock #2 detail=4",
                          "T0 unlock #3 detail=4", "T0 unlock #4", "T1 lock #5", "T1 unlock #6"));
  EXPECT_THAT(Findings(trace), IsEmpty());
}

TEST(ExceptionTest, ConditionVariablePredicateThrowsAfterWakeUp) {
  StartTestRecording();
  Mutex mu("exception.cv_mu");
  CondVar cv;
  Shared<int> value(0, "exception.value");
  Shared<bool> ready(false, "exception.ready");
  Thread notifier("exception.notifier", [&] {
    std::lock_guard<Mutex> hold(mu);
    ready.store(true);
    cv.notify_one();
  });
  EXPECT_THROW(
      {
        std::unique_lock<Mutex> hold(mu);
        // Throws once it sees `ready`: after the wake-up, with the mutex re-taken (or
        // at once, if the notifier ran first).
        cv.wait(hold, [&] {
          if (ready.load()) throw Boom();
          return false;
        });
      },
      Boom);
  notifier.join();
  value.store(1);
  WriteFromAnotherThread(mu, value);
  Trace trace = CollectTrace();
  ASSERT_TRUE(trace.Validate().ok());
  std::vector<std::string> on_mu = BriefEvents(trace, FindObject(trace, "exception.cv_mu"));
  // Main's last hold ends with an unlock recorded by the unwinding: every lock of the
  // mutex is followed by its unlock, and the other thread takes it last.
  ASSERT_GE(on_mu.size(), 5u);
  EXPECT_EQ(on_mu[on_mu.size() - 2], absl::StrCat("T2 lock #", on_mu.size() - 2));
  EXPECT_EQ(on_mu.back(), absl::StrCat("T2 unlock #", on_mu.size() - 1));
  EXPECT_THAT(Findings(trace), IsEmpty());
  std::unique_lock<Mutex> again(mu);  // usable afterwards
  EXPECT_TRUE(again.owns_lock());
}

TEST(ExceptionTest, PoolTaskThrowsWhileHoldingLock) {
  StartTestRecording();
  Mutex mu("exception.pool_mu");
  Shared<int> value(0, "exception.value");
  {
    ThreadPool pool(2, "exception.pool");
    Future<void> failed = pool.submit([&] {
      std::lock_guard<Mutex> hold(mu);
      value.store(1);
      throw Boom();
    });
    EXPECT_THROW(failed.get(), Boom);
    Future<void> next = pool.submit([&] {
      std::lock_guard<Mutex> hold(mu);
      value.store(2);
    });
    next.get();
  }
  {
    std::lock_guard<Mutex> hold(mu);
    EXPECT_EQ(value.load(), 2);
  }
  Trace trace = CollectTrace();
  std::vector<std::string> on_mu = BriefEvents(trace, FindObject(trace, "exception.pool_mu"));
  ASSERT_EQ(on_mu.size(), 7u);
  EXPECT_THAT(Findings(trace), IsEmpty());
}

}  // namespace
}  // namespace harness
