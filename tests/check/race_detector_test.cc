// tests/check/race_detector_test.cc: the happens-before race analysis over hand-built
// traces (events in merged order). For every sync edge kind, two traces that differ only
// in that edge: with it no race, without it exactly one, asserted in full.
#include "harness/check/race_detector.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/check/vector_clock.h"
#include "harness/report/finding.h"
#include "harness/trace/trace.h"

namespace harness {
namespace {

using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr uint64_t kX = 0x1000;  // shared variable x: 8 bytes
constexpr uint64_t kY = 0x1010;  // shared variable y: 8 bytes
constexpr uint64_t kA = 0x2000;  // atomic a: 4 bytes
constexpr uint64_t kF = 0x2010;  // atomic flag: 4 bytes

uint8_t Order(MemoryOrder order) { return static_cast<uint8_t>(order); }

// Builds a trace in merged order; producers are numbered per object automatically.
class TraceBuilder {
 public:
  ThreadId Thread(const std::string& name, ObjectId object = kNoObject) {
    ThreadInfo info;
    info.name = name;
    info.object = object;
    return trace_.AddThread(info);
  }
  ObjectId Object(ObjectKind kind, const std::string& name, uint64_t address = 0,
                  uint64_t size = 0) {
    ObjectInfo info;
    info.kind = kind;
    info.name = name;
    info.address = address;
    info.size = size;
    return trace_.AddObject(info);
  }
  SiteId Site(uint32_t line) {
    SiteInfo site;
    site.file = "app.cc";
    site.function = "Work";
    site.line = line;
    return trace_.AddSite(site);
  }

  // Each returns the event's index.
  size_t Sync(ThreadId t, EventKind kind, ObjectId object, uint32_t sequence, uint8_t detail,
              SiteId site) {
    Event e = Event::Sync(kind, detail, site, object, sequence);
    e.thread = t;
    trace_.AddEvent(e);
    return trace_.events().size() - 1;
  }
  size_t Produce(ThreadId t, EventKind kind, ObjectId object, uint8_t detail, SiteId site) {
    return Sync(t, kind, object, ++versions_[object], detail, site);
  }
  size_t Lock(ThreadId t, ObjectId m, SiteId site, uint8_t detail = 0) {
    return Produce(t, EventKind::kLock, m, detail, site);
  }
  size_t Unlock(ThreadId t, ObjectId m, SiteId site) {
    return Produce(t, EventKind::kUnlock, m, 0, site);
  }
  size_t LockShared(ThreadId t, ObjectId m, SiteId site) {
    return Produce(t, EventKind::kLockShared, m, 0, site);
  }
  size_t UnlockShared(ThreadId t, ObjectId m, SiteId site) {
    return Produce(t, EventKind::kUnlockShared, m, 0, site);
  }
  size_t Store(ThreadId t, ObjectId a, MemoryOrder order, SiteId site) {
    return Produce(t, EventKind::kAtomicStore, a, Order(order), site);
  }
  size_t Rmw(ThreadId t, ObjectId a, MemoryOrder order, SiteId site) {
    return Produce(t, EventKind::kAtomicReadModifyWrite, a, Order(order), site);
  }
  size_t Load(ThreadId t, ObjectId a, MemoryOrder order, uint32_t version, SiteId site,
              uint8_t extra = 0) {
    return Sync(t, EventKind::kAtomicLoad, a, version, Order(order) | extra, site);
  }
  // An observer of the newest version of `object`.
  size_t Observe(ThreadId t, EventKind kind, ObjectId object, SiteId site, uint8_t detail = 0) {
    return Sync(t, kind, object, versions_[object], detail, site);
  }
  size_t Unordered(ThreadId t, EventKind kind, ObjectId object, SiteId site, uint8_t detail = 0) {
    return Sync(t, kind, object, 0, detail, site);
  }
  size_t Read(ThreadId t, uint64_t address, uint64_t size, SiteId site) {
    return Access(t, EventKind::kRead, address, size, site);
  }
  size_t Write(ThreadId t, uint64_t address, uint64_t size, SiteId site) {
    return Access(t, EventKind::kWrite, address, size, site);
  }

  const Trace& trace() const { return trace_; }

 private:
  size_t Access(ThreadId t, EventKind kind, uint64_t address, uint64_t size, SiteId site) {
    Event e = Event::Access(kind, site, address, size);
    e.thread = t;
    trace_.AddEvent(e);
    return trace_.events().size() - 1;
  }

  Trace trace_;
  absl::flat_hash_map<ObjectId, uint32_t> versions_;
};

// Tables every scenario starts with: threads main, one, two, three; shared variables x
// and y; atomics a and flag; sites s[1] .. s[19] (line i).
struct Scenario {
  TraceBuilder b;
  ThreadId main = b.Thread("main");
  ThreadId one = b.Thread("one");
  ThreadId two = b.Thread("two");
  ThreadId three = b.Thread("three");
  ObjectId x = b.Object(ObjectKind::kSharedVariable, "x", kX, 8);
  ObjectId y = b.Object(ObjectKind::kSharedVariable, "y", kY, 8);
  ObjectId a = b.Object(ObjectKind::kAtomic, "a", kA, 4);
  ObjectId flag = b.Object(ObjectKind::kAtomic, "flag", kF, 4);
  std::vector<SiteId> s = Sites();

