// Tests of Atomic<T>: stores and read-modify-writes are producers numbered 1, 2, ...; a
// load records the number of the store it read; every event carries its memory order; a
// failed compare-exchange records a load with kFailedCompareExchange.
#include "harness/sync/atomic.h"

#include <atomic>
#include <cstdint>
#include <string>
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

constexpr int kRelaxed = static_cast<int>(MemoryOrder::kRelaxed);
constexpr int kAcquire = static_cast<int>(MemoryOrder::kAcquire);
constexpr int kRelease = static_cast<int>(MemoryOrder::kRelease);
constexpr int kAcqRel = static_cast<int>(MemoryOrder::kAcquireRelease);
constexpr int kSeqCst = static_cast<int>(MemoryOrder::kSequentiallyConsistent);
static_assert(kRelaxed == 0 && kAcquire == 2 && kRelease == 3 && kAcqRel == 4 && kSeqCst == 5);
static_assert(kFailedCompareExchange == 8);

TEST(AtomicTest, OperationsRecordOrderAndVersion) {
  StartTestRecording();
  Atomic<int> a(5, "atomic.ops"); const uint32_t create_line = __LINE__;
  EXPECT_EQ(a.load(std::memory_order_relaxed), 5);  // reads the initial value: #0
  a.store(7, std::memory_order_release); const uint32_t store_line = __LINE__;
  EXPECT_EQ(a.load(std::memory_order_acquire), 7);
  EXPECT_EQ(a.exchange(9, std::memory_order_acq_rel), 7);
  EXPECT_EQ(a.fetch_add(1), 9);
  EXPECT_EQ(a.fetch_sub(2, std::memory_order_relaxed), 10);
  EXPECT_EQ(a.fetch_or(1, std::memory_order_release), 8);
  EXPECT_EQ(a.fetch_and(3, std::memory_order_acquire), 9);
  EXPECT_EQ(a.fetch_xor(2, std::memory_order_seq_cst), 1);
  EXPECT_EQ(a.load(), 3);

  Trace trace = CollectTrace();
  ObjectId o = FindObject(trace, "atomic.ops");
  ASSERT_NE(o, kNoObject);
  const ObjectInfo& info = trace.objects()[o];
  EXPECT_EQ(info.kind, ObjectKind::kAtomic);
  EXPECT_EQ(info.size, sizeof(int));
  EXPECT_GE(info.address, reinterpret_cast<uint64_t>(&a));
  EXPECT_LT(info.address, reinterpret_cast<uint64_t>(&a) + sizeof(a));
  EXPECT_EQ(SiteOf(trace, info.creation_site).line, create_line);
  EXPECT_THAT(BriefEvents(trace, o),
              ElementsAre("T0 object_create", "T0 atomic_load #0", "T0 atomic_store #1 detail=3",
                          "T0 atomic_load #1 detail=2", "T0 atomic_rmw #2 detail=4",
                          "T0 atomic_rmw #3 detail=5", "T0 atomic_rmw #4",
                          "T0 atomic_rmw #5 detail=3", "T0 atomic_rmw #6 detail=2",
                          "T0 atomic_rmw #7 detail=5", "T0 atomic_load #7 detail=5"));
  std::vector<Event> events = EventsOn(trace, o);
  EXPECT_EQ(events[2].memory_order(), MemoryOrder::kRelease);
  EXPECT_EQ(SiteOf(trace, events[2].site).line, store_line);
  EXPECT_THAT(SiteOf(trace, events[2].site).stack, IsEmpty());
}

