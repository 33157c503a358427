// The exact findings of //examples/processes_vs_threads:buggy: two data races on 'total'
// between the two worker threads, a load against a store and the two stores.
#include "examples/processes_vs_threads/processes_vs_threads.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/gtest/expect.h"
#include "tests/examples/example_sites.h"

namespace harness::examples_test {
namespace {

using ::testing::AllOf;

const char kHeader[] = "examples/processes_vs_threads/processes_vs_threads.h";

TEST(ProcessesVsThreadsExample, BuggyRacesOnTheTotal) {
  const std::string read = SiteOf(kHeader, "total-read");
  const std::string write = SiteOf(kHeader, "total-write");
  ScopedFindingExpectation read_against_write(
      AllOf(IsDataRace(), HasSite(read), HasSite(write), ObjectsAre("total", "total"),
            ThreadsAre("worker-1", "worker-2")));
  ScopedFindingExpectation write_against_write(
      AllOf(IsDataRace(), HasSiteTimes(write, 2), ObjectsAre("total", "total"),
            ThreadsAre("worker-1", "worker-2")));
  processes_vs_threads::SumInThreads();
}

}  // namespace
}  // namespace harness::examples_test