  std::vector<SiteId> Sites() {
    std::vector<SiteId> sites(1, kNoSite);
    for (uint32_t line = 1; line < 20; ++line) sites.push_back(b.Site(line));
    return sites;
  }
};

MemoryAccess Access(ThreadId thread, bool is_write, uint64_t address, uint32_t size,
                    ObjectId object, SiteId site, size_t event_index,
                    std::vector<HeldLock> held = {}, bool is_atomic = false) {
  MemoryAccess access;
  access.thread = thread;
  access.is_write = is_write;
  access.is_atomic = is_atomic;
  access.address = address;
  access.size = size;
  access.object = object;
  access.site = site;
  access.held = std::move(held);
  access.event_index = event_index;
  return access;
}

DataRace Race(MemoryAccess current, MemoryAccess previous) {
  return DataRace{std::move(current), std::move(previous)};
}

const DataRace& RaceOf(const Finding& finding) { return std::get<DataRace>(finding.details); }

// Runs FindDataRaces() on a valid trace, and checks that streaming the same events
// through a RaceDetector without a plan (history depth `depth`) finds the same.
std::vector<Finding> Analyze(const Trace& trace, size_t depth = 16) {
  EXPECT_TRUE(trace.Validate().ok()) << trace.Validate();
  std::vector<Finding> findings = FindDataRaces(trace);
  RaceDetectorOptions options;
  options.history_depth = depth;
  RaceDetector streaming(trace, options);
  for (const Event& e : trace.events()) streaming.Process(e);
  EXPECT_EQ(streaming.events_processed(), trace.events().size());
  EXPECT_EQ(streaming.TakeFindings(), findings) << "streaming differs from FindDataRaces";
  return findings;
}

void ExpectSingleRace(const std::vector<Finding>& findings, const DataRace& expected) {
  ASSERT_THAT(findings, SizeIs(1));
  EXPECT_EQ(findings[0].kind(), FindingKind::kDataRace);
  EXPECT_EQ(findings[0].count, 1u);
  EXPECT_EQ(RaceOf(findings[0]).current, expected.current);
  EXPECT_EQ(RaceOf(findings[0]).previous, expected.previous);
}

// ---- One test per sync edge kind: with the edge no race, without it one. ----

TEST(SyncEdgeTest, UnlockToLock) {
  auto run = [](bool edge, DataRace* expected) {
    Scenario c;
    ObjectId m = c.b.Object(ObjectKind::kMutex, "m");
    ObjectId n = c.b.Object(ObjectKind::kMutex, "n");
    c.b.Lock(c.one, m, c.s[1]);
    size_t w1 = c.b.Write(c.one, kX, 8, c.s[2]);
    c.b.Unlock(c.one, m, c.s[3]);
    ObjectId other = edge ? m : n;  // without the edge, thread two takes another mutex
    c.b.Lock(c.two, other, c.s[4]);
    size_t w2 = c.b.Write(c.two, kX, 8, c.s[5]);
    c.b.Unlock(c.two, other, c.s[6]);
    *expected = Race(Access(c.two, true, kX, 8, c.x, c.s[5], w2, {HeldLock{n, false, c.s[4]}}),
                     Access(c.one, true, kX, 8, c.x, c.s[2], w1, {HeldLock{m, false, c.s[1]}}));
    return Analyze(c.b.trace());
  };
  DataRace expected;
  EXPECT_THAT(run(true, &expected), IsEmpty());
  ExpectSingleRace(run(false, &expected), expected);
}

TEST(SyncEdgeTest, UnlockSharedToExclusiveLock) {
  // Without the edge the second thread takes the lock shared too: readers give readers
  // no edge, so its write (under a shared lock) races with the read.
  auto run = [](bool edge, DataRace* expected) {
    Scenario c;
    ObjectId rw = c.b.Object(ObjectKind::kSharedMutex, "rw");
    c.b.LockShared(c.one, rw, c.s[1]);
    size_t r1 = c.b.Read(c.one, kX, 8, c.s[2]);
    c.b.UnlockShared(c.one, rw, c.s[3]);
    if (edge) {
      c.b.Lock(c.two, rw, c.s[4]);
    } else {
      c.b.LockShared(c.two, rw, c.s[4]);
    }
    size_t w2 = c.b.Write(c.two, kX, 8, c.s[5]);
    *expected = Race(Access(c.two, true, kX, 8, c.x, c.s[5], w2, {HeldLock{rw, !edge, c.s[4]}}),
                     Access(c.one, false, kX, 8, c.x, c.s[2], r1, {HeldLock{rw, true, c.s[1]}}));
    return Analyze(c.b.trace());
  };
  DataRace expected;
  EXPECT_THAT(run(true, &expected), IsEmpty());
  ExpectSingleRace(run(false, &expected), expected);
}

TEST(SyncEdgeTest, UnlockToLockShared) {
  // A reader acquires the last exclusive release; without the edge it locks another
  // shared mutex.
  auto run = [](bool edge, DataRace* expected) {
    Scenario c;
    ObjectId rw = c.b.Object(ObjectKind::kSharedMutex, "rw");
    ObjectId other = c.b.Object(ObjectKind::kSharedMutex, "other");
    c.b.Lock(c.one, rw, c.s[1]);
    size_t w1 = c.b.Write(c.one, kX, 8, c.s[2]);
    c.b.Unlock(c.one, rw, c.s[3]);
    ObjectId taken = edge ? rw : other;
    c.b.LockShared(c.two, taken, c.s[4]);
    size_t r2 = c.b.Read(c.two, kX, 8, c.s[5]);
    c.b.UnlockShared(c.two, taken, c.s[6]);
    *expected = Race(Access(c.two, false, kX, 8, c.x, c.s[5], r2, {HeldLock{other, true, c.s[4]}}),
                     Access(c.one, true, kX, 8, c.x, c.s[2], w1, {HeldLock{rw, false, c.s[1]}}));
    return Analyze(c.b.trace());
  };
  DataRace expected;
  EXPECT_THAT(run(true, &expected), IsEmpty());
  ExpectSingleRace(run(false, &expected), expected);
}

TEST(SyncEdgeTest, ThreadCreateToStart) {
  auto run = [](bool edge, DataRace* expected) {
    Scenario c;
    ObjectId child_object = c.b.Object(ObjectKind::kThread, "child");
    ThreadId child = c.b.Thread("child", child_object);
    size_t w0 = c.b.Write(c.main, kX, 8, c.s[1]);
    if (edge) {
      c.b.Produce(c.main, EventKind::kThreadCreate, child_object, 0, c.s[2]);
      c.b.Observe(child, EventKind::kThreadStart, child_object, c.s[2]);
    }
    size_t w1 = c.b.Write(child, kX, 8, c.s[3]);
    *expected = Race(Access(child, true, kX, 8, c.x, c.s[3], w1),
                     Access(c.main, true, kX, 8, c.x, c.s[1], w0));
    return Analyze(c.b.trace());
  };
  DataRace expected;
  EXPECT_THAT(run(true, &expected), IsEmpty());
  ExpectSingleRace(run(false, &expected), expected);
}

TEST(SyncEdgeTest, ThreadEndToJoin) {
  auto run = [](bool edge, DataRace* expected) {
    Scenario c;
    ObjectId child_object = c.b.Object(ObjectKind::kThread, "child");
    ThreadId child = c.b.Thread("child", child_object);
    c.b.Produce(c.main, EventKind::kThreadCreate, child_object, 0, c.s[1]);
    c.b.Observe(child, EventKind::kThreadStart, child_object, c.s[1]);
    size_t w1 = c.b.Write(child, kX, 8, c.s[2]);
    if (edge) {
      c.b.Produce(child, EventKind::kThreadEnd, child_object, 0, c.s[1]);
      c.b.Observe(c.main, EventKind::kThreadJoin, child_object, c.s[3]);
    }
    size_t r0 = c.b.Read(c.main, kX, 8, c.s[4]);
    *expected = Race(Access(c.main, false, kX, 8, c.x, c.s[4], r0),
                     Access(child, true, kX, 8, c.x, c.s[2], w1));
    return Analyze(c.b.trace());
  };
  DataRace expected;
  EXPECT_THAT(run(true, &expected), IsEmpty());
  ExpectSingleRace(run(false, &expected), expected);
}

// Relaxed publication is racy; release/acquire (and seq_cst, acq_rel, consume) is not.
TEST(SyncEdgeTest, AtomicReleaseStoreToAcquireLoad) {
  auto run = [](MemoryOrder store, MemoryOrder load, DataRace* expected) {
    Scenario c;
    size_t w1 = c.b.Write(c.one, kX, 8, c.s[1]);
    c.b.Store(c.one, c.flag, store, c.s[2]);
    c.b.Load(c.two, c.flag, load, 1, c.s[3]);
    size_t r2 = c.b.Read(c.two, kX, 8, c.s[4]);
    *expected = Race(Access(c.two, false, kX, 8, c.x, c.s[4], r2),
                     Access(c.one, true, kX, 8, c.x, c.s[1], w1));
    return Analyze(c.b.trace());
  };
  DataRace expected;
  EXPECT_THAT(run(MemoryOrder::kRelease, MemoryOrder::kAcquire, &expected), IsEmpty());
  EXPECT_THAT(
      run(MemoryOrder::kSequentiallyConsistent, MemoryOrder::kSequentiallyConsistent, &expected),
      IsEmpty());
  EXPECT_THAT(run(MemoryOrder::kAcquireRelease, MemoryOrder::kConsume, &expected), IsEmpty());
  ExpectSingleRace(run(MemoryOrder::kRelaxed, MemoryOrder::kAcquire, &expected), expected);
  ExpectSingleRace(run(MemoryOrder::kRelease, MemoryOrder::kRelaxed, &expected), expected);
  ExpectSingleRace(run(MemoryOrder::kRelaxed, MemoryOrder::kRelaxed, &expected), expected);
}

TEST(SyncEdgeTest, ReleaseReadModifyWriteToAcquireLoad) {
  auto run = [](MemoryOrder rmw, DataRace* expected) {
    Scenario c;
    size_t w1 = c.b.Write(c.one, kX, 8, c.s[1]);
    c.b.Rmw(c.one, c.flag, rmw, c.s[2]);
    c.b.Load(c.two, c.flag, MemoryOrder::kAcquire, 1, c.s[3]);
    size_t r2 = c.b.Read(c.two, kX, 8, c.s[4]);
    *expected = Race(Access(c.two, false, kX, 8, c.x, c.s[4], r2),
                     Access(c.one, true, kX, 8, c.x, c.s[1], w1));
    return Analyze(c.b.trace());
  };
  DataRace expected;
  EXPECT_THAT(run(MemoryOrder::kRelease, &expected), IsEmpty());
  EXPECT_THAT(run(MemoryOrder::kAcquireRelease, &expected), IsEmpty());
  ExpectSingleRace(run(MemoryOrder::kRelaxed, &expected), expected);
}

TEST(SyncEdgeTest, ReleaseStoreToAcquireReadModifyWrite) {
  auto run = [](MemoryOrder rmw, DataRace* expected) {
    Scenario c;
    size_t w1 = c.b.Write(c.one, kX, 8, c.s[1]);
    c.b.Store(c.one, c.flag, MemoryOrder::kRelease, c.s[2]);
    c.b.Rmw(c.two, c.flag, rmw, c.s[3]);
    size_t w2 = c.b.Write(c.two, kX, 8, c.s[4]);
    *expected = Race(Access(c.two, true, kX, 8, c.x, c.s[4], w2),
                     Access(c.one, true, kX, 8, c.x, c.s[1], w1));
    return Analyze(c.b.trace());
  };
  DataRace expected;
  EXPECT_THAT(run(MemoryOrder::kAcquire, &expected), IsEmpty());
  EXPECT_THAT(run(MemoryOrder::kSequentiallyConsistent, &expected), IsEmpty());
  ExpectSingleRace(run(MemoryOrder::kRelease, &expected), expected);  // release only
}

TEST(SyncEdgeTest, FailedCompareExchangeIsALoadWithTheFailureOrder) {
  auto run = [](MemoryOrder failure, DataRace* expected) {
    Scenario c;
    size_t w1 = c.b.Write(c.one, kX, 8, c.s[1]);
    c.b.Store(c.one, c.flag, MemoryOrder::kRelease, c.s[2]);
    c.b.Load(c.two, c.flag, failure, 1, c.s[3], kFailedCompareExchange);
    size_t r2 = c.b.Read(c.two, kX, 8, c.s[4]);
    *expected = Race(Access(c.two, false, kX, 8, c.x, c.s[4], r2),
                     Access(c.one, true, kX, 8, c.x, c.s[1], w1));
    return Analyze(c.b.trace());
  };
  DataRace expected;
  EXPECT_THAT(run(MemoryOrder::kAcquire, &expected), IsEmpty());
  ExpectSingleRace(run(MemoryOrder::kRelaxed, &expected), expected);
}

TEST(SyncEdgeTest, NotifyToWaitEnd) {
  // Without the edge the wait timed out (detail 1): nobody woke it.
  auto run = [](bool edge, DataRace* expected) {
    Scenario c;
    ObjectId cv = c.b.Object(ObjectKind::kConditionVariable, "cv");
    c.b.Unordered(c.two, EventKind::kWaitBegin, cv, c.s[1]);
    size_t w1 = c.b.Write(c.one, kX, 8, c.s[2]);
    c.b.Produce(c.one, EventKind::kNotify, cv, 0, c.s[3]);
    c.b.Observe(c.two, EventKind::kWaitEnd, cv, c.s[1], edge ? 0 : 1);
    size_t r2 = c.b.Read(c.two, kX, 8, c.s[4]);
    *expected = Race(Access(c.two, false, kX, 8, c.x, c.s[4], r2),
                     Access(c.one, true, kX, 8, c.x, c.s[2], w1));
    return Analyze(c.b.trace());
  };
  DataRace expected;
  EXPECT_THAT(run(true, &expected), IsEmpty());
  ExpectSingleRace(run(false, &expected), expected);
}

// Producer -> observer edges of the other primitives: with the observer event, no race;
// without it, the read races with the write.
struct SignalCase {
  const char* name;
  ObjectKind kind;
  EventKind producer;
  EventKind observer;
};

class SignalEdgeTest : public ::testing::TestWithParam<SignalCase> {};

TEST_P(SignalEdgeTest, ProducerToObserver) {
  const SignalCase& param = GetParam();
  auto run = [&](bool edge, DataRace* expected) {
    Scenario c;
    ObjectId object = c.b.Object(param.kind, param.name);
    size_t w1 = c.b.Write(c.one, kX, 8, c.s[1]);
    c.b.Produce(c.one, param.producer, object, 0, c.s[2]);
    if (edge) c.b.Observe(c.two, param.observer, object, c.s[3]);
    size_t r2 = c.b.Read(c.two, kX, 8, c.s[4]);
    *expected = Race(Access(c.two, false, kX, 8, c.x, c.s[4], r2),
                     Access(c.one, true, kX, 8, c.x, c.s[1], w1));
    return Analyze(c.b.trace());
  };
  DataRace expected;
  EXPECT_THAT(run(true, &expected), IsEmpty());
  ExpectSingleRace(run(false, &expected), expected);
}

INSTANTIATE_TEST_SUITE_P(
    Primitives, SignalEdgeTest,
    ::testing::Values(
        SignalCase{"promise", ObjectKind::kPromise, EventKind::kPromiseSet, EventKind::kFutureGet},
        SignalCase{"latch", ObjectKind::kLatch, EventKind::kArrive, EventKind::kDepart},
        SignalCase{"barrier", ObjectKind::kBarrier, EventKind::kArrive, EventKind::kDepart},
        SignalCase{"semaphore", ObjectKind::kSemaphore, EventKind::kSemaphoreRelease,
                   EventKind::kSemaphoreAcquire},
        SignalCase{"once", ObjectKind::kOnceFlag, EventKind::kOnceDone, EventKind::kOnceWait}),
    [](const ::testing::TestParamInfo<SignalCase>& info) { return std::string(info.param.name); });

TEST(SyncEdgeTest, BarrierDepartureAcquiresEveryArrivalOfItsPhase) {
  auto run = [](bool edge, DataRace* expected) {
    Scenario c;
    ObjectId barrier = c.b.Object(ObjectKind::kBarrier, "barrier");
    size_t w1 = c.b.Write(c.one, kX, 4, c.s[1]);
    size_t w2 = c.b.Write(c.two, kX + 4, 4, c.s[2]);
    c.b.Produce(c.one, EventKind::kArrive, barrier, 0, c.s[3]);
    c.b.Produce(c.two, EventKind::kArrive, barrier, 0, c.s[3]);
    c.b.Observe(c.two, EventKind::kDepart, barrier, c.s[3]);
    if (edge) c.b.Observe(c.one, EventKind::kDepart, barrier, c.s[3]);
    size_t r1 = c.b.Read(c.one, kX + 4, 4, c.s[4]);  // the other thread's half
    c.b.Read(c.two, kX, 4, c.s[5]);
    *expected = Race(Access(c.one, false, kX + 4, 4, c.x, c.s[4], r1),
                     Access(c.two, true, kX + 4, 4, c.x, c.s[2], w2));
    (void)w1;
    return Analyze(c.b.trace());
  };
  DataRace expected;
  EXPECT_THAT(run(true, &expected), IsEmpty());
  ExpectSingleRace(run(false, &expected), expected);
}

// ---- Refused and failed operations make no edge. ----

TEST(NoEdgeTest, FailedTryLock) {
  auto run = [](bool acquired, DataRace* expected) {
    Scenario c;
    ObjectId m = c.b.Object(ObjectKind::kMutex, "m");
    c.b.Lock(c.one, m, c.s[1]);
    size_t w1 = c.b.Write(c.one, kX, 8, c.s[2]);
    c.b.Unlock(c.one, m, c.s[3]);
    if (acquired) {
      c.b.Lock(c.two, m, c.s[4], lock_detail::kTry);
    } else {
      c.b.Unordered(c.two, EventKind::kTryLockFailed, m, c.s[4]);
    }
    size_t r2 = c.b.Read(c.two, kX, 8, c.s[5]);
    *expected = Race(Access(c.two, false, kX, 8, c.x, c.s[5], r2),
                     Access(c.one, true, kX, 8, c.x, c.s[2], w1, {HeldLock{m, false, c.s[1]}}));
    return Analyze(c.b.trace());
  };
  DataRace expected;
  EXPECT_THAT(run(true, &expected), IsEmpty());
  ExpectSingleRace(run(false, &expected), expected);
}

TEST(NoEdgeTest, RefusedLock) {
  auto run = [](bool refused, DataRace* expected) {
    Scenario c;
    ObjectId m = c.b.Object(ObjectKind::kMutex, "m");
    c.b.Lock(c.one, m, c.s[1]);
    size_t w1 = c.b.Write(c.one, kX, 8, c.s[2]);
    c.b.Unlock(c.one, m, c.s[3]);
    if (refused) {
      c.b.Unordered(c.two, EventKind::kLockRefused, m, c.s[4]);
    } else {
      c.b.Lock(c.two, m, c.s[4]);
    }
    size_t r2 = c.b.Read(c.two, kX, 8, c.s[5]);
    *expected = Race(Access(c.two, false, kX, 8, c.x, c.s[5], r2),
                     Access(c.one, true, kX, 8, c.x, c.s[2], w1, {HeldLock{m, false, c.s[1]}}));
    return Analyze(c.b.trace());
  };
  DataRace expected;
  EXPECT_THAT(run(false, &expected), IsEmpty());
  ExpectSingleRace(run(true, &expected), expected);
}

TEST(NoEdgeTest, RefusedUnlock) {
  // Thread one's unlock is refused, so it still holds m (in the held set) and released
  // nothing; thread two's lock of m acquires nothing from it.
  auto run = [](bool refused, DataRace* expected) {
    Scenario c;
    ObjectId m = c.b.Object(ObjectKind::kMutex, "m");
    c.b.Lock(c.one, m, c.s[1]);
    size_t w1 = c.b.Write(c.one, kX, 8, c.s[2]);
    if (refused) {
      c.b.Unordered(c.one, EventKind::kUnlockRefused, m, c.s[3]);
    } else {
      c.b.Unlock(c.one, m, c.s[3]);
    }
    c.b.Lock(c.two, m, c.s[4]);
    size_t r2 = c.b.Read(c.two, kX, 8, c.s[5]);
    *expected = Race(Access(c.two, false, kX, 8, c.x, c.s[5], r2, {HeldLock{m, false, c.s[4]}}),
                     Access(c.one, true, kX, 8, c.x, c.s[2], w1, {HeldLock{m, false, c.s[1]}}));
    return Analyze(c.b.trace());
  };
  DataRace expected;
  EXPECT_THAT(run(false, &expected), IsEmpty());
  ExpectSingleRace(run(true, &expected), expected);
}

// ---- Release sequences and versions. ----

TEST(ReleaseSequenceTest, ContinuesThroughRelaxedReadModifyWrite) {
  // one: x = ..; flag.store(release)   two: flag.fetch_add(relaxed)
  // three: flag.load(acquire) reads two's RMW, which continues one's release sequence.
  // Replace the RMW by a relaxed store and the sequence ends: the read races.
  auto run = [](bool rmw, DataRace* expected) {
    Scenario c;
    size_t w1 = c.b.Write(c.one, kX, 8, c.s[1]);
    c.b.Store(c.one, c.flag, MemoryOrder::kRelease, c.s[2]);
    if (rmw) {
      c.b.Rmw(c.two, c.flag, MemoryOrder::kRelaxed, c.s[3]);
    } else {
      c.b.Store(c.two, c.flag, MemoryOrder::kRelaxed, c.s[3]);
    }
    c.b.Load(c.three, c.flag, MemoryOrder::kAcquire, 2, c.s[4]);
    size_t r3 = c.b.Read(c.three, kX, 8, c.s[5]);
    *expected = Race(Access(c.three, false, kX, 8, c.x, c.s[5], r3),
                     Access(c.one, true, kX, 8, c.x, c.s[1], w1));
    return Analyze(c.b.trace());
  };
  DataRace expected;
  EXPECT_THAT(run(true, &expected), IsEmpty());
  ExpectSingleRace(run(false, &expected), expected);
}

TEST(ReleaseSequenceTest, ReleaseReadModifyWriteJoinsTheSequence) {
  // one publishes x (release store), two publishes y (release RMW): an acquire of the
  // RMW sees both. After a release *store* by two, only y is published.
  auto run = [](bool rmw, DataRace* expected) {
    Scenario c;
    size_t w1 = c.b.Write(c.one, kX, 8, c.s[1]);
    c.b.Store(c.one, c.flag, MemoryOrder::kRelease, c.s[2]);
    c.b.Write(c.two, kY, 8, c.s[3]);
    if (rmw) {
      c.b.Rmw(c.two, c.flag, MemoryOrder::kRelease, c.s[4]);
    } else {
      c.b.Store(c.two, c.flag, MemoryOrder::kRelease, c.s[4]);
    }
    c.b.Load(c.three, c.flag, MemoryOrder::kAcquire, 2, c.s[5]);
    c.b.Read(c.three, kY, 8, c.s[6]);
    size_t r3 = c.b.Read(c.three, kX, 8, c.s[7]);
    *expected = Race(Access(c.three, false, kX, 8, c.x, c.s[7], r3),
                     Access(c.one, true, kX, 8, c.x, c.s[1], w1));
    return Analyze(c.b.trace());
  };
  DataRace expected;
  EXPECT_THAT(run(true, &expected), IsEmpty());
  ExpectSingleRace(run(false, &expected), expected);
}

TEST(VersionTest, LoadOfAnOlderVersionMergedAfterALaterStore) {
  // one: x = ..; flag.store(1, release); y = ..; flag.store(2, release)
  // two: flag.load(acquire) reads version 1, but the merge placed it after version 2.
  // It acquires version 1's clock: x is published to it, y is not.
  Scenario c;
  c.b.Write(c.one, kX, 8, c.s[1]);
  c.b.Store(c.one, c.flag, MemoryOrder::kRelease, c.s[2]);
  size_t wy = c.b.Write(c.one, kY, 8, c.s[3]);
  c.b.Store(c.one, c.flag, MemoryOrder::kRelease, c.s[4]);
  c.b.Load(c.two, c.flag, MemoryOrder::kAcquire, 1, c.s[5]);
  c.b.Read(c.two, kX, 8, c.s[6]);
  size_t ry = c.b.Read(c.two, kY, 8, c.s[7]);
  ExpectSingleRace(Analyze(c.b.trace()), Race(Access(c.two, false, kY, 8, c.y, c.s[7], ry),
                                              Access(c.one, true, kY, 8, c.y, c.s[3], wy)));
}

TEST(VersionTest, DeepStaleLoadNeedsThePlanOrADeepHistory) {
  // Version 1 published x; 20 more release stores were merged before the load of
  // version 1. FindDataRaces (planned) keeps exactly that clock; streaming with the
  // default 16-deep history acquires nothing and reports a (false) race, counted as a
  // history miss; a 32-deep history finds none.
  Scenario c;
  size_t w1 = c.b.Write(c.one, kX, 8, c.s[1]);
  c.b.Store(c.one, c.flag, MemoryOrder::kRelease, c.s[2]);
  for (int i = 0; i < 20; ++i) c.b.Store(c.one, c.flag, MemoryOrder::kRelease, c.s[3]);
  c.b.Load(c.two, c.flag, MemoryOrder::kAcquire, 1, c.s[4]);
  size_t r2 = c.b.Read(c.two, kX, 8, c.s[5]);
  const Trace& trace = c.b.trace();

  EXPECT_THAT(FindDataRaces(trace), IsEmpty());

  RaceDetector shallow(trace);
  for (const Event& e : trace.events()) shallow.Process(e);
  EXPECT_EQ(shallow.history_misses(), 1u);
  ExpectSingleRace(shallow.TakeFindings(), Race(Access(c.two, false, kX, 8, c.x, c.s[5], r2),
                                                Access(c.one, true, kX, 8, c.x, c.s[1], w1)));

  EXPECT_THAT(Analyze(trace, 32), IsEmpty());

  ObservationPlan plan;
  for (const Event& e : trace.events()) plan.Add(e);
  EXPECT_EQ(plan.stale_observations(), 1u);
}

TEST(VersionTest, RelaxedReadModifyWritesDoNotUseUpTheHistory) {
  // A release store, then 40 relaxed RMWs: all versions share one clock, so a stale
  // acquire of version 5 still finds it in a 16-deep history.
  Scenario c;
  c.b.Write(c.one, kX, 8, c.s[1]);
  c.b.Store(c.one, c.flag, MemoryOrder::kRelease, c.s[2]);
  for (int i = 0; i < 40; ++i) c.b.Rmw(c.two, c.flag, MemoryOrder::kRelaxed, c.s[3]);
  c.b.Load(c.three, c.flag, MemoryOrder::kAcquire, 5, c.s[4]);
  c.b.Read(c.three, kX, 8, c.s[5]);
  EXPECT_THAT(Analyze(c.b.trace(), 16), IsEmpty());
}

TEST(VersionTest, LoadOfTheInitialValueAcquiresNothing) {
  Scenario c;
  size_t w1 = c.b.Write(c.one, kX, 8, c.s[1]);
  c.b.Store(c.one, c.flag, MemoryOrder::kRelease, c.s[2]);
  c.b.Load(c.two, c.flag, MemoryOrder::kAcquire, 0, c.s[3]);  // read the initial value
  size_t r2 = c.b.Read(c.two, kX, 8, c.s[4]);
  ExpectSingleRace(Analyze(c.b.trace()), Race(Access(c.two, false, kX, 8, c.x, c.s[4], r2),
                                              Access(c.one, true, kX, 8, c.x, c.s[1], w1)));
}

// ---- Atomic accesses versus plain ones. ----

TEST(AtomicAccessTest, AtomicStoreVersusPlainWriteRaces) {
  Scenario c;
  size_t st = c.b.Store(c.one, c.a, MemoryOrder::kRelaxed, c.s[1]);
  size_t w2 = c.b.Write(c.two, kA, 4, c.s[2]);  // e.g. memset over the atomic
  ExpectSingleRace(Analyze(c.b.trace()),
                   Race(Access(c.two, true, kA, 4, c.a, c.s[2], w2),
                        Access(c.one, true, kA, 4, c.a, c.s[1], st, {}, /*is_atomic=*/true)));
}

TEST(AtomicAccessTest, PlainWriteVersusAtomicLoadRaces) {
  Scenario c;
  size_t w1 = c.b.Write(c.one, kA + 2, 2, c.s[1]);  // overlaps the atomic's upper half
  size_t ld = c.b.Load(c.two, c.a, MemoryOrder::kSequentiallyConsistent, 0, c.s[2]);
  ExpectSingleRace(Analyze(c.b.trace()),
                   Race(Access(c.two, false, kA, 4, c.a, c.s[2], ld, {}, /*is_atomic=*/true),
                        Access(c.one, true, kA + 2, 2, c.a, c.s[1], w1)));
}

TEST(AtomicAccessTest, PlainReadVersusAtomicReadModifyWriteRaces) {
  Scenario c;
  size_t r1 = c.b.Read(c.one, kA, 4, c.s[1]);
  size_t rmw = c.b.Rmw(c.two, c.a, MemoryOrder::kAcquireRelease, c.s[2]);
  ExpectSingleRace(Analyze(c.b.trace()),
                   Race(Access(c.two, true, kA, 4, c.a, c.s[2], rmw, {}, /*is_atomic=*/true),
                        Access(c.one, false, kA, 4, c.a, c.s[1], r1)));
}

TEST(AtomicAccessTest, AtomicVersusAtomicNeverRaces) {
  Scenario c;
  c.b.Store(c.one, c.a, MemoryOrder::kRelaxed, c.s[1]);
  c.b.Store(c.two, c.a, MemoryOrder::kRelaxed, c.s[2]);
  c.b.Rmw(c.three, c.a, MemoryOrder::kRelaxed, c.s[3]);
  c.b.Load(c.one, c.a, MemoryOrder::kRelaxed, 3, c.s[4]);
  c.b.Load(c.main, c.a, MemoryOrder::kRelaxed, 2, c.s[5]);
  EXPECT_THAT(Analyze(c.b.trace()), IsEmpty());
}

TEST(AtomicAccessTest, PlainReadsVersusAtomicLoadsNeverRace) {
  Scenario c;
  c.b.Read(c.one, kA, 4, c.s[1]);
  c.b.Load(c.two, c.a, MemoryOrder::kRelaxed, 0, c.s[2]);
  c.b.Read(c.three, kA, 4, c.s[3]);
  EXPECT_THAT(Analyze(c.b.trace()), IsEmpty());
}

TEST(AtomicAccessTest, ConcurrentAtomicWritesAreAllRemembered) {
  // Two unordered relaxed stores, then a plain write ordered after only the second one
  // (two's release store of flag): it still races with the first.
  Scenario c;
  size_t st1 = c.b.Store(c.one, c.a, MemoryOrder::kRelaxed, c.s[1]);
  c.b.Store(c.two, c.a, MemoryOrder::kRelaxed, c.s[2]);
  c.b.Store(c.two, c.flag, MemoryOrder::kRelease, c.s[3]);
  c.b.Load(c.three, c.flag, MemoryOrder::kAcquire, 1, c.s[4]);
  size_t w3 = c.b.Write(c.three, kA, 4, c.s[5]);
  ExpectSingleRace(Analyze(c.b.trace()),
                   Race(Access(c.three, true, kA, 4, c.a, c.s[5], w3),
                        Access(c.one, true, kA, 4, c.a, c.s[1], st1, {}, true)));
}

// ---- Byte precision. ----

TEST(BytePrecisionTest, DisjointBytesNeverRace) {
  // Two threads writing adjacent ints of one array; then one of them reads its own.
  Scenario c;
  ObjectId array = c.b.Object(ObjectKind::kMemory, "array", 0x3000, 16);
  for (int i = 0; i < 3; ++i) {
    c.b.Write(c.one, 0x3000, 4, c.s[1]);
    c.b.Write(c.two, 0x3004, 4, c.s[2]);
    c.b.Write(c.three, 0x3008, 8, c.s[3]);
  }
  c.b.Read(c.one, 0x3000, 4, c.s[4]);
  c.b.Read(c.one, 0x2ffc, 4, c.s[5]);  // the bytes just before the array
  (void)array;
  EXPECT_THAT(Analyze(c.b.trace()), IsEmpty());
}

TEST(BytePrecisionTest, OverlappingBytesRace) {
  Scenario c;
  ObjectId array = c.b.Object(ObjectKind::kMemory, "array", 0x3000, 16);
  size_t w1 = c.b.Write(c.one, 0x3000, 4, c.s[1]);
  size_t w2 = c.b.Write(c.two, 0x3003, 4, c.s[2]);  // shares byte 0x3003 only
  ExpectSingleRace(Analyze(c.b.trace()), Race(Access(c.two, true, 0x3003, 4, array, c.s[2], w2),
                                              Access(c.one, true, 0x3000, 4, array, c.s[1], w1)));
}

TEST(BytePrecisionTest, AccessSpanningGranulesAndLargeAccesses) {
  // A 100-byte write (not inside any object) then a 1-byte read at its end.
  Scenario c;
  size_t w1 = c.b.Write(c.one, 0x4005, 100, c.s[1]);
  c.b.Read(c.two, 0x4005 + 100, 1, c.s[2]);  // just past it: no race
  size_t r2 = c.b.Read(c.two, 0x4005 + 99, 1, c.s[3]);
  ExpectSingleRace(Analyze(c.b.trace()),
                   Race(Access(c.two, false, 0x4005 + 99, 1, kNoObject, c.s[3], r2),
                        Access(c.one, true, 0x4005, 100, kNoObject, c.s[1], w1)));
}

// ---- Read-shared state, shared locks, dedup, reuse. ----

TEST(ReadSharedTest, WriteRacesWithEveryUnorderedRead) {
  Scenario c;
  size_t r1 = c.b.Read(c.one, kX, 8, c.s[1]);
  size_t r2 = c.b.Read(c.two, kX, 8, c.s[2]);
  size_t w3 = c.b.Write(c.three, kX, 8, c.s[3]);
  std::vector<Finding> findings = Analyze(c.b.trace());
  ASSERT_THAT(findings, SizeIs(2));
  EXPECT_EQ(RaceOf(findings[0]), Race(Access(c.three, true, kX, 8, c.x, c.s[3], w3),
                                      Access(c.one, false, kX, 8, c.x, c.s[1], r1)));
  EXPECT_EQ(RaceOf(findings[1]), Race(Access(c.three, true, kX, 8, c.x, c.s[3], w3),
                                      Access(c.two, false, kX, 8, c.x, c.s[2], r2)));
}

TEST(ReadSharedTest, SameEpochWriteAfterAnotherThreadsReadStillRaces) {
  // one writes x, two reads it (race s1/s2), one writes again in the same epoch: plain
  // FastTrack skips that write (W == E); it races with two's read, a new pair s2/s3.
  Scenario c;
  size_t w1 = c.b.Write(c.one, kX, 8, c.s[1]);
  size_t r2 = c.b.Read(c.two, kX, 8, c.s[2]);
  size_t w3 = c.b.Write(c.one, kX, 8, c.s[3]);
  std::vector<Finding> findings = Analyze(c.b.trace());
  ASSERT_THAT(findings, SizeIs(2));
  EXPECT_EQ(RaceOf(findings[0]), Race(Access(c.two, false, kX, 8, c.x, c.s[2], r2),
                                      Access(c.one, true, kX, 8, c.x, c.s[1], w1)));
  EXPECT_EQ(RaceOf(findings[1]), Race(Access(c.one, true, kX, 8, c.x, c.s[3], w3),
                                      Access(c.two, false, kX, 8, c.x, c.s[2], r2)));
}

TEST(ReadSharedTest, WriteOrderedAfterAllReadsDoesNotRace) {
  Scenario c;
  ObjectId m = c.b.Object(ObjectKind::kMutex, "m");
  for (ThreadId t : {c.one, c.two, c.three}) {
    c.b.Lock(t, m, c.s[1]);
    c.b.Read(t, kX, 8, c.s[2]);
    c.b.Unlock(t, m, c.s[3]);
  }
  c.b.Lock(c.main, m, c.s[4]);
  c.b.Write(c.main, kX, 8, c.s[5]);
  c.b.Unlock(c.main, m, c.s[6]);
  EXPECT_THAT(Analyze(c.b.trace()), IsEmpty());
}

TEST(SharedLockTest, ReadersWritingUnderASharedLockRace) {
  Scenario c;
  ObjectId rw = c.b.Object(ObjectKind::kSharedMutex, "rw");
  c.b.LockShared(c.one, rw, c.s[1]);
  c.b.LockShared(c.two, rw, c.s[2]);
  size_t w1 = c.b.Write(c.one, kX, 8, c.s[3]);
  size_t w2 = c.b.Write(c.two, kX, 8, c.s[4]);
  c.b.UnlockShared(c.one, rw, c.s[5]);
  c.b.UnlockShared(c.two, rw, c.s[6]);
  ExpectSingleRace(Analyze(c.b.trace()),
                   Race(Access(c.two, true, kX, 8, c.x, c.s[4], w2, {HeldLock{rw, true, c.s[2]}}),
                        Access(c.one, true, kX, 8, c.x, c.s[3], w1, {HeldLock{rw, true, c.s[1]}})));
}

TEST(DedupTest, SamePairOfSitesCountsInsteadOfRepeating) {
  Scenario c;
  size_t w1 = c.b.Write(c.one, kX, 8, c.s[1]);
  size_t w2 = c.b.Write(c.two, kX, 8, c.s[2]);   // races with s1
  c.b.Write(c.one, kX, 8, c.s[1]);               // s1 vs s2 again (the other way round)
  c.b.Write(c.two, kX, 8, c.s[2]);               // and again
  size_t r3 = c.b.Read(c.three, kX, 8, c.s[3]);  // a new pair: s3 vs s2
  std::vector<Finding> findings = Analyze(c.b.trace());
  ASSERT_THAT(findings, SizeIs(2));
  EXPECT_EQ(RaceOf(findings[0]), Race(Access(c.two, true, kX, 8, c.x, c.s[2], w2),
                                      Access(c.one, true, kX, 8, c.x, c.s[1], w1)));
  EXPECT_EQ(findings[0].count, 3u);
  EXPECT_EQ(RaceOf(findings[1]), Race(Access(c.three, false, kX, 8, c.x, c.s[3], r3),
                                      Access(c.two, true, kX, 8, c.x, c.s[2], w2 + 2)));
  EXPECT_EQ(findings[1].count, 1u);
}

TEST(MemoryReuseTest, DestroyAndCreateForgetTheOldAccesses) {
  // Object `old` at 0x5000 is destroyed and `fresh` created at the same address by
  // another thread (the allocator's own synchronization is not recorded). Without the
  // lifetime events the two writes race.
  auto run = [](bool reuse, DataRace* expected) {
    Scenario c;
    ObjectId old_object = c.b.Object(ObjectKind::kSharedVariable, "old", 0x5000, 8);
    ObjectId fresh = c.b.Object(ObjectKind::kSharedVariable, "fresh", 0x5000, 8);
    c.b.Unordered(c.one, EventKind::kObjectCreate, old_object, c.s[1]);
    size_t w1 = c.b.Write(c.one, 0x5000, 8, c.s[2]);
    if (reuse) {
      c.b.Unordered(c.one, EventKind::kObjectDestroy, old_object, c.s[1]);
      c.b.Unordered(c.two, EventKind::kObjectCreate, fresh, c.s[3]);
    }
    size_t w2 = c.b.Write(c.two, 0x5000, 8, c.s[4]);
    // Without reuse `old` is live and `fresh` never created: both accesses are to old.
    *expected = Race(Access(c.two, true, 0x5000, 8, old_object, c.s[4], w2),
                     Access(c.one, true, 0x5000, 8, old_object, c.s[2], w1));
    return Analyze(c.b.trace());
  };
  DataRace expected;
  EXPECT_THAT(run(true, &expected), IsEmpty());
  ExpectSingleRace(run(false, &expected), expected);
}

TEST(MemoryReuseTest, RacesAfterReuseNameTheLiveObject) {
  // After reuse, a new race on the address names the live object.
  Scenario c;
  ObjectId first = c.b.Object(ObjectKind::kSharedVariable, "first", 0x6000, 8);
  ObjectId second = c.b.Object(ObjectKind::kSharedVariable, "second", 0x6000, 8);
  c.b.Unordered(c.one, EventKind::kObjectCreate, first, c.s[1]);
  c.b.Write(c.one, 0x6000, 8, c.s[2]);
  c.b.Unordered(c.one, EventKind::kObjectDestroy, first, c.s[1]);
  c.b.Unordered(c.two, EventKind::kObjectCreate, second, c.s[3]);
  size_t w2 = c.b.Write(c.two, 0x6000, 8, c.s[4]);
  size_t r3 = c.b.Read(c.three, 0x6000, 8, c.s[5]);
  ExpectSingleRace(Analyze(c.b.trace()), Race(Access(c.three, false, 0x6000, 8, second, c.s[5], r3),
                                              Access(c.two, true, 0x6000, 8, second, c.s[4], w2)));
}

// ---- Randomized: against a brute-force check of every pair of accesses. ----

// Random merged traces over 4 threads: plain accesses of 1..8 bytes at any offset in
// [0x100, 0x120), a mutex, an atomic at [0x110, 0x114) (release / acquire / relaxed
// stores, loads of the newest version, RMWs), and a shared object at [0x118, 0x120) that
// is destroyed and re-created now and then. Every event has its own site, so nothing is
// deduplicated. The brute force computes each event's vector clock with the same edge
// rules and compares every pair. Checked: every reported pair is a real race, and for
// every byte the first access racing on it (FastTrack is exact up to a variable's
// first race) is reported.
struct RandomTrace {
  Trace trace;
  std::vector<std::vector<uint32_t>> clocks;  // per event: its thread's clock there
};

RandomTrace MakeRandomTrace(uint32_t seed) {
  constexpr int kThreadCount = 4;
  uint64_t state = seed * 0x9e3779b97f4a7c15ull + 1;
  auto next = [&](uint32_t n) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return static_cast<uint32_t>(state % n);
  };
  RandomTrace out;
  TraceBuilder b;
  for (int t = 0; t < kThreadCount; ++t) b.Thread("t");
  ObjectId m = b.Object(ObjectKind::kMutex, "m");
  ObjectId atomic = b.Object(ObjectKind::kAtomic, "a", 0x110, 4);
  ObjectId shared = b.Object(ObjectKind::kSharedVariable, "s", 0x118, 8);
  const MemoryOrder kOrders[] = {MemoryOrder::kRelaxed, MemoryOrder::kAcquire,
                                 MemoryOrder::kRelease, MemoryOrder::kAcquireRelease,
                                 MemoryOrder::kSequentiallyConsistent};
  // The reference clocks.
  std::vector<VectorClock> thread_clock;
  for (int t = 0; t < kThreadCount; ++t) {
    thread_clock.push_back(VectorClock::ForThread(static_cast<ThreadId>(t), kThreadCount));
  }
  VectorClock mutex_clock(kThreadCount);
  VectorClock atomic_clock(kThreadCount);
  ThreadId holder = kNoThread;
  uint32_t version = 0;
  int events = 40 + static_cast<int>(next(160));
  auto snapshot = [&](ThreadId t) {
    std::vector<uint32_t> c(kThreadCount);
    for (int u = 0; u < kThreadCount; ++u) c[u] = thread_clock[t].Get(static_cast<ThreadId>(u));
    out.clocks.push_back(c);
  };
  for (int i = 0; i < events; ++i) {
    ThreadId t = static_cast<ThreadId>(next(kThreadCount));
    SiteId site = b.Site(static_cast<uint32_t>(i));
    VectorClock& c = thread_clock[t];
    uint32_t what = next(100);
    if (what < 55) {
      uint64_t size = 1 + next(8);
      uint64_t address = 0x100 + next(static_cast<uint32_t>(0x20 - size + 1));
      if (next(2) == 0) {  // half are whole aligned granules, as most variables are
        size = 8;
        address = 0x100 + 8 * next(4);
      }
      snapshot(t);
      if (next(2) == 0) {
        b.Write(t, address, size, site);
      } else {
        b.Read(t, address, size, site);
      }
    } else if (what < 70) {
      if (holder == kNoThread) {
        snapshot(t);  // a lock has no access: its snapshot is never used
        c.Join(mutex_clock);
        holder = t;
        b.Lock(t, m, site);
      } else {
        snapshot(holder);
        mutex_clock.CopyFrom(thread_clock[holder]);
        thread_clock[holder].Increment(holder);
        b.Unlock(holder, m, site);
        holder = kNoThread;
      }
    } else if (what < 90) {
      MemoryOrder order = kOrders[next(5)];
      uint32_t op = next(3);
      bool acquires = order == MemoryOrder::kAcquire || order == MemoryOrder::kAcquireRelease ||
                      order == MemoryOrder::kSequentiallyConsistent;
      bool releases = order == MemoryOrder::kRelease || order == MemoryOrder::kAcquireRelease ||
                      order == MemoryOrder::kSequentiallyConsistent;
      if (op == 0) {  // load of the newest version
        if (acquires) c.Join(atomic_clock);
        snapshot(t);
        b.Load(t, atomic, order, version, site);
      } else if (op == 1) {  // store
        snapshot(t);
        if (releases) {
          atomic_clock.CopyFrom(c);
          c.Increment(t);
        } else {
          atomic_clock.Clear();
        }
        ++version;
        b.Store(t, atomic, order, site);
      } else {  // RMW
        if (acquires) c.Join(atomic_clock);
        snapshot(t);
        if (releases) {
          atomic_clock.Join(c);
          c.Increment(t);
        }
        ++version;
        b.Rmw(t, atomic, order, site);
      }
    } else {
      snapshot(t);
      b.Unordered(t, next(2) == 0 ? EventKind::kObjectDestroy : EventKind::kObjectCreate, shared,
                  site);
    }
  }
  out.trace = b.trace();
  return out;
}

// Bytes an event accesses (empty for non-accesses), and whether atomically.
void AccessedBytes(const Trace& trace, const Event& e, uint64_t* address, uint64_t* size,
                   bool* atomic) {
  *address = 0;
  *size = 0;
  *atomic = false;
  if (IsMemoryAccess(e.kind)) {
    *address = e.address();
    *size = e.access_size();
  } else if (e.kind == EventKind::kAtomicLoad || e.kind == EventKind::kAtomicStore ||
             e.kind == EventKind::kAtomicReadModifyWrite) {
    *address = trace.objects()[e.object()].address;
    *size = trace.objects()[e.object()].size;
    *atomic = true;
  }
}

TEST(RandomizedTest, AgreesWithBruteForce) {
  size_t races_seen = 0;
  for (uint32_t seed = 1; seed <= 600; ++seed) {
    RandomTrace random = MakeRandomTrace(seed);
    const Trace& trace = random.trace;
    const std::vector<Event>& events = trace.events();
    // Brute force: racing pairs (i, j), and per byte the first j racing on it.
    std::vector<std::vector<bool>> racing(events.size(), std::vector<bool>(events.size()));
    absl::flat_hash_map<uint64_t, size_t> first_race;  // byte -> j
    for (size_t j = 0; j < events.size(); ++j) {
      uint64_t aj, sj;
      bool atomic_j;
      AccessedBytes(trace, events[j], &aj, &sj, &atomic_j);
      if (sj == 0) continue;
      bool write_j = events[j].kind == EventKind::kWrite ||
                     events[j].kind == EventKind::kAtomicStore ||
                     events[j].kind == EventKind::kAtomicReadModifyWrite;
      for (size_t i = 0; i < j; ++i) {
        uint64_t ai, si;
        bool atomic_i;
        AccessedBytes(trace, events[i], &ai, &si, &atomic_i);
        if (si == 0 || events[i].thread == events[j].thread || (atomic_i && atomic_j)) continue;
        bool write_i = events[i].kind == EventKind::kWrite ||
                       events[i].kind == EventKind::kAtomicStore ||
                       events[i].kind == EventKind::kAtomicReadModifyWrite;
        if (!write_i && !write_j) continue;
        ThreadId u = events[i].thread;
        if (random.clocks[i][u] <= random.clocks[j][u]) continue;  // ordered
        for (uint64_t byte = std::max(ai, aj); byte < std::min(ai + si, aj + sj); ++byte) {
          bool reset = false;  // the shared object was destroyed / created in between
          for (size_t k = i + 1; k < j && byte >= 0x118; ++k) {
            reset |= events[k].kind == EventKind::kObjectCreate ||
                     events[k].kind == EventKind::kObjectDestroy;
          }
          if (reset) continue;
          racing[i][j] = true;
          first_race.try_emplace(byte, j);
        }
      }
    }
    std::vector<Finding> findings = Analyze(trace);
    absl::flat_hash_map<size_t, bool> reported_at;
    for (const Finding& f : findings) {
      const DataRace& race = RaceOf(f);
      EXPECT_TRUE(racing[race.previous.event_index][race.current.event_index])
          << "seed " << seed << ": false race " << race.previous.event_index << " / "
          << race.current.event_index;
      reported_at[race.current.event_index] = true;
    }
    for (const auto& [byte, j] : first_race) {
      EXPECT_TRUE(reported_at.contains(j))
          << "seed " << seed << ": first race on byte 0x" << std::hex << byte << std::dec
          << " at event " << j << " not reported";
    }
    races_seen += findings.size();
    if (HasFailure()) break;
  }
  EXPECT_GT(races_seen, 100u);  // the generator does produce races
}

// ---- Streaming API. ----

TEST(StreamingTest, ProcessOneByOneAndTakeFindings) {
  Scenario c;
  ObjectId m = c.b.Object(ObjectKind::kMutex, "m");
  c.b.Lock(c.one, m, c.s[1]);
  size_t w1 = c.b.Write(c.one, kX, 8, c.s[2]);
  c.b.Unlock(c.one, m, c.s[3]);
  size_t r2 = c.b.Read(c.two, kX, 8, c.s[4]);
  c.b.Write(c.two, kY, 8, c.s[5]);
  const Trace& trace = c.b.trace();

  RaceDetector detector(trace);
  for (size_t i = 0; i <= r2; ++i) detector.Process(trace.events()[i]);
  ASSERT_THAT(detector.findings(), SizeIs(1));
  std::vector<Finding> taken = detector.TakeFindings();
  ExpectSingleRace(taken,
                   Race(Access(c.two, false, kX, 8, c.x, c.s[4], r2),
                        Access(c.one, true, kX, 8, c.x, c.s[2], w1, {HeldLock{m, false, c.s[1]}})));
  EXPECT_THAT(detector.findings(), IsEmpty());
  for (size_t i = r2 + 1; i < trace.events().size(); ++i) detector.Process(trace.events()[i]);
  EXPECT_THAT(detector.TakeFindings(), IsEmpty());
  EXPECT_EQ(detector.events_processed(), trace.events().size());
  EXPECT_EQ(detector.history_misses(), 0u);
}

TEST(StreamingTest, EmptyTrace) {
  Trace trace;
  EXPECT_THAT(FindDataRaces(trace), IsEmpty());
}

}  // namespace
}  // namespace harness
