// Tests of Shared<T>, RecordRead and RecordWrite: plain accesses carry the address and
// size they touch; compound operators read then write; large accesses are split into
// pieces of at most 65535 bytes.
#include "harness/sync/shared.h"

#include <cstdint>
#include <mutex>
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
using trace_testing::EventsOf;
using trace_testing::EventsOn;
using trace_testing::FindObject;
using trace_testing::FindThread;
using trace_testing::SiteOf;
using trace_testing::StartTestRecording;
using trace_testing::ThreadEvents;

uint64_t Address(const void* p) { return reinterpret_cast<uint64_t>(p); }

TEST(SharedTest, LoadAndStoreRecordAccesses) {
  StartTestRecording();
  Shared<int> x(1, "shared.x"); const uint32_t create_line = __LINE__;
  EXPECT_EQ(x.load(), 1); const uint32_t load_line = __LINE__;
  x.store(2); const uint32_t store_line = __LINE__;
  EXPECT_EQ(x.read(), 2);
  x.write() = 3;
  EXPECT_EQ(x.load(), 3);

  Trace trace = CollectTrace();
  ASSERT_TRUE(trace.Validate().ok());
  ObjectId o = FindObject(trace, "shared.x");
  ASSERT_NE(o, kNoObject);
  const ObjectInfo& info = trace.objects()[o];
  EXPECT_EQ(info.kind, ObjectKind::kSharedVariable);
  EXPECT_EQ(info.size, sizeof(int));
  EXPECT_EQ(info.address, Address(&x));  // the value is Shared's first member
  EXPECT_EQ(SiteOf(trace, info.creation_site).line, create_line);
  EXPECT_THAT(BriefEvents(trace, o),
              ElementsAre("T0 object_create", "T0 read size=4", "T0 write size=4",
                          "T0 read size=4", "T0 write size=4", "T0 read size=4"));
  std::vector<Event> events = EventsOn(trace, o);
  for (size_t i = 1; i < events.size(); ++i) {
    EXPECT_EQ(events[i].address(), info.address);
    EXPECT_EQ(events[i].access_size(), 4u);
    EXPECT_EQ(events[i].thread, 0);
  }
  EXPECT_EQ(SiteOf(trace, events[1].site).line, load_line);
  EXPECT_EQ(SiteOf(trace, events[2].site).line, store_line);
  EXPECT_THAT(SiteOf(trace, events[2].site).stack, IsEmpty());
}

TEST(SharedTest, OperatorsReadThenWrite) {
  StartTestRecording();
  Shared<long> x(10, "shared.operators");
  x += 5;    // read, write
  x -= 1;    // read, write
  ++x;       // read, write
  long old = x++;  // read (load), write (store)
  EXPECT_EQ(old, 15);
  x = 1;     // write
  long v = x;  // read
  EXPECT_EQ(v, 1);
  x *= 6;
  x <<= 1;
  EXPECT_EQ(x.load(), 12);
  Trace trace = CollectTrace();
  ObjectId o = FindObject(trace, "shared.operators");
  EXPECT_THAT(BriefEvents(trace, o),
              ElementsAre("T0 object_create", "T0 read size=8", "T0 write size=8",
                          "T0 read size=8", "T0 write size=8", "T0 read size=8",
                          "T0 write size=8", "T0 read size=8", "T0 write size=8",
                          "T0 write size=8", "T0 read size=8", "T0 read size=8",
                          "T0 write size=8", "T0 read size=8", "T0 write size=8",
                          "T0 read size=8"));
  // Operators cannot take a source_location: their sites carry the caller's stack.
  std::vector<Event> events = EventsOn(trace, o);
  EXPECT_THAT(SiteOf(trace, events[1].site).stack, Not(IsEmpty()));
  EXPECT_THAT(SiteOf(trace, events[9].site).stack, Not(IsEmpty()));
}

