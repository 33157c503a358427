// Tests of the misuse analysis on hand-built traces: every misuse kind, in the form
// the wrappers record it (refused operations) and, where it applies, in the plain form
// a trace from elsewhere shows.
#include "harness/check/misuse_detector.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/trace_builder.h"

namespace harness {
namespace {

using trace_testing::TraceBuilder;

Misuse Only(const std::vector<Finding>& findings) {
  EXPECT_EQ(findings.size(), 1u);
  if (findings.size() != 1) return {};
  return std::get<Misuse>(findings[0].details);
}

TEST(MisuseDetectorTest, RefusedUnlockOfUnlockedMutex) {
  TraceBuilder b;
  ThreadId t = b.Thread("main");
  ObjectId m = b.Mutex("m");
  b.Unordered(t, EventKind::kUnlockRefused, m, 7);
  Misuse misuse = Only(FindMisuse(b.trace()));
  EXPECT_EQ(misuse.kind, MisuseKind::kUnlockNotHeld);
  EXPECT_EQ(misuse.thread, t);
  EXPECT_EQ(misuse.object, m);
  EXPECT_EQ(b.trace().sites()[misuse.site].line, 7u);
  EXPECT_EQ(misuse.other_thread, kNoThread);
}

TEST(MisuseDetectorTest, PlainUnlockOfUnlockedMutex) {
  TraceBuilder b;
  ThreadId t = b.Thread("main");
  ObjectId m = b.Mutex("m");
  b.Lock(t, m, 5);
  b.Unlock(t, m, 6);
  b.Unlock(t, m, 7);
  Misuse misuse = Only(FindMisuse(b.trace()));
  EXPECT_EQ(misuse.kind, MisuseKind::kUnlockNotHeld);
  EXPECT_EQ(misuse.thread, t);
  EXPECT_EQ(misuse.object, m);
  EXPECT_EQ(b.trace().sites()[misuse.site].line, 7u);
  EXPECT_EQ(misuse.other_thread, kNoThread);
}

TEST(MisuseDetectorTest, UnlockOfMutexHeldByAnotherThread) {
  TraceBuilder b;
  ThreadId t1 = b.Thread("t1");
  ThreadId t2 = b.Thread("t2");
  ObjectId m = b.Mutex("m");
  b.Lock(t1, m, 5);
  b.Unordered(t2, EventKind::kUnlockRefused, m, 9);
  Misuse misuse = Only(FindMisuse(b.trace()));
  EXPECT_EQ(misuse.kind, MisuseKind::kUnlockHeldByOtherThread);
  EXPECT_EQ(misuse.thread, t2);
  EXPECT_EQ(misuse.object, m);
  EXPECT_EQ(b.trace().sites()[misuse.site].line, 9u);
  EXPECT_EQ(misuse.other_thread, t1);
  EXPECT_EQ(b.trace().sites()[misuse.other_site].line, 5u);
}

TEST(MisuseDetectorTest, RelockOfNonRecursiveMutex) {
  TraceBuilder b;
  ThreadId t = b.Thread("main");
  ObjectId m = b.Mutex("m");
  b.Lock(t, m, 5);
  b.Unordered(t, EventKind::kLockRefused, m, 6);
  Misuse misuse = Only(FindMisuse(b.trace()));
  EXPECT_EQ(misuse.kind, MisuseKind::kRelockNonRecursive);
  EXPECT_EQ(misuse.thread, t);
  EXPECT_EQ(misuse.object, m);
  EXPECT_EQ(misuse.other_thread, t);
  EXPECT_EQ(b.trace().sites()[misuse.site].line, 6u);
  EXPECT_EQ(b.trace().sites()[misuse.other_site].line, 5u);

  TraceBuilder plain;
  ThreadId u = plain.Thread("main");
  ObjectId n = plain.Mutex("n");
  plain.Lock(u, n, 5);
  plain.Lock(u, n, 6);
  Misuse relock = Only(FindMisuse(plain.trace()));
  EXPECT_EQ(relock.kind, MisuseKind::kRelockNonRecursive);
  EXPECT_EQ(relock.thread, u);
  EXPECT_EQ(relock.object, n);
  EXPECT_EQ(relock.other_thread, u);
  EXPECT_EQ(plain.trace().sites()[relock.site].line, 6u);
  EXPECT_EQ(plain.trace().sites()[relock.other_site].line, 5u);
}

TEST(MisuseDetectorTest, RecursiveMutexReentryIsFine) {
  TraceBuilder b;
  ThreadId t = b.Thread("main");
  ObjectId m = b.Object(ObjectKind::kRecursiveMutex, "m");
  b.Lock(t, m, 5);
  b.Lock(t, m, 6, lock_detail::kRecursive);
  b.Unlock(t, m, 7, lock_detail::kRecursive);
  b.Unlock(t, m, 8);
  EXPECT_THAT(FindMisuse(b.trace()), testing::IsEmpty());
}

TEST(MisuseDetectorTest, DestroyWhileLocked) {
  TraceBuilder b;
  ThreadId t = b.Thread("main");
  ObjectId m = b.Mutex("m");
  b.Lock(t, m, 5);
  b.Unordered(t, EventKind::kObjectDestroy, m, 9);
  Misuse misuse = Only(FindMisuse(b.trace()));
  EXPECT_EQ(misuse.kind, MisuseKind::kDestroyLocked);
  EXPECT_EQ(misuse.thread, t);
  EXPECT_EQ(misuse.object, m);
  EXPECT_EQ(b.trace().sites()[misuse.site].line, 9u);
  EXPECT_EQ(misuse.other_thread, t);
  EXPECT_EQ(b.trace().sites()[misuse.other_site].line, 5u);

  TraceBuilder unlocked;
  ThreadId u = unlocked.Thread("main");
  ObjectId n = unlocked.Mutex("n");
  unlocked.Lock(u, n, 5);
  unlocked.Unlock(u, n, 6);
  unlocked.Unordered(u, EventKind::kObjectDestroy, n, 9);
  EXPECT_THAT(FindMisuse(unlocked.trace()), testing::IsEmpty());
}

TEST(MisuseDetectorTest, WaitWithoutMutex) {
  TraceBuilder b;
  ThreadId t = b.Thread("main");
  ObjectId cv = b.Object(ObjectKind::kConditionVariable, "cv");
  b.Unordered(t, EventKind::kWaitBegin, cv, 5, wait_detail::kWithoutMutex);
  Misuse misuse = Only(FindMisuse(b.trace()));
  EXPECT_EQ(misuse.kind, MisuseKind::kWaitWithoutMutex);
  EXPECT_EQ(misuse.thread, t);
  EXPECT_EQ(misuse.object, cv);
  EXPECT_EQ(b.trace().sites()[misuse.site].line, 5u);

  TraceBuilder fine;
  ThreadId u = fine.Thread("main");
  ObjectId cv2 = fine.Object(ObjectKind::kConditionVariable, "cv");
  fine.Unordered(u, EventKind::kWaitBegin, cv2, 5, wait_detail::kTimed);
  EXPECT_THAT(FindMisuse(fine.trace()), testing::IsEmpty());
}

TEST(MisuseDetectorTest, ThreadDestroyedJoinable) {
  TraceBuilder b;
  ThreadId main = b.Thread("main");
  ThreadId worker = b.Thread("worker", main);
  b.Spawn(main, worker, 3);
  b.Unordered(main, EventKind::kThreadAbandoned, b.trace().threads()[worker].object, 8);
  Misuse misuse = Only(FindMisuse(b.trace()));
  EXPECT_EQ(misuse.kind, MisuseKind::kThreadDestroyedJoinable);
  EXPECT_EQ(misuse.thread, main);
  EXPECT_EQ(misuse.object, b.trace().threads()[worker].object);
  EXPECT_EQ(b.trace().sites()[misuse.site].line, 8u);
}

TEST(MisuseDetectorTest, DestroyedWhileWaitedOn) {
  // main destroys cv (created at line 3) while waiter waits on it at line 12: the
  // event's sequence names the waiter and its site is the wait.
  TraceBuilder b;
  ThreadId main = b.Thread("main");
  ThreadId waiter = b.Thread("waiter", main);
  ObjectId cv = b.Object(ObjectKind::kConditionVariable, "cv", 0, 0, 3);
  b.Add(main, Event::Sync(EventKind::kDestroyedWhileWaitedOn, 0, b.Site(12), cv, waiter));
  Misuse misuse = Only(FindMisuse(b.trace()));
  EXPECT_EQ(misuse.kind, MisuseKind::kDestroyedWhileWaitedOn);
  EXPECT_EQ(misuse.thread, main);
  EXPECT_EQ(misuse.object, cv);
  EXPECT_EQ(b.trace().sites()[misuse.site].line, 3u);
  EXPECT_EQ(misuse.other_thread, waiter);
  EXPECT_EQ(b.trace().sites()[misuse.other_site].line, 12u);
}

TEST(MisuseDetectorTest, UnlockSharedWithoutLockShared) {
  TraceBuilder b;
  ThreadId t = b.Thread("main");
  ObjectId m = b.Object(ObjectKind::kSharedMutex, "rw");
  b.Unordered(t, EventKind::kUnlockRefused, m, 4, lock_detail::kShared);
  Misuse refused = Only(FindMisuse(b.trace()));
  EXPECT_EQ(refused.kind, MisuseKind::kUnlockSharedNotHeld);
  EXPECT_EQ(refused.thread, t);
  EXPECT_EQ(refused.object, m);
  EXPECT_EQ(b.trace().sites()[refused.site].line, 4u);
  EXPECT_EQ(refused.other_thread, kNoThread);

  TraceBuilder plain;
  ThreadId u = plain.Thread("main");
  ObjectId n = plain.Object(ObjectKind::kSharedMutex, "rw");
  plain.Lock(u, n, 3);
  plain.UnlockShared(u, n, 4);
  Misuse unlock = Only(FindMisuse(plain.trace()));
  EXPECT_EQ(unlock.kind, MisuseKind::kUnlockSharedNotHeld);
  EXPECT_EQ(unlock.thread, u);
  EXPECT_EQ(unlock.object, n);
  EXPECT_EQ(plain.trace().sites()[unlock.site].line, 4u);
}

}  // namespace
}  // namespace harness
