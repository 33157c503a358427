// Tests of the lock-order analysis on hand-built traces: for each filter (distinct
// threads, gate lock, fork/join order, shared acquisitions, try-lock), one trace that
// must be reported and one that must not; cycle shape, order and limits.
#include "harness/check/lock_order_graph.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/trace_builder.h"

namespace harness {
namespace {

using trace_testing::TraceBuilder;

std::vector<Finding> Cycles(const Trace& trace, LockOrderOptions options = {},
                            bool* truncated = nullptr) {
  return FindLockOrderCycles(trace, options, truncated);
}

// One expected edge of a cycle: `to` taken at line to_line by `thread` while holding
// `from`, taken at line from_line.
struct ExpectedEdge {
  ObjectId from;
  ObjectId to;
  ThreadId thread;
  uint32_t from_line;
  uint32_t to_line;
};

// The finding is a lock-order cycle made of exactly these edges, in this order.
void ExpectCycle(const Trace& trace, const Finding& finding,
                 const std::vector<ExpectedEdge>& expected) {
  ASSERT_EQ(finding.kind(), FindingKind::kLockOrderCycle);
  EXPECT_EQ(finding.count, 1u);
  const auto& cycle = std::get<LockOrderCycle>(finding.details);
  ASSERT_EQ(cycle.edges.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const LockOrderEdge& edge = cycle.edges[i];
    SCOPED_TRACE(testing::Message() << "edge " << i);
    EXPECT_EQ(edge.from, expected[i].from);
    EXPECT_EQ(edge.to, expected[i].to);
    EXPECT_EQ(edge.thread, expected[i].thread);
    ASSERT_LT(edge.from_site, trace.sites().size());
    ASSERT_LT(edge.to_site, trace.sites().size());
    EXPECT_EQ(trace.sites()[edge.from_site].line, expected[i].from_line);
    EXPECT_EQ(trace.sites()[edge.to_site].line, expected[i].to_line);
  }
}

// T1 takes a then b; T2 takes b then a: the classic ABBA.
struct AbbaTrace {
  TraceBuilder b;
  ThreadId main = b.Thread("main");
  ThreadId t1 = b.Thread("t1", main);
  ThreadId t2 = b.Thread("t2", main);
  ObjectId a = b.Mutex("a");
  ObjectId bm = b.Mutex("b");