TEST(AtomicTest, CompareExchangeSuccessAndFailure) {
  StartTestRecording();
  Atomic<int> a(10, "atomic.cas");
  int expected = 0;
  EXPECT_FALSE(a.compare_exchange_strong(expected, 1));  // fails: seq_cst load
  EXPECT_EQ(expected, 10);
  EXPECT_TRUE(a.compare_exchange_strong(expected, 11, std::memory_order_release,
                                        std::memory_order_relaxed));
  expected = 0;
  EXPECT_FALSE(a.compare_exchange_strong(expected, 1, std::memory_order_acq_rel));  // acquire
  expected = 0;
  EXPECT_FALSE(a.compare_exchange_weak(expected, 1, std::memory_order_release));  // relaxed
  expected = 0;
  EXPECT_FALSE(a.compare_exchange_weak(expected, 1, std::memory_order_seq_cst,
                                       std::memory_order_acquire));
  expected = 11;
  while (!a.compare_exchange_weak(expected, 12, std::memory_order_acq_rel,
                                  std::memory_order_relaxed)) {
    ASSERT_EQ(expected, 11);  // only spurious failures
  }
  EXPECT_EQ(a.load(), 12);

  Trace trace = CollectTrace();
  std::vector<std::string> events = BriefEvents(trace, FindObject(trace, "atomic.cas"));
  // A spurious failure of the last weak CAS would add "atomic_load #1 detail=8" lines.
  std::vector<std::string> without_spurious;
  for (size_t i = 0; i < events.size(); ++i) {
    if (i > 5 && events[i] == "T0 atomic_load #1 detail=8") continue;
    without_spurious.push_back(events[i]);
  }
  EXPECT_THAT(without_spurious,
              ElementsAre("T0 object_create", "T0 atomic_load #0 detail=13",
                          "T0 atomic_rmw #1 detail=3", "T0 atomic_load #1 detail=10",
                          "T0 atomic_load #1 detail=8", "T0 atomic_load #1 detail=10",
                          "T0 atomic_rmw #2 detail=4", "T0 atomic_load #2 detail=5"));
  std::vector<Event> raw = EventsOn(trace, FindObject(trace, "atomic.cas"));
  EXPECT_EQ(raw[1].memory_order(), MemoryOrder::kSequentiallyConsistent);
  EXPECT_EQ(raw[1].detail & kFailedCompareExchange, kFailedCompareExchange);
  EXPECT_EQ(raw[2].detail & kFailedCompareExchange, 0);
}

TEST(AtomicTest, OperatorsAreSeqCstAndSitesCarryStacks) {
  StartTestRecording();
  Atomic<long> a(0, "atomic.operators");
  a = 3;
  long v = a;
  EXPECT_EQ(v, 3);
  EXPECT_EQ(a++, 3);
  EXPECT_EQ(++a, 5);
  EXPECT_EQ(a--, 5);
  EXPECT_EQ(--a, 3);
  EXPECT_EQ(a += 10, 13);
  EXPECT_EQ(a -= 3, 10);
  EXPECT_EQ(a |= 5, 15);
  EXPECT_EQ(a &= 6, 6);
  EXPECT_EQ(a ^= 2, 4);
  Trace trace = CollectTrace();
  ObjectId o = FindObject(trace, "atomic.operators");
  EXPECT_THAT(BriefEvents(trace, o),
              ElementsAre("T0 object_create", "T0 atomic_store #1 detail=5",
                          "T0 atomic_load #1 detail=5", "T0 atomic_rmw #2 detail=5",
                          "T0 atomic_rmw #3 detail=5", "T0 atomic_rmw #4 detail=5",
                          "T0 atomic_rmw #5 detail=5", "T0 atomic_rmw #6 detail=5",
                          "T0 atomic_rmw #7 detail=5", "T0 atomic_rmw #8 detail=5",
                          "T0 atomic_rmw #9 detail=5", "T0 atomic_rmw #10 detail=5"));
  for (const Event& e : EventsOn(trace, o)) {
    if (e.kind == EventKind::kObjectCreate) continue;
    EXPECT_THAT(SiteOf(trace, e.site).stack, Not(IsEmpty())) << trace.Describe(e);
  }
}

