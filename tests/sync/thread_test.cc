// Tests of Thread: create / start / end / join events on the thread's object, thread
// names, parents and creation sites in Trace::threads(), unnamed threads, threads made
// outside harness::Thread, detach and move.
#include "harness/sync/thread.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <system_error>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/harness.h"
#include "tests/testing/trace_testing.h"

namespace harness {
namespace {

using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::IsEmpty;
using ::testing::Not;
using trace_testing::BriefEvents;
using trace_testing::EventsOn;
using trace_testing::FindObject;
using trace_testing::FindThread;
using trace_testing::IndexOf;
using trace_testing::SiteOf;
using trace_testing::StartTestRecording;
using trace_testing::ThreadEvents;

TEST(ThreadTest, NamedThreadRecordsCreateStartEndJoin) {
  StartTestRecording();
  Mutex mu("thread.named.mu");
  Thread worker("thread.named", [&] { std::lock_guard<Mutex> hold(mu); }); const uint32_t create_line = __LINE__;
  worker.join(); const uint32_t join_line = __LINE__;

  Trace trace = CollectTrace();
  ASSERT_TRUE(trace.Validate().ok());
  EXPECT_EQ(trace.ordering_gaps(), 0u);
  ASSERT_EQ(trace.threads().size(), 2u);
  const ThreadInfo& main_info = trace.threads()[0];
  EXPECT_EQ(main_info.name, "main");
  EXPECT_EQ(main_info.parent, kNoThread);

  ThreadId w = FindThread(trace, "thread.named");
  ASSERT_EQ(w, 1);
  const ThreadInfo& info = trace.threads()[w];
  EXPECT_EQ(info.parent, 0);
  const SiteInfo& site = SiteOf(trace, info.creation_site);
  EXPECT_EQ(site.line, create_line);
  EXPECT_THAT(site.file, EndsWith("tests/sync/thread_test.cc"));
  EXPECT_THAT(site.stack, IsEmpty());

  ObjectId object = info.object;
  ASSERT_LT(object, trace.objects().size());
  EXPECT_EQ(object, FindObject(trace, "thread.named"));
  EXPECT_EQ(trace.objects()[object].kind, ObjectKind::kThread);
  EXPECT_EQ(trace.objects()[object].creation_site, info.creation_site);
  EXPECT_EQ(trace.objects()[object].creator, 0);
  EXPECT_THAT(BriefEvents(trace, object),
              ElementsAre("T0 thread_create #1", "T1 thread_start #1", "T1 thread_end #2",
                          "T0 thread_join #2"));
  std::vector<Event> events = EventsOn(trace, object);
  EXPECT_EQ(events[0].site, info.creation_site);
  EXPECT_EQ(events[1].site, info.creation_site);
  EXPECT_EQ(events[2].site, info.creation_site);
  EXPECT_EQ(SiteOf(trace, events[3].site).line, join_line);
  EXPECT_THAT(ThreadEvents(trace, w),
              ElementsAre("thread_start 'thread.named' #1", "lock 'thread.named.mu' #1",
                          "unlock 'thread.named.mu' #2", "thread_end 'thread.named' #2"));
  // Fork and join edges in the merged order.
  EXPECT_LT(IndexOf(trace, 0, EventKind::kThreadCreate, object),
            IndexOf(trace, 1, EventKind::kThreadStart, object));
  EXPECT_LT(IndexOf(trace, 1, EventKind::kThreadEnd, object),
            IndexOf(trace, 0, EventKind::kThreadJoin, object));
  EXPECT_EQ(trace.events().front().thread, 0);
}

TEST(ThreadTest, ArgumentsAreForwarded) {
  StartTestRecording();
  int sum = 0;
  auto add = [](int* out, int a, const std::vector<int>& more) {
    *out = a;
    for (int x : more) *out += x;
  };
  Thread t("thread.args", add, &sum, 1, std::vector<int>{2, 3});
  t.join();
  EXPECT_EQ(sum, 6);
  int value = 0;
  Thread by_ref("thread.args.ref", [](int& v) { v = 7; }, std::ref(value));
  by_ref.join();
  EXPECT_EQ(value, 7);
}

TEST(ThreadTest, UnnamedThreadSiteHasStack) {
  StartTestRecording();
  int value = 0;
  Thread t([&value](int v) { value = v; }, 5);
  t.join();
  EXPECT_EQ(value, 5);
  Trace trace = CollectTrace();
  ASSERT_EQ(trace.threads().size(), 2u);
  const ThreadInfo& info = trace.threads()[1];
  EXPECT_EQ(info.name, "");
  EXPECT_EQ(info.parent, 0);
  // The constructor cannot take a source_location, so the site names thread.h and
  // carries the stack that leads to the user's line.
  const SiteInfo& site = SiteOf(trace, info.creation_site);
  EXPECT_THAT(site.file, EndsWith("harness/sync/thread.h"));
  EXPECT_THAT(site.stack, Not(IsEmpty()));
  EXPECT_THAT(BriefEvents(trace, info.object),
              ElementsAre("T0 thread_create #1", "T1 thread_start #1", "T1 thread_end #2",
                          "T0 thread_join #2"));
}

TEST(ThreadTest, NestedThreadsRecordParents) {
  StartTestRecording();
  Thread parent("thread.parent", [] {
    Thread child("thread.child", [] {
      Thread grandchild("thread.grandchild", [] {});
      grandchild.join();
    });
    child.join();
  });
  parent.join();
  Trace trace = CollectTrace();
  ASSERT_TRUE(trace.Validate().ok());
  ThreadId p = FindThread(trace, "thread.parent");
  ThreadId c = FindThread(trace, "thread.child");
  ThreadId g = FindThread(trace, "thread.grandchild");
  ASSERT_EQ(p, 1);
  ASSERT_EQ(c, 2);
  ASSERT_EQ(g, 3);
  EXPECT_EQ(trace.threads()[p].parent, 0);
  EXPECT_EQ(trace.threads()[c].parent, p);
  EXPECT_EQ(trace.threads()[g].parent, c);
  EXPECT_EQ(trace.objects()[trace.threads()[g].object].creator, c);
  EXPECT_THAT(ThreadEvents(trace, c),
              ElementsAre("thread_start 'thread.child' #1", "thread_create 'thread.grandchild' #1",
                          "thread_join 'thread.grandchild' #2", "thread_end 'thread.child' #2"));
}

TEST(ThreadTest, MovedThreadKeepsItsObject) {
  StartTestRecording();
  Thread a("thread.moved", [] {});
  ObjectId id = a.object_id();
  Thread b(std::move(a));
  EXPECT_FALSE(a.joinable());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(a.object_id(), kNoObject);
  EXPECT_EQ(b.object_id(), id);
  Thread c;
  EXPECT_FALSE(c.joinable());
  c = std::move(b);
  ASSERT_TRUE(c.joinable());
  c.join();
  EXPECT_FALSE(c.joinable());
  Trace trace = CollectTrace();
  EXPECT_THAT(BriefEvents(trace, FindObject(trace, "thread.moved")),
              ElementsAre("T0 thread_create #1", "T1 thread_start #1", "T1 thread_end #2",
                          "T0 thread_join #2"));
}

TEST(ThreadTest, JoinOfNonJoinableThreadThrows) {
  Thread t;
  EXPECT_THROW(t.join(), std::system_error);
}

TEST(ThreadTest, DetachedThreadRecordsDetach) {
  StartTestRecording();
  std::atomic<bool> release{false};
  Thread t("thread.detached", [&release] {
    while (!release.load()) std::this_thread::yield();
  });
  t.detach();
  EXPECT_FALSE(t.joinable());
  release.store(true);
  // Wait (bounded) until the detached thread's end is recorded.
  Trace trace;
  ObjectId object = kNoObject;
  for (int attempt = 0; attempt < 2000; ++attempt) {
    trace = CollectTrace();
    object = FindObject(trace, "thread.detached");
    if (object != kNoObject && EventsOn(trace, object).size() == 4) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_THAT(BriefEvents(trace, object),
              ElementsAre("T0 thread_create #1", "T0 thread_detach", "T1 thread_start #1",
                          "T1 thread_end #2"));
}

TEST(ThreadTest, ForeignThreadIsRegisteredOnFirstEvent) {
  StartTestRecording();
  Mutex mu("thread.foreign.mu");
  std::thread foreign([&] {
    mu.lock();
    mu.unlock();
  });
  foreign.join();
  Trace trace = CollectTrace();
  ASSERT_TRUE(trace.Validate().ok());
  ASSERT_EQ(trace.threads().size(), 2u);
  const ThreadInfo& info = trace.threads()[1];
  EXPECT_EQ(info.name, "");
  EXPECT_EQ(info.parent, kNoThread);
  EXPECT_EQ(info.creation_site, kNoSite);
  EXPECT_EQ(trace.objects()[info.object].kind, ObjectKind::kThread);
  // kThreadStart observes nothing (#0); kThreadEnd is recorded when the thread exits.
  EXPECT_THAT(ThreadEvents(trace, 1), ElementsAre("thread_start #0", "lock 'thread.foreign.mu' #1",
                                                  "unlock 'thread.foreign.mu' #2",
                                                  "thread_end #2"));
  EXPECT_EQ(trace_testing::EventsOf(trace, 1).back().site, kNoSite);
}

TEST(ThreadTest, HardwareConcurrencyMatchesStd) {
  EXPECT_EQ(Thread::hardware_concurrency(), std::thread::hardware_concurrency());
}

}  // namespace
}  // namespace harness
