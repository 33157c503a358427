// The exact findings of //examples/thread_pool:buggy: two data races on 'pages_checked'
// between pool workers ("checker-worker-<i>"; which two depends on the run), the read of
// the counter against another worker's write, and two workers' writes.
#include "examples/thread_pool/thread_pool.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/gtest/expect.h"
#include "tests/examples/example_sites.h"

namespace harness::examples_test {
namespace {

using ::testing::AllOf;
using ::testing::StartsWith;

const char kHeader[] = "examples/thread_pool/thread_pool.h";

TEST(ThreadPoolExample, BuggyRacesOnTheCounter) {
  const std::string read = SiteOf(kHeader, "count-read");
  const std::string write = SiteOf(kHeader, "count-write");
  auto worker = StartsWith("checker-worker-");
  ScopedFindingExpectation read_against_write(
      AllOf(IsDataRace(), HasSite(read), HasSite(write),
            ObjectsAre("pages_checked", "pages_checked"), ThreadsMatch(worker, worker)));
  ScopedFindingExpectation write_against_write(
      AllOf(IsDataRace(), HasSiteTimes(write, 2), ObjectsAre("pages_checked", "pages_checked"),
            ThreadsMatch(worker, worker)));
  thread_pool::CheckAllUnsynchronized(
      {"https://a.example", "https://bb.example", "https://ccc.example"});
}

}  // namespace
}  // namespace harness::examples_test
