// The exact finding of //examples/future_pipeline:buggy: a data race on 'downloaded',
// stage 2's read against stage 1's write, ~47 ms apart.
#include "examples/future_pipeline/future_pipeline.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/gtest/expect.h"
#include "tests/examples/example_sites.h"

namespace harness::examples_test {
namespace {

using ::testing::AllOf;

const char kHeader[] = "examples/future_pipeline/future_pipeline.h";

TEST(FuturePipelineExample, BuggyRacesOnTheDownloadedPage) {
  ScopedFindingExpectation consume_against_produce(
      AllOf(IsDataRace(), HasSite(SiteOf(kHeader, "consume")),
            HasSite(SiteOf(kHeader, "produce")), ObjectsAre("downloaded", "downloaded"),
            ThreadsAre("stage-1-download", "stage-2-render")));
  future_pipeline::PipelineWithoutHandoff(7);
}

}  // namespace
}  // namespace harness::examples_test
