// Tests of the GoogleTest listener, driven by hand (this binary links GoogleTest's own
// gtest_main): a racy test body fails with the text report, a clean one does not, an
// expected finding is excused, and the undeclared outputs are written.
#include "harness/gtest/listener.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest-spi.h"
#include "gtest/gtest.h"
#include "harness/gtest/expect.h"
#include "harness/harness.h"

namespace harness {
namespace {

HarnessListener* Listener() {
  static HarnessListener* listener = HarnessListener::Create(Options{})->release();
  return listener;
}

const ::testing::TestInfo& CurrentTest() {
  return *::testing::UnitTest::GetInstance()->current_test_info();
}

// Two threads write `value` with no synchronization.
void RunRace() {
  static Shared<int>* value = new Shared<int>(0, "listener.value");
  Thread first("writer-1", [] { value->store(1); });
  Thread second("writer-2", [] { value->store(2); });
  first.join();
  second.join();
}

void RunClean() {
  static Mutex* mu = new Mutex("listener.mu");
  static Shared<int>* value = new Shared<int>(0, "listener.guarded");
  auto write = [] {
    std::lock_guard<Mutex> hold(*mu);
    value->store(value->load() + 1);
  };
  Thread first("writer-1", write);
  Thread second("writer-2", write);
  first.join();
  second.join();
}

TEST(ListenerTest, RacyTestFailsWithTheTextReport) {
  EXPECT_NONFATAL_FAILURE(
      {
        Listener()->OnTestStart(CurrentTest());
        RunRace();
        Listener()->OnTestEnd(CurrentTest());
      },
      "WARNING: harness: data race (test ListenerTest.RacyTestFailsWithTheTextReport)");
}

TEST(ListenerTest, CleanTestPasses) {
  Listener()->OnTestStart(CurrentTest());
  RunClean();
  Listener()->OnTestEnd(CurrentTest());
}

TEST(ListenerTest, ExpectedRaceIsExcused) {
  Listener()->OnTestStart(CurrentTest());
  ExpectFindingsForCurrentTest(::testing::AllOf(IsDataRace(), InvolvesObject("listener.value")));
  RunRace();
  Listener()->OnTestEnd(CurrentTest());
}

TEST(ListenerTest, WritesUndeclaredOutputs) {
  const char* outputs = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR");
  ASSERT_NE(outputs, nullptr) << "run under bazel test";
  EXPECT_NONFATAL_FAILURE(
      {
        Listener()->OnTestStart(CurrentTest());
        RunRace();
        Listener()->OnTestEnd(CurrentTest());
      },
      "data race");
  std::string stem = std::string(std::getenv("TEST_UNDECLARED_OUTPUTS_DIR")) +
                     "/ListenerTest.WritesUndeclaredOutputs.harness";
  for (const char* extension : {".txt", ".json", ".sarif", ".dot", ".trace"}) {
    EXPECT_TRUE(std::filesystem::exists(stem + extension)) << stem << extension;
  }
  std::ifstream json(stem + ".json");
  std::stringstream contents;
  contents << json.rdbuf();
  EXPECT_THAT(contents.str(), ::testing::HasSubstr("harness-report"));
}

}  // namespace
}  // namespace harness