TEST(SharedTest, ClassTypesAndCopies) {
  StartTestRecording();
  Shared<std::string> s(std::string("abc"), "shared.string");
  s.write().append("def");
  EXPECT_EQ(s.read(), "abcdef");
  Shared<std::string> copy(s);  // reads s, makes an unnamed variable
  EXPECT_EQ(copy.load(), "abcdef");
  Trace trace = CollectTrace();
  ObjectId o = FindObject(trace, "shared.string");
  EXPECT_EQ(trace.objects()[o].size, sizeof(std::string));
  EXPECT_THAT(BriefEvents(trace, o), ElementsAre("T0 object_create", "T0 write size=32",
                                                 "T0 read size=32", "T0 read size=32"));
  ObjectId c = trace_testing::FindObjectAt(trace, &copy);
  ASSERT_NE(c, kNoObject);
  EXPECT_EQ(trace.objects()[c].name, "");
  EXPECT_THAT(BriefEvents(trace, c), ElementsAre("T0 object_create", "T0 read size=32"));
}

TEST(SharedTest, RecordReadSplitsLargeAccesses) {
  StartTestRecording();
  std::vector<char> buffer(140000);
  RecordRead(buffer.data(), 70000); const uint32_t read_line = __LINE__;
  RecordWrite(buffer.data() + 10, 65535);
  RecordWrite(buffer.data(), 131071);
  RecordRead(buffer.data(), 1);
  Trace trace = CollectTrace();
  std::vector<Event> events = EventsOf(trace, 0);
  ASSERT_EQ(events.size(), 7u);
  const uint64_t base = Address(buffer.data());
  EXPECT_EQ(events[0].kind, EventKind::kRead);
  EXPECT_EQ(events[0].address(), base);
  EXPECT_EQ(events[0].access_size(), 65535u);
  EXPECT_EQ(events[1].kind, EventKind::kRead);
  EXPECT_EQ(events[1].address(), base + 65535);
  EXPECT_EQ(events[1].access_size(), 4465u);
  EXPECT_EQ(SiteOf(trace, events[0].site).line, read_line);
  EXPECT_EQ(events[1].site, events[0].site);
  EXPECT_EQ(events[2].kind, EventKind::kWrite);
  EXPECT_EQ(events[2].address(), base + 10);
  EXPECT_EQ(events[2].access_size(), 65535u);
  EXPECT_EQ(events[3].address(), base);
  EXPECT_EQ(events[3].access_size(), 65535u);
  EXPECT_EQ(events[4].address(), base + 65535);
  EXPECT_EQ(events[4].access_size(), 65535u);
  EXPECT_EQ(events[5].address(), base + 2 * 65535);
  EXPECT_EQ(events[5].access_size(), 1u);
  EXPECT_EQ(events[6].kind, EventKind::kRead);
  EXPECT_EQ(events[6].access_size(), 1u);
}

TEST(SharedTest, AccessesFromSeveralThreadsUnderAMutex) {
  StartTestRecording();
  Mutex mu("shared.guarded.mu");
  Shared<int> total(0, "shared.guarded");
  std::vector<Thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back("shared.guarded." + std::to_string(t), [&] {
      std::lock_guard<Mutex> hold(mu);
      total.store(total.load() + 1);
    });
  }
  for (Thread& t : threads) t.join();
  EXPECT_EQ(total.load(), 2);
  Trace trace = CollectTrace();
  ASSERT_TRUE(trace.Validate().ok());
  EXPECT_EQ(trace.ordering_gaps(), 0u);
  ThreadId t0 = FindThread(trace, "shared.guarded.0");
  ThreadId t1 = FindThread(trace, "shared.guarded.1");
  ASSERT_NE(t0, kNoThread);
  ASSERT_NE(t1, kNoThread);
  for (ThreadId t : {t0, t1}) {
    std::vector<std::string> events = ThreadEvents(trace, t);
    ASSERT_EQ(events.size(), 6u);
    EXPECT_EQ(events[2], "read 'shared.guarded' size=4");
    EXPECT_EQ(events[3], "write 'shared.guarded' size=4");
  }
  std::vector<std::string> on_total = BriefEvents(trace, FindObject(trace, "shared.guarded"));
  ASSERT_EQ(on_total.size(), 6u);
  EXPECT_EQ(on_total.back(), "T0 read size=4");
}

}  // namespace
}  // namespace harness
