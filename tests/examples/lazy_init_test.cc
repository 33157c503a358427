// The exact finding of //examples/lazy_init:buggy: a data race on 'config_ptr', one
// worker's unlocked first check against the other's publication (which worker
// initializes depends on the run).
#include "examples/lazy_init/lazy_init.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/gtest/expect.h"
#include "tests/examples/example_sites.h"

namespace harness::examples_test {
namespace {

using ::testing::AllOf;

const char kHeader[] = "examples/lazy_init/lazy_init.h";

TEST(LazyInitExample, BuggyRacesOnThePointer) {
  ScopedFindingExpectation first_check_against_publish(
      AllOf(IsDataRace(), HasSite(SiteOf(kHeader, "first-check")),
            HasSite(SiteOf(kHeader, "publish")), ObjectsAre("config_ptr", "config_ptr"),
            ThreadsAre("worker-1", "worker-2")));
  lazy_init::DoubleCheckedConfig config;
  EXPECT_EQ(lazy_init::TwoWorkers(config), 128);
}

}  // namespace
}  // namespace harness::examples_test
