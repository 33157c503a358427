// Tests of the recorder: recording generations (StartRecording), what CollectTrace keeps
// of exited threads, RecordedEventCount, and buffers that span several chunks.
#include "harness/runtime/recorder.h"

#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/harness.h"
#include "tests/testing/trace_testing.h"

namespace harness {
namespace {

using ::testing::ElementsAre;
using trace_testing::BriefEvents;
using trace_testing::EventsOf;
using trace_testing::FindObject;
using trace_testing::FindThread;
using trace_testing::SiteOf;
using trace_testing::StartTestRecording;
using trace_testing::ThreadEvents;

TEST(RecorderTest, StartRecordingDropsEarlierEvents) {
  StartTestRecording();
  Mutex before("recorder.before"); const uint32_t before_line = __LINE__;
  before.lock();
  before.unlock();
  EXPECT_EQ(runtime::RecordedEventCount(), 3u);
  StartTestRecording();
  EXPECT_EQ(runtime::RecordedEventCount(), 0u);
  EXPECT_TRUE(CollectTrace().events().empty());

  Mutex after("recorder.after");
  after.lock();
  after.unlock();
  Trace trace = CollectTrace();
  EXPECT_EQ(runtime::RecordedEventCount(), 3u);
  EXPECT_EQ(trace.events().size(), 3u);
  EXPECT_EQ(FindObject(trace, "recorder.before"), kNoObject);  // no event names it
  EXPECT_THAT(BriefEvents(trace, FindObject(trace, "recorder.after")),
              ElementsAre("T0 object_create", "T0 lock #1", "T0 unlock #2"));

  // An object made before the recording is still described when used in it.
  before.lock();
  before.unlock();
  trace = CollectTrace();
  ObjectId b = FindObject(trace, "recorder.before");
  ASSERT_NE(b, kNoObject);
  EXPECT_EQ(SiteOf(trace, trace.objects()[b].creation_site).line, before_line);
  EXPECT_THAT(BriefEvents(trace, b), ElementsAre("T0 lock #3", "T0 unlock #4"));
  EXPECT_EQ(trace.ordering_gaps(), 0u);
}

TEST(RecorderTest, CollectTraceDoesNotEndTheRecording) {
  StartTestRecording();
  Mutex mu("recorder.twice");
  mu.lock();
  mu.unlock();
  Trace first = CollectTrace();
  Trace second = CollectTrace();
  EXPECT_EQ(first, second);
  mu.lock();
  mu.unlock();
  EXPECT_EQ(CollectTrace().events().size(), first.events().size() + 2);
}

TEST(RecorderTest, ExitedThreadKeepsItsEventsUntilNextStartRecording) {
  StartTestRecording();
  Mutex mu("recorder.exited.mu");
  Thread worker("recorder.exited", [&mu] {
    mu.lock();
    mu.unlock();
  });
  worker.join();
  for (int round = 0; round < 2; ++round) {
    Trace trace = CollectTrace();
    ThreadId w = FindThread(trace, "recorder.exited");
    ASSERT_EQ(w, 1) << round;
    EXPECT_THAT(ThreadEvents(trace, w),
                ElementsAre("thread_start 'recorder.exited' #1", "lock 'recorder.exited.mu' #1",
                            "unlock 'recorder.exited.mu' #2", "thread_end 'recorder.exited' #2"));
  }
  EXPECT_EQ(runtime::RecordedEventCount(), 7u);  // + main's create x2, thread_create, join
  StartTestRecording();
  Trace trace = CollectTrace();
  EXPECT_EQ(FindThread(trace, "recorder.exited"), kNoThread);
  EXPECT_TRUE(trace.threads().empty());
  EXPECT_EQ(runtime::RecordedEventCount(), 0u);
}

TEST(RecorderTest, LiveThreadWithoutNewEventsIsLeftOut) {
  std::promise<void> started;
  std::promise<void> go;
  std::shared_future<void> go_future = go.get_future().share();
  Thread sleeper("recorder.sleeper", [&started, go_future] {
    started.set_value();
    go_future.wait();
  });
  started.get_future().wait();  // the sleeper's thread_start is recorded by now
  StartTestRecording();         // and dropped here
  Mutex mu("recorder.sleeper.mu");
  mu.lock();
  mu.unlock();
  Trace trace = CollectTrace();
  EXPECT_EQ(FindThread(trace, "recorder.sleeper"), kNoThread);
  ASSERT_EQ(trace.threads().size(), 1u);
  go.set_value();
  sleeper.join();
  trace = CollectTrace();
  ThreadId s = FindThread(trace, "recorder.sleeper");
  ASSERT_EQ(s, 1);
  EXPECT_EQ(trace.threads()[s].parent, 0);
  EXPECT_THAT(ThreadEvents(trace, s), ElementsAre("thread_end 'recorder.sleeper' #2"));
  EXPECT_THAT(BriefEvents(trace, trace.threads()[s].object),
              ElementsAre("T1 thread_end #2", "T0 thread_join #2"));
  EXPECT_EQ(trace.ordering_gaps(), 0u);
  EXPECT_TRUE(trace.Validate().ok());
}

TEST(RecorderTest, EventsSpanningSeveralChunks) {
  StartTestRecording();
  const size_t kWrites = 2 * runtime::kMaxChunkEvents + 100;
  Shared<int> x(0, "recorder.chunks");
  for (size_t i = 0; i < kWrites; ++i) x.store(static_cast<int>(i));
  EXPECT_EQ(runtime::RecordedEventCount(), kWrites + 1);
  Trace trace = CollectTrace();
  ASSERT_EQ(trace.events().size(), kWrites + 1);
  ObjectId o = FindObject(trace, "recorder.chunks");
  std::vector<Event> events = EventsOf(trace, 0);
  EXPECT_EQ(events[0].kind, EventKind::kObjectCreate);
  EXPECT_EQ(events[0].object(), o);
  for (size_t i = 1; i < events.size(); ++i) {
    ASSERT_EQ(events[i].kind, EventKind::kWrite) << i;
    ASSERT_EQ(events[i].address(), trace.objects()[o].address) << i;
  }
  // A new recording reuses the buffer from its start.
  StartTestRecording();
  x.store(1);
  EXPECT_EQ(runtime::RecordedEventCount(), 1u);
  trace = CollectTrace();
  ASSERT_EQ(trace.events().size(), 1u);
  EXPECT_EQ(trace.events()[0].kind, EventKind::kWrite);
}

TEST(RecorderTest, ThreadNumbersAndObjectsAreStable) {
  runtime::ThreadNumber number = runtime::CurrentThreadNumber();
  ObjectId object = runtime::CurrentThreadObject();
  StartTestRecording();
  EXPECT_EQ(runtime::CurrentThreadNumber(), number);
  EXPECT_EQ(runtime::CurrentThreadObject(), object);
  Mutex mu("recorder.stable");
  mu.lock();
  mu.unlock();
  Trace trace = CollectTrace();
  ASSERT_EQ(trace.threads().size(), 1u);
  EXPECT_EQ(trace.threads()[0].name, "main");
  EXPECT_EQ(trace.objects()[trace.threads()[0].object].kind, ObjectKind::kThread);
  EXPECT_EQ(trace.objects()[trace.threads()[0].object].name, "main");
}

// The watchdog must know of a started thread before it registers (a loaded machine can
// take a while to run it), so a thread blocked waiting for it is not taken for stuck.
TEST(RecorderTest, ThreadsStartingAreCountedUntilTheyRegister) {
  uint32_t starting = 99;
  runtime::SnapshotLiveThreads(&starting);
  EXPECT_EQ(starting, 0u);

  const ObjectId object = runtime::ReserveThreadObject("recorder.starting", kNoSite);
  std::vector<runtime::ThreadSnapshot> live = runtime::SnapshotLiveThreads(&starting);
  EXPECT_EQ(starting, 1u);
  runtime::ThreadNumber child_number = runtime::kNoThreadNumber;
  std::thread child([&] {
    runtime::AdoptThreadIdentity({"recorder.starting", runtime::kNoThreadNumber, kNoSite, object});
    child_number = runtime::CurrentThreadNumber();
    uint32_t seen = 99;
    std::vector<runtime::ThreadSnapshot> now = runtime::SnapshotLiveThreads(&seen);
    EXPECT_EQ(seen, 0u);  // registered: in the list instead
    EXPECT_EQ(now.size(), live.size() + 1);
  });
  child.join();
  runtime::ReleaseThreadObject(object);
  EXPECT_NE(child_number, runtime::kNoThreadNumber);

  // A start that failed: the harness::Thread cancels it.
  const ObjectId unstarted = runtime::ReserveThreadObject("recorder.unstarted", kNoSite);
  runtime::SnapshotLiveThreads(&starting);
  EXPECT_EQ(starting, 1u);
  runtime::CancelThreadStart(unstarted);
  runtime::ReleaseThreadObject(unstarted);
  runtime::SnapshotLiveThreads(&starting);
  EXPECT_EQ(starting, 0u);
}

}  // namespace
}  // namespace harness