TEST(AtomicTest, PointerAndBoolAtomics) {
  StartTestRecording();
  int array[4] = {0, 1, 2, 3};
  Atomic<int*> p(array, "atomic.pointer");
  EXPECT_EQ(p.fetch_add(2), array);
  EXPECT_EQ(p.load(), array + 2);
  Atomic<bool> flag(false, "atomic.bool");
  EXPECT_FALSE(flag.exchange(true));
  EXPECT_TRUE(flag.load());
  Atomic<int> defaulted;
  EXPECT_EQ(defaulted.load(), 0);
  EXPECT_FALSE(flag.is_lock_free());
  Trace trace = CollectTrace();
  EXPECT_EQ(trace.objects()[FindObject(trace, "atomic.pointer")].size, sizeof(int*));
  EXPECT_EQ(trace.objects()[FindObject(trace, "atomic.bool")].size, sizeof(bool));
  EXPECT_THAT(BriefEvents(trace, FindObject(trace, "atomic.pointer")),
              ElementsAre("T0 object_create", "T0 atomic_rmw #1 detail=5",
                          "T0 atomic_load #1 detail=5"));
  EXPECT_THAT(BriefEvents(trace, FindObject(trace, "atomic.bool")),
              ElementsAre("T0 object_create", "T0 atomic_rmw #1 detail=5",
                          "T0 atomic_load #1 detail=5"));
}

TEST(AtomicTest, LoadObservesTheStoreItRead) {
  StartTestRecording();
  Atomic<int> flag(0, "atomic.flag");
  Atomic<int> data(0, "atomic.data");
  Thread producer("atomic.producer", [&] {
    data.store(42, std::memory_order_relaxed);
    flag.store(1, std::memory_order_release);
  });
  while (flag.load(std::memory_order_acquire) == 0) {
  }
  EXPECT_EQ(data.load(std::memory_order_relaxed), 42);
  producer.join();

  Trace trace = CollectTrace();
  ASSERT_TRUE(trace.Validate().ok());
  EXPECT_EQ(trace.ordering_gaps(), 0u);
  ObjectId f = FindObject(trace, "atomic.flag");
  ASSERT_EQ(FindThread(trace, "atomic.producer"), 1);
  std::vector<Event> events = EventsOn(trace, f);
  // Loads of #0 (spinning), then the store #1, then the load that saw it.
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(trace_testing::Brief(events.back()), "T0 atomic_load #1 detail=2");
  EXPECT_EQ(trace_testing::Brief(events[events.size() - 2]), "T1 atomic_store #1 detail=3");
  for (size_t i = 1; i + 2 < events.size(); ++i) {
    EXPECT_EQ(trace_testing::Brief(events[i]), "T0 atomic_load #0 detail=2");
  }
  EXPECT_THAT(BriefEvents(trace, FindObject(trace, "atomic.data")),
              ElementsAre("T0 object_create", "T1 atomic_store #1", "T0 atomic_load #1"));
  EXPECT_LT(IndexOf(trace, 1, EventKind::kAtomicStore, f, 1),
            IndexOf(trace, 0, EventKind::kAtomicLoad, f, 1));
}

TEST(AtomicTest, ConcurrentIncrementsAreNumberedWithoutGaps) {
  StartTestRecording();
  Atomic<int> counter(0, "atomic.counter");
  constexpr int kThreads = 4;
  constexpr int kIncrements = 2000;
  std::vector<Thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back("atomic.counter." + std::to_string(t), [&] {
      for (int i = 0; i < kIncrements; ++i) counter.fetch_add(1, std::memory_order_relaxed);
    });
  }
  for (Thread& t : threads) t.join();
  EXPECT_EQ(counter.load(), kThreads * kIncrements);
  Trace trace = CollectTrace();
  EXPECT_EQ(trace.ordering_gaps(), 0u);
  std::vector<Event> events = EventsOn(trace, FindObject(trace, "atomic.counter"));
  ASSERT_EQ(events.size(), 2u + kThreads * kIncrements);
  for (size_t i = 1; i + 1 < events.size(); ++i) {
    EXPECT_EQ(events[i].kind, EventKind::kAtomicReadModifyWrite);
    EXPECT_EQ(events[i].sequence(), i);
    EXPECT_EQ(events[i].memory_order(), MemoryOrder::kRelaxed);
  }
  EXPECT_EQ(trace_testing::Brief(events.back()),
            "T0 atomic_load #" + std::to_string(kThreads * kIncrements) + " detail=5");
}

}  // namespace
}  // namespace harness
