// Tests of Promise<T> / Future<T>: set records promise_set #1, every wait that saw the
// value records future_get #1; values, exceptions and std::future_error behave as std.
#include "harness/sync/future.h"

#include <chrono>
#include <exception>
#include <future>
#include <stdexcept>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/harness.h"
#include "tests/testing/trace_testing.h"

namespace harness {
namespace {

// Not a std::logic_error: see tests/sync/thread_pool_test.cc's TaskError.
struct SetError {
  int code;
};

using ::testing::ElementsAre;
using trace_testing::BriefEvents;
using trace_testing::EventsOn;
using trace_testing::FindObject;
using trace_testing::FindThread;
using trace_testing::IndexOf;
using trace_testing::SiteOf;
using trace_testing::StartTestRecording;

using std::chrono::milliseconds;

TEST(FutureTest, SetThenGet) {
  StartTestRecording();
  Promise<int> promise("future.value"); const uint32_t create_line = __LINE__;
  Future<int> future = promise.get_future();
  EXPECT_TRUE(future.valid());
  EXPECT_EQ(future.object_id(), promise.object_id());
  promise.set_value(42); const uint32_t set_line = __LINE__;
  EXPECT_EQ(future.get(), 42); const uint32_t get_line = __LINE__;
  EXPECT_FALSE(future.valid());

  Trace trace = CollectTrace();
  ObjectId o = FindObject(trace, "future.value");
  ASSERT_NE(o, kNoObject);
  EXPECT_EQ(trace.objects()[o].kind, ObjectKind::kPromise);
  EXPECT_EQ(SiteOf(trace, trace.objects()[o].creation_site).line, create_line);
  EXPECT_THAT(BriefEvents(trace, o),
              ElementsAre("T0 object_create", "T0 promise_set #1", "T0 future_get #1"));
  std::vector<Event> events = EventsOn(trace, o);
  EXPECT_EQ(SiteOf(trace, events[1].site).line, set_line);
  EXPECT_EQ(SiteOf(trace, events[2].site).line, get_line);
}

TEST(FutureTest, SetOnAnotherThreadComesBeforeGet) {
  StartTestRecording();
  Promise<std::string> promise("future.cross");
  Future<std::string> future = promise.get_future();
  Thread setter("future.cross.setter",
                [&promise] { promise.set_value(std::string("done")); });
  EXPECT_EQ(future.get(), "done");
  setter.join();
  Trace trace = CollectTrace();
  ASSERT_TRUE(trace.Validate().ok());
  EXPECT_EQ(trace.ordering_gaps(), 0u);
  ObjectId o = FindObject(trace, "future.cross");
  ASSERT_EQ(FindThread(trace, "future.cross.setter"), 1);
  EXPECT_THAT(BriefEvents(trace, o),
              ElementsAre("T0 object_create", "T1 promise_set #1", "T0 future_get #1"));
  EXPECT_LT(IndexOf(trace, 1, EventKind::kPromiseSet, o, 1),
            IndexOf(trace, 0, EventKind::kFutureGet, o, 1));
}

TEST(FutureTest, ExceptionPropagatesThroughGet) {
  StartTestRecording();
  Promise<int> promise("future.exception");
  Future<int> future = promise.get_future();
  Thread setter("future.exception.setter", [&promise] {
    try {
      throw SetError{7};
    } catch (...) {
      promise.set_exception(std::current_exception());
    }
  });
  setter.join();
  try {
    future.get();
    ADD_FAILURE() << "get() did not throw";
  } catch (const SetError& e) {
    EXPECT_EQ(e.code, 7);
  }
  Trace trace = CollectTrace();
  EXPECT_THAT(BriefEvents(trace, FindObject(trace, "future.exception")),
              ElementsAre("T0 object_create", "T1 promise_set #1", "T0 future_get #1"));
}

TEST(FutureTest, WaitForTimesOutWithoutEventThenSeesValue) {
  StartTestRecording();
  Promise<void> promise("future.wait_for");
  Future<void> future = promise.get_future();
  EXPECT_EQ(future.wait_for(milliseconds(20)), std::future_status::timeout);
  EXPECT_EQ(future.wait_until(std::chrono::steady_clock::now() + milliseconds(1)),
            std::future_status::timeout);
  promise.set_value();
  EXPECT_EQ(future.wait_for(milliseconds(0)), std::future_status::ready);
  future.wait();
  future.get();
  Trace trace = CollectTrace();
  EXPECT_THAT(BriefEvents(trace, FindObject(trace, "future.wait_for")),
              ElementsAre("T0 object_create", "T0 promise_set #1", "T0 future_get #1",
                          "T0 future_get #1", "T0 future_get #1"));
}

TEST(FutureTest, FutureErrorsAsStd) {
  StartTestRecording();
  Promise<int> promise("future.errors");
  Future<int> future = promise.get_future();
  EXPECT_THROW(promise.get_future(), std::future_error);
  promise.set_value(1);
  try {
    promise.set_value(2);
    ADD_FAILURE() << "second set_value did not throw";
  } catch (const std::future_error& e) {
    EXPECT_EQ(e.code(), std::future_errc::promise_already_satisfied);
  }
  EXPECT_THROW(promise.set_exception(std::make_exception_ptr(std::runtime_error("x"))),
               std::future_error);
  EXPECT_EQ(future.get(), 1);
  Trace trace = CollectTrace();
  // Only the set that succeeded is recorded.
  EXPECT_THAT(BriefEvents(trace, FindObject(trace, "future.errors")),
              ElementsAre("T0 object_create", "T0 promise_set #1", "T0 future_get #1"));
}

TEST(FutureTest, BrokenPromise) {
  Future<int> future;
  EXPECT_FALSE(future.valid());
  {
    Promise<int> promise("future.broken");
    future = promise.get_future();
  }
  try {
    future.get();
    ADD_FAILURE() << "get() did not throw";
  } catch (const std::future_error& e) {
    EXPECT_EQ(e.code(), std::future_errc::broken_promise);
  }
}

TEST(FutureTest, MovedPromiseKeepsItsObject) {
  StartTestRecording();
  Promise<int> first("future.moved");
  Future<int> future = first.get_future();
  Promise<int> second(std::move(first));
  second.set_value(5);
  EXPECT_EQ(future.get(), 5);
  Trace trace = CollectTrace();
  EXPECT_THAT(BriefEvents(trace, FindObject(trace, "future.moved")),
              ElementsAre("T0 object_create", "T0 promise_set #1", "T0 future_get #1"));
}

}  // namespace
}  // namespace harness
