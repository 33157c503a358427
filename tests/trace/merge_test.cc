// tests/trace/merge_test.cc: MergeThreadStreams orders per-thread streams by the
// per-object sequence numbers alone. Every test asserts the exact merged order.
#include "harness/trace/merge.h"

#include <cstdint>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/trace/event.h"
#include "harness/trace/trace.h"

namespace harness {
namespace {

using ::testing::ElementsAre;

Event Sync(EventKind kind, ObjectId object, uint32_t sequence) {
  return Event::Sync(kind, 0, kNoSite, object, sequence);
}
Event Lock(ObjectId m, uint32_t seq) { return Sync(EventKind::kLock, m, seq); }
Event Unlock(ObjectId m, uint32_t seq) { return Sync(EventKind::kUnlock, m, seq); }
Event Store(ObjectId a, uint32_t seq) { return Sync(EventKind::kAtomicStore, a, seq); }
Event Load(ObjectId a, uint32_t seq) { return Sync(EventKind::kAtomicLoad, a, seq); }
Event Read(uint64_t address) { return Event::Access(EventKind::kRead, kNoSite, address, 4); }
Event Write(uint64_t address) { return Event::Access(EventKind::kWrite, kNoSite, address, 4); }

// Renders the merged events with Trace::Describe over unnamed threads and objects:
// "T1 lock M0 #3", "T0 read 4 bytes at 0x10".
std::vector<std::string> Render(const MergeResult& result, size_t threads, size_t objects) {
  Trace trace;
  for (size_t t = 0; t < threads; ++t) trace.AddThread({});
  for (size_t o = 0; o < objects; ++o) trace.AddObject({});
  std::vector<std::string> lines;
  for (const Event& e : result.events) lines.push_back(trace.Describe(e));
  return lines;
}

TEST(MergeTest, EmptyInput) {
  MergeResult result = MergeThreadStreams({}, 0);
  EXPECT_TRUE(result.events.empty());
  EXPECT_EQ(result.ordering_gaps, 0u);
  result = MergeThreadStreams({{}, {}, {}}, 3);
  EXPECT_TRUE(result.events.empty());
  EXPECT_EQ(result.ordering_gaps, 0u);
}

TEST(MergeTest, KeepsProgramOrderAndSetsThreads) {
  MergeResult result = MergeThreadStreams(
      {{Read(0x10), Write(0x20), Read(0x30)}, {}, {Write(0x10), Write(0x40)}}, 0);
  EXPECT_THAT(Render(result, 3, 0),
              ElementsAre("T0 read 4 bytes at 0x10", "T0 write 4 bytes at 0x20",
                          "T0 read 4 bytes at 0x30", "T2 write 4 bytes at 0x10",
                          "T2 write 4 bytes at 0x40"));
  EXPECT_EQ(result.ordering_gaps, 0u);
}

TEST(MergeTest, InterleavesMutexHoldersBySequence) {
  // Thread 1 holds M0 first (sequences 1, 2), thread 0 second (3, 4), but thread 0's
  // stream comes first: it must wait for thread 1's unlock.
  std::vector<std::vector<Event>> streams = {
      {Read(0x10), Lock(0, 3), Write(0x20), Unlock(0, 4), Read(0x30)},
      {Lock(0, 1), Write(0x20), Unlock(0, 2), Read(0x40)},
  };
  MergeResult result = MergeThreadStreams(streams, 1);
  EXPECT_THAT(Render(result, 2, 1),
              ElementsAre("T0 read 4 bytes at 0x10", "T1 lock M0 #1", "T1 write 4 bytes at 0x20",
                          "T1 unlock M0 #2", "T1 read 4 bytes at 0x40", "T0 lock M0 #3",
                          "T0 write 4 bytes at 0x20", "T0 unlock M0 #4",
                          "T0 read 4 bytes at 0x30"));
  EXPECT_EQ(result.ordering_gaps, 0u);
}

TEST(MergeTest, HandsALockBackAndForth) {
  // T0: 1,2 then 5,6; T1: 3,4 then 7,8; two mutexes nested in T1.
  std::vector<std::vector<Event>> streams = {
      {Lock(0, 1), Unlock(0, 2), Lock(0, 5), Unlock(0, 6)},
      {Lock(1, 1), Lock(0, 3), Unlock(0, 4), Lock(0, 7), Unlock(0, 8), Unlock(1, 2)},
  };
  MergeResult result = MergeThreadStreams(streams, 2);
  EXPECT_THAT(Render(result, 2, 2),
              ElementsAre("T0 lock M0 #1", "T0 unlock M0 #2", "T1 lock M1 #1", "T1 lock M0 #3",
                          "T1 unlock M0 #4", "T0 lock M0 #5", "T0 unlock M0 #6",
                          "T1 lock M0 #7", "T1 unlock M0 #8", "T1 unlock M1 #2"));
  EXPECT_EQ(result.ordering_gaps, 0u);
}

TEST(MergeTest, AtomicLoadComesAfterTheStoreItObserved) {
  // T0 loads the value of T1's second store. A load of sequence 0 (the initial value)
  // needs nothing.
  std::vector<std::vector<Event>> streams = {
      {Load(0, 0), Load(0, 2), Read(0x10)},
      {Store(0, 1), Write(0x10), Store(0, 2)},
  };
  MergeResult result = MergeThreadStreams(streams, 1);
  EXPECT_THAT(Render(result, 2, 1),
              ElementsAre("T0 atomic_load M0 #0", "T1 atomic_store M0 #1",
                          "T1 write 4 bytes at 0x10", "T1 atomic_store M0 #2",
                          "T0 atomic_load M0 #2", "T0 read 4 bytes at 0x10"));
  EXPECT_EQ(result.ordering_gaps, 0u);
}

TEST(MergeTest, ThreadStartAfterCreateAndJoinAfterEnd) {
  // The child (stream 0, listed first) starts by observing its creation and ends with a
  // producer the parent's join observes. M0 is the child's thread object.
  std::vector<std::vector<Event>> streams = {
      {Sync(EventKind::kThreadStart, 0, 1), Write(0x10), Sync(EventKind::kThreadEnd, 0, 2)},
      {Write(0x20), Sync(EventKind::kThreadCreate, 0, 1), Sync(EventKind::kThreadJoin, 0, 2),
       Read(0x10)},
  };
  MergeResult result = MergeThreadStreams(streams, 1);
  EXPECT_THAT(Render(result, 2, 1),
              ElementsAre("T1 write 4 bytes at 0x20", "T1 thread_create M0 #1",
                          "T0 thread_start M0 #1", "T0 write 4 bytes at 0x10",
                          "T0 thread_end M0 #2", "T1 thread_join M0 #2",
                          "T1 read 4 bytes at 0x10"));
  EXPECT_EQ(result.ordering_gaps, 0u);
}

TEST(MergeTest, ObserverOfAnObjectWithoutRecordedProducersIsPlacedAtOnce) {
  // Nothing in the streams produces M0: the load observed something from before the
  // recording and needs no gap.
  MergeResult result = MergeThreadStreams({{Load(0, 12), Read(0x10)}}, 1);
  EXPECT_THAT(Render(result, 1, 1),
              ElementsAre("T0 atomic_load M0 #12", "T0 read 4 bytes at 0x10"));
  EXPECT_EQ(result.ordering_gaps, 0u);
}

TEST(MergeTest, RecordingThatStartsMidRunNeedsNoGap) {
  // The first producer any stream holds is sequence 57: 1..56 happened before the
  // recording started, and that is not a gap.
  std::vector<std::vector<Event>> streams = {
      {Lock(0, 59), Unlock(0, 60)},
      {Load(1, 56), Lock(0, 57), Unlock(0, 58)},
  };
  MergeResult result = MergeThreadStreams(streams, 2);
  EXPECT_THAT(Render(result, 2, 2),
              ElementsAre("T1 atomic_load M1 #56", "T1 lock M0 #57", "T1 unlock M0 #58",
                          "T0 lock M0 #59", "T0 unlock M0 #60"));
  EXPECT_EQ(result.ordering_gaps, 0u);
}

TEST(MergeTest, MissingProducerIsOneGap) {
  // Sequences 3 and 4 of M0 are in no stream: one gap, and every event still placed.
  std::vector<std::vector<Event>> streams = {
      {Lock(0, 5), Unlock(0, 6), Read(0x10)},
      {Lock(0, 1), Unlock(0, 2)},
  };
  MergeResult result = MergeThreadStreams(streams, 1);
  EXPECT_THAT(Render(result, 2, 1),
              ElementsAre("T1 lock M0 #1", "T1 unlock M0 #2", "T0 lock M0 #5",
                          "T0 unlock M0 #6", "T0 read 4 bytes at 0x10"));
  EXPECT_EQ(result.ordering_gaps, 1u);
}

TEST(MergeTest, GapKeepsAnObserverAfterItsRecordedProducer) {
  // Store #2 is missing. The load of #3 and the store #3 it observed are both blocked
  // when the merge steps over the gap; the step must let the store go first (it is one
  // missing producer away), not the load that observed it.
  std::vector<std::vector<Event>> streams = {
      {Load(0, 3), Read(0x10)},
      {Store(0, 1), Store(0, 3), Write(0x10)},
  };
  MergeResult result = MergeThreadStreams(streams, 1);
  EXPECT_THAT(Render(result, 2, 1),
              ElementsAre("T1 atomic_store M0 #1", "T1 atomic_store M0 #3",
                          "T1 write 4 bytes at 0x10", "T0 atomic_load M0 #3",
                          "T0 read 4 bytes at 0x10"));
  EXPECT_EQ(result.ordering_gaps, 1u);
}

TEST(MergeTest, ObserverOfAMissingProducerIsOneGap) {
  // The load observed #4, which no stream holds (the last store recorded is #3).
  std::vector<std::vector<Event>> streams = {
      {Load(0, 4), Read(0x10)},
      {Store(0, 1), Store(0, 2), Store(0, 3)},
  };
  MergeResult result = MergeThreadStreams(streams, 1);
  EXPECT_THAT(Render(result, 2, 1),
              ElementsAre("T1 atomic_store M0 #1", "T1 atomic_store M0 #2",
                          "T1 atomic_store M0 #3", "T0 atomic_load M0 #4",
                          "T0 read 4 bytes at 0x10"));
  EXPECT_EQ(result.ordering_gaps, 1u);
}

TEST(MergeTest, SequenceWrapAround) {
  // M0's counter wraps from 2^32 - 1 to 0 between the two holders; the holder with the
  // wrapped (small) sequences is listed first.
  constexpr uint32_t kMax = 0xffffffff;
  std::vector<std::vector<Event>> streams = {
      {Lock(0, 0), Unlock(0, 1), Store(1, 1)},
      {Lock(0, kMax - 1), Unlock(0, kMax), Load(1, 1)},
  };
  MergeResult result = MergeThreadStreams(streams, 2);
  EXPECT_THAT(Render(result, 2, 2),
              ElementsAre("T1 lock M0 #4294967294", "T1 unlock M0 #4294967295",
                          "T0 lock M0 #0", "T0 unlock M0 #1", "T0 atomic_store M1 #1",
                          "T1 atomic_load M1 #1"));
  EXPECT_EQ(result.ordering_gaps, 0u);
}

TEST(MergeTest, WrapAroundSeenFirstFromTheHighSide) {
  // The same wrap with the high sequences listed first, and a third holder after it.
  constexpr uint32_t kMax = 0xffffffff;
  std::vector<std::vector<Event>> streams = {
      {Lock(0, kMax), Unlock(0, 0)},
      {Lock(0, 1), Unlock(0, 2)},
      {Lock(0, kMax - 2), Unlock(0, kMax - 1)},
  };
  MergeResult result = MergeThreadStreams(streams, 1);
  EXPECT_THAT(Render(result, 3, 1),
              ElementsAre("T2 lock M0 #4294967293", "T2 unlock M0 #4294967294",
                          "T0 lock M0 #4294967295", "T0 unlock M0 #0", "T1 lock M0 #1",
                          "T1 unlock M0 #2"));
  EXPECT_EQ(result.ordering_gaps, 0u);
}

TEST(MergeTest, ManyThreadsContendingOneMutex) {
  // 8 threads each take M0 twice; sequences dealt out so each thread waits on the next.
  constexpr int kThreads = 8;
  std::vector<std::vector<Event>> streams(kThreads);
  for (int round = 0; round < 2; ++round) {
    for (int t = 0; t < kThreads; ++t) {
      // Holder order: 7, 6, ..., 0, then 7, 6, ..., 0 again.
      uint32_t slot = static_cast<uint32_t>(round * kThreads + (kThreads - 1 - t));
      streams[t].push_back(Lock(0, 2 * slot + 1));
      streams[t].push_back(Unlock(0, 2 * slot + 2));
    }
  }
  MergeResult result = MergeThreadStreams(streams, 1);
  ASSERT_EQ(result.events.size(), 4u * kThreads);
  for (size_t i = 0; i < result.events.size(); ++i) {
    const Event& e = result.events[i];
    EXPECT_EQ(e.sequence(), i + 1);
    int slot = static_cast<int>(i / 2);
    EXPECT_EQ(e.thread, kThreads - 1 - slot % kThreads);
  }
  EXPECT_EQ(result.ordering_gaps, 0u);
}

}  // namespace
}  // namespace harness
