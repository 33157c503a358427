// tests/report/symbolizer_integration_test.cc: a site recorded for real through
// std::lock_guard<harness::Mutex> (which carries a stack, since source_location names
// <mutex>), symbolized in this process: its first frame is the user's function.
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "harness/harness.h"
#include "harness/report/symbolizer.h"
#include "tests/testing/trace_testing.h"

namespace {

int g_guard_line = 0;

__attribute__((noinline)) void LockThroughGuard(harness::Mutex& mu) {
  g_guard_line = __LINE__ + 1;
  std::lock_guard<harness::Mutex> hold(mu);
  asm volatile("" ::: "memory");
}

TEST(SymbolizerIntegrationTest, LockGuardSiteStartsAtTheCaller) {
  harness::trace_testing::StartTestRecording();
  harness::Mutex mu("symbolizer.guarded");
  LockThroughGuard(mu);
  harness::Trace trace = harness::runtime::CollectTrace();
  ASSERT_TRUE(trace.Validate().ok());

  const harness::ObjectId object = harness::trace_testing::FindObject(trace, "symbolizer.guarded");
  ASSERT_NE(object, harness::kNoObject);
  harness::SiteId site = harness::kNoSite;
  for (const harness::Event& event : trace.events()) {
    if (event.kind == harness::EventKind::kLock && event.object() == object) site = event.site;
  }
  ASSERT_NE(site, harness::kNoSite);
  ASSERT_FALSE(trace.sites()[site].stack.empty()) << "a <mutex> site carries a stack";

  // Whether the recorded stack holds LockThroughGuard at all: stack capture is the
  // runtime's (absl::GetStackTrace), and under ASan with Debian's prebuilt Abseil it has
  // been seen to start at the test body. Symbolizing and skipping harness frames, which
  // is what this test checks, cannot bring back a frame that was never recorded.
  bool recorded = false;
  std::string raw;
  for (const std::vector<harness::Frame>& group :
       harness::ProcessSymbolizer()->Symbolize(trace.sites()[site].stack)) {
    for (const harness::Frame& frame : group) {
      raw += harness::FormatFrame(0, frame) + "\n";
      recorded = recorded || absl::StrContains(frame.function, "LockThroughGuard");
    }
  }
  std::vector<harness::Frame> frames =
      harness::SiteFrames(trace, site, harness::ProcessSymbolizer());
  ASSERT_FALSE(frames.empty());
  std::string printed;
  for (size_t i = 0; i < frames.size(); ++i) {
    printed += harness::FormatFrame(i, frames[i]) + "\n";
  }
  for (const harness::Frame& frame : frames) {
    EXPECT_FALSE(harness::IsHarnessFrame(frame)) << printed;
  }
  if (!recorded) {
    std::printf("NOTE: the recorded stack lacks LockThroughGuard (stack capture):\n%s",
                raw.c_str());
    return;
  }
  EXPECT_TRUE(absl::StrContains(frames[0].function, "LockThroughGuard")) << printed;
  if (std::system("command -v addr2line >/dev/null 2>&1") == 0) {
    if (frames[0].line != 0) {  // debug info
      EXPECT_TRUE(absl::EndsWith(frames[0].file, "tests/report/symbolizer_integration_test.cc"))
          << printed;
      EXPECT_EQ(frames[0].line, static_cast<uint32_t>(g_guard_line)) << printed;
    } else {  // a stripped binary: the symbol table's file name
      EXPECT_EQ(frames[0].file, "symbolizer_integration_test.cc") << printed;
    }
  }
}

}  // namespace
