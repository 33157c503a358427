// Tests of SharedMutex: exclusive and shared events, try-lock results in both modes,
// ordering of readers against writers, and drop-in use with std::shared_lock /
// std::unique_lock.
#include "harness/sync/shared_mutex.h"

#include <mutex>
#include <shared_mutex>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/harness.h"
#include "tests/testing/trace_testing.h"

namespace harness {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;
using trace_testing::BriefEvents;
using trace_testing::EventsOn;
using trace_testing::FindObject;
using trace_testing::FindThread;
using trace_testing::IndexOf;
using trace_testing::SiteOf;
using trace_testing::StartTestRecording;

TEST(SharedMutexTest, EveryOperationIsNumbered) {
  StartTestRecording();
  SharedMutex mu("shared_mutex.ops"); const uint32_t create_line = __LINE__;
  mu.lock();
  mu.unlock();
  mu.lock_shared(); const uint32_t shared_line = __LINE__;
  mu.unlock_shared();
  ASSERT_TRUE(mu.try_lock());
  mu.unlock();
  ASSERT_TRUE(mu.try_lock_shared());
  mu.unlock_shared();
  Trace trace = CollectTrace();
  ObjectId m = FindObject(trace, "shared_mutex.ops");
  ASSERT_NE(m, kNoObject);
  const ObjectInfo& info = trace.objects()[m];
  EXPECT_EQ(info.kind, ObjectKind::kSharedMutex);
  EXPECT_EQ(info.address, reinterpret_cast<uint64_t>(&mu));
  EXPECT_EQ(SiteOf(trace, info.creation_site).line, create_line);
  EXPECT_THAT(BriefEvents(trace, m),
              ElementsAre("T0 object_create", "T0 lock #1", "T0 unlock #2", "T0 lock_shared #3",
                          "T0 unlock_shared #4", "T0 lock #5 detail=1", "T0 unlock #6",
                          "T0 lock_shared #7 detail=1", "T0 unlock_shared #8"));
  EXPECT_EQ(SiteOf(trace, EventsOn(trace, m)[3].site).line, shared_line);
}

TEST(SharedMutexTest, ReadersShareWritersFail) {
  StartTestRecording();
  SharedMutex mu("shared_mutex.readers");
  mu.lock_shared();
  bool shared_ok = false;
  bool exclusive_ok = true;
  Thread reader("shared_mutex.readers.other", [&] {
    shared_ok = mu.try_lock_shared();
    exclusive_ok = mu.try_lock();
    if (shared_ok) mu.unlock_shared();
  });
  reader.join();
  mu.unlock_shared();
  EXPECT_TRUE(shared_ok);
  EXPECT_FALSE(exclusive_ok);
  Trace trace = CollectTrace();
  EXPECT_THAT(BriefEvents(trace, FindObject(trace, "shared_mutex.readers")),
              ElementsAre("T0 object_create", "T0 lock_shared #1", "T1 lock_shared #2 detail=1",
                          "T1 try_lock_failed", "T1 unlock_shared #3", "T0 unlock_shared #4"));
}

TEST(SharedMutexTest, TryLockSharedFailsWhileWriterHolds) {
  StartTestRecording();
  SharedMutex mu("shared_mutex.writer");
  mu.lock();
  bool shared_ok = true;
  bool exclusive_ok = true;
  Thread other("shared_mutex.writer.other", [&] {
    shared_ok = mu.try_lock_shared();
    exclusive_ok = mu.try_lock();
  });
  other.join();
  mu.unlock();
  EXPECT_FALSE(shared_ok);
  EXPECT_FALSE(exclusive_ok);
  Trace trace = CollectTrace();
  ObjectId m = FindObject(trace, "shared_mutex.writer");
  static_assert(lock_detail::kShared == 8);
  EXPECT_THAT(BriefEvents(trace, m),
              ElementsAre("T0 object_create", "T0 lock #1", "T1 try_lock_failed detail=8",
                          "T1 try_lock_failed", "T0 unlock #2"));
}

TEST(SharedMutexTest, WriterFollowsReaderRelease) {
  StartTestRecording();
  SharedMutex mu("shared_mutex.order");
  mu.lock_shared();
  Thread writer("shared_mutex.order.writer", [&] {
    mu.lock();  // blocks until main releases its shared lock
    mu.unlock();
  });
  mu.unlock_shared();
  writer.join();
  mu.lock_shared();
  mu.unlock_shared();
  Trace trace = CollectTrace();
  ObjectId m = FindObject(trace, "shared_mutex.order");
  ASSERT_EQ(FindThread(trace, "shared_mutex.order.writer"), 1);
  EXPECT_THAT(BriefEvents(trace, m),
              ElementsAre("T0 object_create", "T0 lock_shared #1", "T0 unlock_shared #2",
                          "T1 lock #3", "T1 unlock #4", "T0 lock_shared #5",
                          "T0 unlock_shared #6"));
  EXPECT_LT(IndexOf(trace, 0, EventKind::kUnlockShared, m, 2),
            IndexOf(trace, 1, EventKind::kLock, m, 3));
  EXPECT_EQ(trace.ordering_gaps(), 0u);
}

TEST(SharedMutexTest, ManyReadersAndWritersKeepSequenceOrder) {
  StartTestRecording();
  SharedMutex mu("shared_mutex.mixed");
  int value = 0;
  std::vector<Thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back("shared_mutex.mixed." + std::to_string(t), [&, t] {
      for (int i = 0; i < 500; ++i) {
        if ((i + t) % 3 == 0) {
          std::unique_lock<SharedMutex> hold(mu);
          ++value;
        } else {
          std::shared_lock<SharedMutex> hold(mu);
          (void)value;
        }
      }
    });
  }
  for (Thread& t : threads) t.join();
  Trace trace = CollectTrace();
  ASSERT_TRUE(trace.Validate().ok());
  EXPECT_EQ(trace.ordering_gaps(), 0u);
  std::vector<Event> events = EventsOn(trace, FindObject(trace, "shared_mutex.mixed"));
  ASSERT_EQ(events.size(), 1u + 4 * 500 * 2);
  for (size_t i = 1; i < events.size(); ++i) EXPECT_EQ(events[i].sequence(), i);
  // Every exclusive lock is immediately followed by its own unlock.
  for (size_t i = 1; i + 1 < events.size(); ++i) {
    if (events[i].kind != EventKind::kLock) continue;
    EXPECT_EQ(events[i + 1].kind, EventKind::kUnlock);
    EXPECT_EQ(events[i + 1].thread, events[i].thread);
  }
}

TEST(SharedMutexTest, StdLockHelpersDropIn) {
  StartTestRecording();
  SharedMutex mu("shared_mutex.std");
  { std::shared_lock<SharedMutex> read(mu); }
  { std::unique_lock<SharedMutex> write(mu); }
  { std::lock_guard<SharedMutex> write(mu); }
  {
    std::shared_lock<SharedMutex> read(mu, std::try_to_lock);
    EXPECT_TRUE(read.owns_lock());
  }
  Trace trace = CollectTrace();
  ObjectId m = FindObject(trace, "shared_mutex.std");
  EXPECT_THAT(BriefEvents(trace, m),
              ElementsAre("T0 object_create", "T0 lock_shared #1", "T0 unlock_shared #2",
                          "T0 lock #3", "T0 unlock #4", "T0 lock #5", "T0 unlock #6",
                          "T0 lock_shared #7 detail=1", "T0 unlock_shared #8"));
  for (const Event& e : EventsOn(trace, m)) {
    if (e.kind == EventKind::kObjectCreate) continue;
    EXPECT_THAT(SiteOf(trace, e.site).stack, Not(IsEmpty())) << trace.Describe(e);
  }
}

}  // namespace
}  // namespace harness
