// Tests of the watchdog's wait-for analysis, FindLiveDeadlock(), on hand-built traces
// and live-thread lists: what is a deadlock (a cycle of lock and join waits, a lost
// wakeup, a wait for a lock whose holder has exited) and what is not (among others, a
// wait that ends as soon as the waiter runs: a released lock, a join of an exited
// thread).
#include "harness/runtime/watchdog.h"

#include <optional>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/trace_builder.h"

namespace harness {
namespace {

using runtime::WaitKind;
using trace_testing::TraceBuilder;

LiveThread Running(ThreadId thread) { return LiveThread{thread, false, WaitKind::kLock, kNoObject, kNoSite}; }
LiveThread Blocked(ThreadId thread, WaitKind kind, ObjectId on, SiteId site = kNoSite) {
  return LiveThread{thread, true, kind, on, site};
}

std::vector<ThreadId> ThreadsOf(const Deadlock& deadlock) {
  std::vector<ThreadId> threads;
  for (const BlockedThread& blocked : deadlock.threads) threads.push_back(blocked.thread);
  return threads;
}

TEST(FindLiveDeadlockTest, AbbaIsACycleWithHoldersAndSites) {
  TraceBuilder b;
  ThreadId t1 = b.Thread("t1");
  ThreadId t2 = b.Thread("t2");
  ObjectId a = b.Mutex("a");
  ObjectId m = b.Mutex("b");
  b.Lock(t1, a, 10);
  b.Lock(t2, m, 20);
  std::optional<Deadlock> deadlock = FindLiveDeadlock(
      b.trace(), {Blocked(t1, WaitKind::kLock, m, b.Site(11)),
                  Blocked(t2, WaitKind::kLock, a, b.Site(21))});
  ASSERT_TRUE(deadlock.has_value());
  EXPECT_FALSE(deadlock->lost_wakeup);
  ASSERT_EQ(deadlock->threads.size(), 2u);
  const BlockedThread& first = deadlock->threads[0];
  EXPECT_EQ(first.thread, t1);
  EXPECT_EQ(first.waits_for, m);
  EXPECT_EQ(first.site, b.Site(11));
  EXPECT_EQ(first.holder, t2);
  EXPECT_EQ(first.holder_site, b.Site(20));
  EXPECT_THAT(first.held, ::testing::ElementsAre(HeldLock{a, false, b.Site(10)}));
  const BlockedThread& second = deadlock->threads[1];
  EXPECT_EQ(second.thread, t2);
  EXPECT_EQ(second.waits_for, a);
  EXPECT_EQ(second.holder, t1);
  EXPECT_EQ(second.holder_site, b.Site(10));
}

TEST(FindLiveDeadlockTest, BystandersAreLeftOutOfTheCycle) {
  TraceBuilder b;
  ThreadId t0 = b.Thread("main");
  ThreadId t1 = b.Thread("t1");
  ThreadId t2 = b.Thread("t2");
  ObjectId a = b.Mutex("a");
  ObjectId m = b.Mutex("b");
  b.Lock(t1, a, 10);
  b.Lock(t2, m, 20);
  // main joins t1, which is in the cycle: stuck too, but not part of it.
  std::optional<Deadlock> deadlock = FindLiveDeadlock(
      b.trace(), {Blocked(t0, WaitKind::kJoin, b.trace().threads()[t1].object),
                  Blocked(t1, WaitKind::kLock, m), Blocked(t2, WaitKind::kLock, a)});
  ASSERT_TRUE(deadlock.has_value());
  EXPECT_THAT(ThreadsOf(*deadlock), ::testing::UnorderedElementsAre(t1, t2));
}

TEST(FindLiveDeadlockTest, WaitForARunningHolderIsNoDeadlock) {
  TraceBuilder b;
  ThreadId t1 = b.Thread("t1");
  ThreadId t2 = b.Thread("t2");
  ObjectId a = b.Mutex("a");
  b.Lock(t2, a, 20);
  EXPECT_FALSE(FindLiveDeadlock(b.trace(), {Blocked(t1, WaitKind::kLock, a), Running(t2)})
                   .has_value());
}

TEST(FindLiveDeadlockTest, ChainToARunningThreadIsNoDeadlock) {
  TraceBuilder b;
  ThreadId t1 = b.Thread("t1");
  ThreadId t2 = b.Thread("t2");
  ThreadId t3 = b.Thread("t3");
  ObjectId a = b.Mutex("a");
  ObjectId m = b.Mutex("b");
  b.Lock(t2, a, 20);
  b.Lock(t3, m, 30);
  // t1 waits for t2, which waits for t3, which runs.
  EXPECT_FALSE(FindLiveDeadlock(b.trace(), {Blocked(t1, WaitKind::kLock, a),
                                            Blocked(t2, WaitKind::kLock, m), Running(t3)})
                   .has_value());
}

TEST(FindLiveDeadlockTest, ConditionWaitWithAnotherThreadRunningIsNoDeadlock) {
  TraceBuilder b;
  ThreadId t1 = b.Thread("t1");
  ThreadId t2 = b.Thread("t2");
  ObjectId cv = b.Object(ObjectKind::kConditionVariable, "cv");
  EXPECT_FALSE(
      FindLiveDeadlock(b.trace(), {Blocked(t1, WaitKind::kConditionWait, cv), Running(t2)})
          .has_value());
}

TEST(FindLiveDeadlockTest, EveryThreadBlockedWithoutACycleIsALostWakeup) {
  TraceBuilder b;
  ThreadId t0 = b.Thread("main");
  ThreadId t1 = b.Thread("consumer");
  ObjectId cv = b.Object(ObjectKind::kConditionVariable, "cv");
  std::optional<Deadlock> deadlock = FindLiveDeadlock(
      b.trace(), {Blocked(t0, WaitKind::kJoin, b.trace().threads()[t1].object, b.Site(5)),
                  Blocked(t1, WaitKind::kConditionWait, cv, b.Site(9))});
  ASSERT_TRUE(deadlock.has_value());
  EXPECT_TRUE(deadlock->lost_wakeup);
  EXPECT_THAT(ThreadsOf(*deadlock), ::testing::ElementsAre(t0, t1));
  EXPECT_EQ(deadlock->threads[0].holder, t1);  // the joined thread
  EXPECT_EQ(deadlock->threads[1].holder, kNoThread);
  EXPECT_EQ(deadlock->threads[1].site, b.Site(9));
}

TEST(FindLiveDeadlockTest, ALoneThreadWaitingForeverIsALostWakeup) {
  TraceBuilder b;
  ThreadId t0 = b.Thread("main");
  ObjectId latch = b.Object(ObjectKind::kLatch, "latch");
  std::optional<Deadlock> deadlock =
      FindLiveDeadlock(b.trace(), {Blocked(t0, WaitKind::kLatchWait, latch)});
  ASSERT_TRUE(deadlock.has_value());
  EXPECT_TRUE(deadlock->lost_wakeup);
  EXPECT_THAT(ThreadsOf(*deadlock), ::testing::ElementsAre(t0));
}

TEST(FindLiveDeadlockTest, LockHeldByAThreadThatExitedIsADeadlock) {
  TraceBuilder b;
  ThreadId gone = b.Thread("gone");
  ThreadId t1 = b.Thread("t1");
  ThreadId t2 = b.Thread("t2");
  ObjectId a = b.Mutex("a");
  b.Lock(gone, a, 10);  // and it ended without unlocking: not in the live list
  std::optional<Deadlock> deadlock =
      FindLiveDeadlock(b.trace(), {Blocked(t1, WaitKind::kLock, a), Running(t2)});
  ASSERT_TRUE(deadlock.has_value());
  EXPECT_FALSE(deadlock->lost_wakeup);
  ASSERT_THAT(ThreadsOf(*deadlock), ::testing::ElementsAre(t1));
  EXPECT_EQ(deadlock->threads[0].holder, gone);
  EXPECT_EQ(deadlock->threads[0].holder_site, b.Site(10));
}

TEST(FindLiveDeadlockTest, LockWithNoRecordedHolderIsNoDeadlockWhileOthersRun) {
  TraceBuilder b;
  ThreadId t1 = b.Thread("t1");
  ThreadId t2 = b.Thread("t2");
  ObjectId a = b.Mutex("a");  // taken before the recording started, by someone
  EXPECT_FALSE(FindLiveDeadlock(b.trace(), {Blocked(t1, WaitKind::kLock, a), Running(t2)})
                   .has_value());
}

TEST(FindLiveDeadlockTest, WriterAndReaderWaitingForEachOther) {
  TraceBuilder b;
  ThreadId reader = b.Thread("reader");
  ThreadId writer = b.Thread("writer");
  ObjectId rw = b.Object(ObjectKind::kSharedMutex, "rw");
  ObjectId a = b.Mutex("a");
  b.LockShared(reader, rw, 10);
  b.Lock(writer, a, 20);
  std::optional<Deadlock> deadlock = FindLiveDeadlock(
      b.trace(), {Blocked(reader, WaitKind::kLock, a), Blocked(writer, WaitKind::kLock, rw)});
  ASSERT_TRUE(deadlock.has_value());
  EXPECT_THAT(ThreadsOf(*deadlock), ::testing::UnorderedElementsAre(reader, writer));
}

TEST(FindLiveDeadlockTest, ReadersDoNotWaitForReaders) {
  TraceBuilder b;
  ThreadId r1 = b.Thread("r1");
  ThreadId r2 = b.Thread("r2");
  ThreadId other = b.Thread("other");
  ObjectId rw = b.Object(ObjectKind::kSharedMutex, "rw");
  b.LockShared(r2, rw, 10);
  // r1 asks for a shared lock that only a reader holds: no known waker, so it counts as
  // wakeable by anyone (other runs).
  EXPECT_FALSE(FindLiveDeadlock(b.trace(), {Blocked(r1, WaitKind::kLockShared, rw),
                                            Running(r2), Running(other)})
                   .has_value());
}

TEST(FindLiveDeadlockTest, JoinCycle) {
  TraceBuilder b;
  ThreadId t1 = b.Thread("t1");
  ThreadId t2 = b.Thread("t2");
  ObjectId a = b.Mutex("a");
  b.Lock(t1, a, 10);
  // t1 joins t2 while holding a; t2 waits for a.
  std::optional<Deadlock> deadlock = FindLiveDeadlock(
      b.trace(), {Blocked(t1, WaitKind::kJoin, b.trace().threads()[t2].object),
                  Blocked(t2, WaitKind::kLock, a), Running(b.Thread("bystander"))});
  ASSERT_TRUE(deadlock.has_value());
  EXPECT_FALSE(deadlock->lost_wakeup);
  EXPECT_THAT(ThreadsOf(*deadlock), ::testing::UnorderedElementsAre(t1, t2));
}

TEST(FindLiveDeadlockTest, ReleasedLockIsNoLongerHeld) {
  TraceBuilder b;
  ThreadId t1 = b.Thread("t1");
  ThreadId t2 = b.Thread("t2");
  ThreadId t3 = b.Thread("t3");
  ObjectId a = b.Mutex("a");
  ObjectId m = b.Mutex("b");
  b.Lock(t1, a, 10);
  b.Lock(t2, m, 20);
  b.Unlock(t2, m, 21);
  // Had t2 still held b, t1 and t2 would wait for each other. It released b, so t1's
  // wait has no recorded holder and counts as one t3 (running) could end.
  EXPECT_FALSE(FindLiveDeadlock(b.trace(), {Blocked(t1, WaitKind::kLock, m),
                                            Blocked(t2, WaitKind::kLock, a), Running(t3)})
                   .has_value());
}

// The race CI once lost: the holder unlocked and exited, and the waiter had not yet run
// again to notice, so it still looked blocked on the lock with every live thread stuck.
TEST(FindLiveDeadlockTest, LockReleasedByAThreadThatExitedIsNoDeadlock) {
  TraceBuilder b;
  ThreadId main = b.Thread("main");
  ThreadId gone = b.Thread("holder");
  ObjectId a = b.Mutex("a");
  b.Lock(gone, a, 10);
  b.Unlock(gone, a, 11);  // then it ended: not in the live list
  EXPECT_FALSE(FindLiveDeadlock(b.trace(), {Blocked(main, WaitKind::kLock, a)}).has_value());
}

TEST(FindLiveDeadlockTest, WaiterForAFreeLockCanWakeOthers) {
  TraceBuilder b;
  ThreadId main = b.Thread("main");
  ThreadId worker = b.Thread("worker");
  ThreadId gone = b.Thread("gone");
  ObjectId a = b.Mutex("a");
  b.Lock(gone, a, 10);
  b.Unlock(gone, a, 11);
  EXPECT_FALSE(FindLiveDeadlock(b.trace(),
                                {Blocked(main, WaitKind::kJoin, b.trace().threads()[worker].object),
                                 Blocked(worker, WaitKind::kLock, a)})
                   .has_value());
}

TEST(FindLiveDeadlockTest, JoinOfAThreadThatExitedIsNoDeadlock) {
  TraceBuilder b;
  ThreadId main = b.Thread("main");
  ThreadId gone = b.Thread("worker");  // ended: not in the live list
  EXPECT_FALSE(FindLiveDeadlock(b.trace(), {Blocked(main, WaitKind::kJoin,
                                                    b.trace().threads()[gone].object)})
                   .has_value());
}

TEST(FindLiveDeadlockTest, JoinOfAThreadNotRunningYetIsNoDeadlock) {
  TraceBuilder b;
  ThreadId main = b.Thread("main");
  ObjectId unstarted = b.Object(ObjectKind::kThread, "slow-to-start");  // no thread yet
  EXPECT_FALSE(
      FindLiveDeadlock(b.trace(), {Blocked(main, WaitKind::kJoin, unstarted)}).has_value());
}

TEST(FindLiveDeadlockTest, LockNeverTakenInTheTraceWithNobodyToReleaseItIsALostWakeup) {
  TraceBuilder b;
  ThreadId main = b.Thread("main");
  ObjectId a = b.Mutex("a");  // taken before the recording started, by someone
  std::optional<Deadlock> deadlock =
      FindLiveDeadlock(b.trace(), {Blocked(main, WaitKind::kLock, a, b.Site(3))});
  ASSERT_TRUE(deadlock.has_value());
  EXPECT_TRUE(deadlock->lost_wakeup);
  ASSERT_THAT(ThreadsOf(*deadlock), ::testing::ElementsAre(main));
  EXPECT_EQ(deadlock->threads[0].site, b.Site(3));
  EXPECT_EQ(deadlock->threads[0].holder, kNoThread);
}

LiveThread RunningOnce(ThreadId thread, ObjectId flag) {
  LiveThread live = Running(thread);
  live.running_once = flag;
  return live;
}

TEST(FindLiveDeadlockTest, CallOnceWaitsForTheThreadRunningTheCallable) {
  TraceBuilder b;
  ThreadId main = b.Thread("main");
  ThreadId loader = b.Thread("loader");
  ObjectId flag = b.Object(ObjectKind::kOnceFlag, "loaded");
  ObjectId m = b.Mutex("config");
  b.Lock(main, m, 10);
  // The loader's callable waits for the mutex main holds while main waits for the
  // callable: a cycle, found with a bystander running.
  LiveThread blocked_loader = Blocked(loader, WaitKind::kLock, m, b.Site(20));
  blocked_loader.running_once = flag;
  std::optional<Deadlock> deadlock = FindLiveDeadlock(
      b.trace(), {Blocked(main, WaitKind::kOnceWait, flag, b.Site(11)), blocked_loader,
                  Running(b.Thread("bystander"))});
  ASSERT_TRUE(deadlock.has_value());
  EXPECT_FALSE(deadlock->lost_wakeup);
  ASSERT_THAT(ThreadsOf(*deadlock), ::testing::UnorderedElementsAre(main, loader));
  for (const BlockedThread& blocked : deadlock->threads) {
    EXPECT_EQ(blocked.holder, blocked.thread == main ? loader : main);
  }
}

TEST(FindLiveDeadlockTest, CallOnceWaitingForARunningCallableIsNoDeadlock) {
  TraceBuilder b;
  ThreadId main = b.Thread("main");
  ThreadId loader = b.Thread("loader");
  ObjectId flag = b.Object(ObjectKind::kOnceFlag, "loaded");
  EXPECT_FALSE(FindLiveDeadlock(b.trace(), {Blocked(main, WaitKind::kOnceWait, flag),
                                            RunningOnce(loader, flag)})
                   .has_value());
}

TEST(FindLiveDeadlockTest, CallOnceWithNobodyRunningTheCallableIsAboutToReturn) {
  TraceBuilder b;
  ThreadId main = b.Thread("main");
  ObjectId flag = b.Object(ObjectKind::kOnceFlag, "loaded");
  EXPECT_FALSE(
      FindLiveDeadlock(b.trace(), {Blocked(main, WaitKind::kOnceWait, flag)}).has_value());
}

}  // namespace
}  // namespace harness
