// tests/trace/trace_test.cc: Trace building, Trace::Validate() and the readable labels.
#include "harness/trace/trace.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "harness/trace/event.h"

namespace harness {
namespace {

// Two threads, a mutex, an atomic, two sites, and a few events: all valid.
Trace SmallTrace() {
  Trace trace;
  SiteId bank = trace.AddSite({.file = "src/bank/bank.cc", .function = "Transfer", .line = 21,
                               .column = 5, .stack = {0x401000, 0x402000}});
  SiteId main_site = trace.AddSite({.file = "main.cc", .function = "main", .line = 3, .stack = {}});
  ObjectId main_thread_object = trace.AddObject({.kind = ObjectKind::kThread, .name = "main"});
  ThreadId main_thread = trace.AddThread({.name = "main", .object = main_thread_object});
  ObjectId worker_object =
      trace.AddObject({.kind = ObjectKind::kThread, .name = "", .creation_site = main_site,
                       .creator = main_thread});
  trace.AddThread({.name = "worker-1", .parent = main_thread, .creation_site = main_site,
                   .object = worker_object});
  ObjectId accounts = trace.AddObject({.kind = ObjectKind::kMutex, .name = "accounts",
                                       .address = 0x7000, .size = 40,
                                       .creation_site = bank, .creator = main_thread});
  trace.AddObject({.kind = ObjectKind::kAtomic, .name = "", .address = 0x7100, .size = 8});
  Event lock = Event::Sync(EventKind::kLock, 0, bank, accounts, 5);
  lock.thread = 1;
  trace.AddEvent(lock);
  Event read = Event::Access(EventKind::kRead, main_site, 0x7100, 4);
  read.thread = 0;
  trace.AddEvent(read);
  return trace;
}

TEST(TraceTest, AddersReturnDenseIds) {
  Trace trace;
  EXPECT_EQ(trace.AddSite({.file = "a.cc", .function = "", .stack = {}}), 0u);
  EXPECT_EQ(trace.AddSite({.file = "b.cc", .function = "", .stack = {}}), 1u);
  EXPECT_EQ(trace.AddThread({.name = "main"}), 0u);
  EXPECT_EQ(trace.AddThread({.name = "t"}), 1u);
  EXPECT_EQ(trace.AddThread({}), 2u);
  EXPECT_EQ(trace.AddObject({.kind = ObjectKind::kMutex, .name = ""}), 0u);
  EXPECT_EQ(trace.AddObject({.kind = ObjectKind::kAtomic, .name = ""}), 1u);
  trace.AddEvent(Event::Sync(EventKind::kLock, 0, 0, 0, 1));
  trace.mutable_events().push_back(Event::Sync(EventKind::kUnlock, 0, 1, 0, 2));
  trace.set_ordering_gaps(4);

  ASSERT_EQ(trace.sites().size(), 2u);
  EXPECT_EQ(trace.sites()[1].file, "b.cc");
  ASSERT_EQ(trace.threads().size(), 3u);
  EXPECT_EQ(trace.threads()[1].name, "t");
  EXPECT_EQ(trace.threads()[2].parent, kNoThread);
  EXPECT_EQ(trace.threads()[2].creation_site, kNoSite);
  EXPECT_EQ(trace.threads()[2].object, kNoObject);
  ASSERT_EQ(trace.objects().size(), 2u);
  EXPECT_EQ(trace.objects()[1].kind, ObjectKind::kAtomic);
  EXPECT_EQ(trace.objects()[1].creator, kNoThread);
  ASSERT_EQ(trace.events().size(), 2u);
  EXPECT_EQ(trace.events()[1].kind, EventKind::kUnlock);
  EXPECT_EQ(trace.events()[1].sequence(), 2u);
  EXPECT_EQ(trace.ordering_gaps(), 4u);
}

TEST(TraceTest, EqualityComparesEverything) {
  EXPECT_EQ(SmallTrace(), SmallTrace());
  Trace other = SmallTrace();
  other.set_ordering_gaps(1);
  EXPECT_NE(other, SmallTrace());
  other = SmallTrace();
  other.mutable_events()[0].detail = lock_detail::kTry;
  EXPECT_NE(other, SmallTrace());
  other = SmallTrace();
  other.AddSite({});
  EXPECT_NE(other, SmallTrace());
}

TEST(TraceTest, ValidTracePasses) {
  EXPECT_TRUE(Trace().Validate().ok());
  EXPECT_TRUE(SmallTrace().Validate().ok());
}

TEST(TraceTest, SentinelReferencesAreValid) {
  Trace trace;
  trace.AddThread({});  // no parent, site or object
  trace.AddObject({.kind = ObjectKind::kMutex, .name = ""});  // no site, no creator
  Event e = Event::Sync(EventKind::kLock, 0, kNoSite, 0, 1);
  e.thread = 0;
  trace.AddEvent(e);
  // A memory access's payload is an address, not an object.
  Event access = Event::Access(EventKind::kWrite, kNoSite, 0xffffffffffff, 8);
  access.thread = 0;
  trace.AddEvent(access);
  EXPECT_TRUE(trace.Validate().ok()) << trace.Validate();
}

void ExpectInvalid(const Trace& trace, const std::string& message) {
  absl::Status status = trace.Validate();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_EQ(status.message(), message);
}

TEST(TraceTest, ValidateCatchesBadThreadReferences) {
  {
    Trace trace = SmallTrace();
    trace.AddThread({.name = "", .parent = 7});
    ExpectInvalid(trace, "thread 2 refers to a missing parent, site or object");
  }
  {
    Trace trace = SmallTrace();
    trace.AddThread({.name = "", .creation_site = 2});
    ExpectInvalid(trace, "thread 2 refers to a missing parent, site or object");
  }
  {
    Trace trace = SmallTrace();
    trace.AddThread({.name = "", .object = 4});
    ExpectInvalid(trace, "thread 2 refers to a missing parent, site or object");
  }
}

TEST(TraceTest, ValidateCatchesBadObjects) {
  {
    Trace trace = SmallTrace();
    trace.AddObject({.kind = static_cast<ObjectKind>(kObjectKindCount), .name = ""});
    ExpectInvalid(trace, "object 4 has an unknown kind or refers to a missing site or thread");
  }
  {
    Trace trace = SmallTrace();
    trace.AddObject({.kind = ObjectKind::kLatch, .name = "", .creation_site = 2});
    ExpectInvalid(trace, "object 4 has an unknown kind or refers to a missing site or thread");
  }
  {
    Trace trace = SmallTrace();
    trace.AddObject({.kind = ObjectKind::kLatch, .name = "", .creator = 2});
    ExpectInvalid(trace, "object 4 has an unknown kind or refers to a missing site or thread");
  }
}

TEST(TraceTest, ValidateCatchesBadEvents) {
  auto with_event = [](Event e) {
    Trace trace = SmallTrace();
    trace.AddEvent(e);
    return trace;
  };
  Event bad_kind{static_cast<EventKind>(kEventKindCount), 0, 0, kNoSite, 0};
  ExpectInvalid(with_event(bad_kind), absl::StrCat("event 2 has unknown kind ", kEventKindCount));

  Event bad_thread = Event::Sync(EventKind::kUnlock, 0, 0, 2, 6);
  bad_thread.thread = 2;
  ExpectInvalid(with_event(bad_thread), "event 2 refers to missing thread 2");
  bad_thread.thread = kNoThread;  // every placed event belongs to a thread
  ExpectInvalid(with_event(bad_thread), "event 2 refers to missing thread 65535");

  Event bad_site = Event::Sync(EventKind::kUnlock, 0, 2, 2, 6);
  bad_site.thread = 1;
  ExpectInvalid(with_event(bad_site), "event 2 refers to missing site 2");

  Event bad_object = Event::Sync(EventKind::kUnlock, 0, 0, 4, 6);
  bad_object.thread = 1;
  ExpectInvalid(with_event(bad_object), "event 2 refers to missing object 4");
  bad_object.set_object(kNoObject);
  ExpectInvalid(with_event(bad_object), "event 2 refers to missing object 4294967295");
}

TEST(TraceTest, ValidateReportsTheFirstBadEvent) {
  Trace trace = SmallTrace();
  trace.mutable_events()[0].site = 9;
  trace.mutable_events()[1].thread = 9;
  ExpectInvalid(trace, "event 0 refers to missing site 9");
}

TEST(TraceTest, Labels) {
  Trace trace = SmallTrace();
  EXPECT_EQ(trace.ObjectLabel(0), "M0 'main'");
  EXPECT_EQ(trace.ObjectLabel(1), "M1");
  EXPECT_EQ(trace.ObjectLabel(2), "M2 'accounts'");
  EXPECT_EQ(trace.ObjectLabel(9), "M?9");
  EXPECT_EQ(trace.ThreadLabel(0), "T0 'main'");
  EXPECT_EQ(trace.ThreadLabel(1), "T1 'worker-1'");
  EXPECT_EQ(trace.ThreadLabel(5), "T5");
  trace.AddThread({});
  EXPECT_EQ(trace.ThreadLabel(2), "T2");
}

TEST(TraceTest, Describe) {
  Trace trace = SmallTrace();
  // Sync producer: object and sequence; the site's file without its directories.
  EXPECT_EQ(trace.Describe(trace.events()[0]), "T1 'worker-1' lock M2 'accounts' #5 at bank.cc:21");
  // Memory access: size and address.
  EXPECT_EQ(trace.Describe(trace.events()[1]), "T0 'main' read 4 bytes at 0x7100 at main.cc:3");

  // Observer: sequence shown too.
  Event load = Event::Sync(EventKind::kAtomicLoad, static_cast<uint8_t>(MemoryOrder::kAcquire),
                           1, 3, 7);
  load.thread = 0;
  EXPECT_EQ(trace.Describe(load), "T0 'main' atomic_load M3 #7 at main.cc:3");
  // Unordered sync event: no sequence. No site: no location.
  Event failed = Event::Sync(EventKind::kTryLockFailed, 0, kNoSite, 2, 0);
  failed.thread = 1;
  EXPECT_EQ(trace.Describe(failed), "T1 'worker-1' try_lock_failed M2 'accounts'");
  // Dangling references still render.
  Event dangling = Event::Sync(EventKind::kUnlock, 0, 42, 17, 6);
  dangling.thread = 9;
  EXPECT_EQ(trace.Describe(dangling), "T9 unlock M?17 #6");
  Event write = Event::Access(EventKind::kWrite, 0, 0xdeadbeef, 16);
  write.thread = 1;
  EXPECT_EQ(trace.Describe(write), "T1 'worker-1' write 16 bytes at 0xdeadbeef at bank.cc:21");
}

}  // namespace
}  // namespace harness