  void Spawn() {
    b.Spawn(main, t1, 1);
    b.Spawn(main, t2, 2);
  }
  void FirstThread(ThreadId t, ObjectId x, ObjectId y, uint32_t line) {
    b.Lock(t, x, line);
    b.Lock(t, y, line + 1);
    b.Unlock(t, y, line + 2);
    b.Unlock(t, x, line + 3);
  }
};

TEST(LockOrderGraphTest, ReportsAbbaBetweenTwoThreads) {
  AbbaTrace t;
  t.Spawn();
  t.FirstThread(t.t1, t.a, t.bm, 10);
  t.FirstThread(t.t2, t.bm, t.a, 20);
  std::vector<Finding> findings = Cycles(t.b.trace());
  ASSERT_EQ(findings.size(), 1u);
  const auto& cycle = std::get<LockOrderCycle>(findings[0].details);
  ASSERT_EQ(cycle.edges.size(), 2u);
  // a => b by t1 (b taken at line 11 holding a taken at 10), b => a by t2.
  EXPECT_EQ(cycle.edges[0].from, t.a);
  EXPECT_EQ(cycle.edges[0].to, t.bm);
  EXPECT_EQ(cycle.edges[0].thread, t.t1);
  EXPECT_EQ(t.b.trace().sites()[cycle.edges[0].from_site].line, 10u);
  EXPECT_EQ(t.b.trace().sites()[cycle.edges[0].to_site].line, 11u);
  ASSERT_EQ(cycle.edges[0].held.size(), 1u);
  EXPECT_EQ(cycle.edges[0].held[0].mutex, t.a);
  EXPECT_EQ(cycle.edges[1].from, t.bm);
  EXPECT_EQ(cycle.edges[1].to, t.a);
  EXPECT_EQ(cycle.edges[1].thread, t.t2);
  EXPECT_EQ(t.b.trace().sites()[cycle.edges[1].from_site].line, 20u);
  EXPECT_EQ(t.b.trace().sites()[cycle.edges[1].to_site].line, 21u);
}

TEST(LockOrderGraphTest, SameThreadBothOrdersIsNotReported) {
  AbbaTrace t;
  t.Spawn();
  t.FirstThread(t.t1, t.a, t.bm, 10);
  t.FirstThread(t.t1, t.bm, t.a, 20);
  EXPECT_THAT(Cycles(t.b.trace()), testing::IsEmpty());
}

TEST(LockOrderGraphTest, GateLockMakesItSafe) {
  AbbaTrace t;
  ObjectId gate = t.b.Mutex("gate");
  t.Spawn();
  t.b.Lock(t.t1, gate, 5);
  t.FirstThread(t.t1, t.a, t.bm, 10);
  t.b.Unlock(t.t1, gate, 15);
  t.b.Lock(t.t2, gate, 6);
  t.FirstThread(t.t2, t.bm, t.a, 20);
  t.b.Unlock(t.t2, gate, 25);
  EXPECT_THAT(Cycles(t.b.trace()), testing::IsEmpty());
}

TEST(LockOrderGraphTest, GateHeldSharedByBothIsNoGate) {
  AbbaTrace t;
  ObjectId gate = t.b.Object(ObjectKind::kSharedMutex, "gate");
  t.Spawn();
  t.b.LockShared(t.t1, gate, 5);
  t.FirstThread(t.t1, t.a, t.bm, 10);
  t.b.UnlockShared(t.t1, gate, 15);
  t.b.LockShared(t.t2, gate, 6);
  t.FirstThread(t.t2, t.bm, t.a, 20);
  t.b.UnlockShared(t.t2, gate, 25);
  std::vector<Finding> findings = Cycles(t.b.trace());
  ASSERT_THAT(findings, testing::SizeIs(1));
  ExpectCycle(t.b.trace(), findings[0], {{t.a, t.bm, t.t1, 10, 11}, {t.bm, t.a, t.t2, 20, 21}});
  const auto& cycle = std::get<LockOrderCycle>(findings[0].details);
  EXPECT_EQ(cycle.edges[0].held,
            (std::vector<HeldLock>{{gate, true, t.b.Site(5)}, {t.a, false, t.b.Site(10)}}));
}

TEST(LockOrderGraphTest, EdgesOrderedByJoinAndCreateAreNotReported) {
  // t1 runs and is joined before t2 is created: the two orders can never overlap.
  AbbaTrace t;
  t.b.Spawn(t.main, t.t1, 1);
  t.FirstThread(t.t1, t.a, t.bm, 10);
  t.b.Join(t.main, t.t1, 2);
  t.b.Spawn(t.main, t.t2, 3);
  t.FirstThread(t.t2, t.bm, t.a, 20);
  EXPECT_THAT(Cycles(t.b.trace()), testing::IsEmpty());
}

TEST(LockOrderGraphTest, ParentBeforeCreatingChildIsOrdered) {
  // main takes a then b, then creates t2, which takes b then a.
  AbbaTrace t;
  t.FirstThread(t.main, t.a, t.bm, 10);
  t.b.Spawn(t.main, t.t2, 3);
  t.FirstThread(t.t2, t.bm, t.a, 20);
  EXPECT_THAT(Cycles(t.b.trace()), testing::IsEmpty());
}

TEST(LockOrderGraphTest, ParentAfterCreatingChildIsNotOrdered) {
  AbbaTrace t;
  t.b.Spawn(t.main, t.t2, 3);
  t.FirstThread(t.main, t.a, t.bm, 10);
  t.FirstThread(t.t2, t.bm, t.a, 20);
  std::vector<Finding> findings = Cycles(t.b.trace());
  ASSERT_THAT(findings, testing::SizeIs(1));
  ExpectCycle(t.b.trace(), findings[0], {{t.a, t.bm, t.main, 10, 11}, {t.bm, t.a, t.t2, 20, 21}});
}

TEST(LockOrderGraphTest, ReaderOnlyCycleIsNotReported) {
  // Both threads take the second lock in shared mode while the other holds it shared.
  TraceBuilder b;
  ThreadId t1 = b.Thread("t1");
  ThreadId t2 = b.Thread("t2");
  ObjectId x = b.Object(ObjectKind::kSharedMutex, "x");
  ObjectId y = b.Object(ObjectKind::kSharedMutex, "y");
  b.LockShared(t1, x, 10);
  b.LockShared(t1, y, 11);
  b.UnlockShared(t1, y, 12);
  b.UnlockShared(t1, x, 13);
  b.LockShared(t2, y, 20);
  b.LockShared(t2, x, 21);
  b.UnlockShared(t2, x, 22);
  b.UnlockShared(t2, y, 23);
  EXPECT_THAT(Cycles(b.trace()), testing::IsEmpty());
}

TEST(LockOrderGraphTest, WriterAgainstReaderCycleIsReported) {
  // t1 holds x shared and wants y exclusively; t2 holds y shared and wants x
  // exclusively: each writer waits for the other's reader.
  TraceBuilder b;
  ThreadId t1 = b.Thread("t1");
  ThreadId t2 = b.Thread("t2");
  ObjectId x = b.Object(ObjectKind::kSharedMutex, "x");
  ObjectId y = b.Object(ObjectKind::kSharedMutex, "y");
  b.LockShared(t1, x, 10);
  b.Lock(t1, y, 11);
  b.Unlock(t1, y, 12);
  b.UnlockShared(t1, x, 13);
  b.LockShared(t2, y, 20);
  b.Lock(t2, x, 21);
  b.Unlock(t2, x, 22);
  b.UnlockShared(t2, y, 23);
  std::vector<Finding> findings = Cycles(b.trace());
  ASSERT_THAT(findings, testing::SizeIs(1));
  ExpectCycle(b.trace(), findings[0], {{x, y, t1, 10, 11}, {y, x, t2, 20, 21}});
}

TEST(LockOrderGraphTest, TryLockAddsNoEdge) {
  AbbaTrace t;
  t.Spawn();
  t.FirstThread(t.t1, t.a, t.bm, 10);
  t.b.Lock(t.t2, t.bm, 20);
  t.b.Lock(t.t2, t.a, 21, lock_detail::kTry);
  t.b.Unlock(t.t2, t.a, 22);
  t.b.Unlock(t.t2, t.bm, 23);
  EXPECT_THAT(Cycles(t.b.trace()), testing::IsEmpty());
}

TEST(LockOrderGraphTest, ThreeLockCycleAndShortestFirst) {
  // Dining philosophers with three forks, plus a separate two-lock cycle on p and q.
  TraceBuilder b;
  std::vector<ThreadId> threads;
  for (int i = 0; i < 3; ++i) threads.push_back(b.Thread("philosopher-" + std::to_string(i)));
  ThreadId t4 = b.Thread("t4");
  ThreadId t5 = b.Thread("t5");
  std::vector<ObjectId> forks;
  for (int i = 0; i < 3; ++i) forks.push_back(b.Mutex("fork-" + std::to_string(i)));
  ObjectId p = b.Mutex("p");
  ObjectId q = b.Mutex("q");
  for (int i = 0; i < 3; ++i) {
    b.Lock(threads[i], forks[i], 10 * i + 10);
    b.Lock(threads[i], forks[(i + 1) % 3], 10 * i + 11);
    b.Unlock(threads[i], forks[(i + 1) % 3], 10 * i + 12);
    b.Unlock(threads[i], forks[i], 10 * i + 13);
  }
  b.Lock(t4, p, 50);
  b.Lock(t4, q, 51);
  b.Unlock(t4, q, 52);
  b.Unlock(t4, p, 53);
  b.Lock(t5, q, 60);
  b.Lock(t5, p, 61);
  b.Unlock(t5, p, 62);
  b.Unlock(t5, q, 63);
  std::vector<Finding> findings = Cycles(b.trace());
  ASSERT_EQ(findings.size(), 2u);
  const auto& first = std::get<LockOrderCycle>(findings[0].details);
  const auto& second = std::get<LockOrderCycle>(findings[1].details);
  EXPECT_EQ(first.edges.size(), 2u);
  ExpectCycle(b.trace(), findings[0], {{p, q, t4, 50, 51}, {q, p, t5, 60, 61}});
  ASSERT_EQ(second.edges.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(second.edges[i].from, forks[i]);
    EXPECT_EQ(second.edges[i].to, forks[(i + 1) % 3]);
    EXPECT_EQ(second.edges[i].thread, threads[i]);
  }

  bool truncated = false;
  LockOrderOptions two_only;
  two_only.max_cycle_length = 2;
  std::vector<Finding> two_lock = Cycles(b.trace(), two_only, &truncated);
  ASSERT_THAT(two_lock, testing::SizeIs(1));
  ExpectCycle(b.trace(), two_lock[0], {{p, q, t4, 50, 51}, {q, p, t5, 60, 61}});
  EXPECT_TRUE(truncated);
  Cycles(b.trace(), {}, &truncated);
  EXPECT_FALSE(truncated);
}

TEST(LockOrderGraphTest, RepeatedCycleIsReportedOnce) {
  AbbaTrace t;
  t.Spawn();
  for (int i = 0; i < 5; ++i) {
    t.FirstThread(t.t1, t.a, t.bm, 10);
    t.FirstThread(t.t2, t.bm, t.a, 20);
  }
  std::vector<Finding> findings = Cycles(t.b.trace());
  ASSERT_THAT(findings, testing::SizeIs(1));
  ExpectCycle(t.b.trace(), findings[0], {{t.a, t.bm, t.t1, 10, 11}, {t.bm, t.a, t.t2, 20, 21}});
}

TEST(LockOrderGraphTest, LockClassesBySiteJoinShortLivedMutexes) {
  // Each round makes two fresh mutexes at creation lines 1 and 2 and takes them in
  // opposite orders in two threads, one pair per round: per object, no cycle; per
  // class (creation site), a cycle.
  TraceBuilder b;
  ThreadId t1 = b.Thread("t1");
  ThreadId t2 = b.Thread("t2");
  ObjectId a1 = b.Mutex("a", 1);
  ObjectId b1 = b.Mutex("b", 2);
  ObjectId a2 = b.Mutex("a", 1);
  ObjectId b2 = b.Mutex("b", 2);
  b.Lock(t1, a1, 10);
  b.Lock(t1, b1, 11);
  b.Unlock(t1, b1, 12);
  b.Unlock(t1, a1, 13);
  b.Lock(t2, b2, 20);
  b.Lock(t2, a2, 21);
  b.Unlock(t2, a2, 22);
  b.Unlock(t2, b2, 23);
  EXPECT_THAT(Cycles(b.trace()), testing::IsEmpty());
  LockOrderOptions classes;
  classes.lock_classes_by_site = true;
  std::vector<Finding> findings = Cycles(b.trace(), classes);
  ASSERT_THAT(findings, testing::SizeIs(1));
  // The edges name the real mutexes; the class joins a1 with a2 and b1 with b2.
  ExpectCycle(b.trace(), findings[0], {{a1, b1, t1, 10, 11}, {b2, a2, t2, 20, 21}});
}

}  // namespace
}  // namespace harness
