// examples/future_pipeline/buggy.cc: stage 2 sleeps instead of waiting for stage 1.
// This test FAILS by design: the harness reports a data race on 'downloaded' (stage 1's
// write against stage 2's read), although the right text comes out. Tagged "manual";
// run it with `bazel test //examples/future_pipeline:buggy`.
#include "examples/future_pipeline/future_pipeline.h"
#include "gtest/gtest.h"

namespace future_pipeline {
namespace {

TEST(FuturePipelineBuggy, StageTwoSleepsInsteadOfWaitingForStageOne) {
  // Usually "HTTP 200, 1007 bytes"; on a slow enough machine "HTTP 0, 0 bytes".
  EXPECT_FALSE(PipelineWithoutHandoff(7).empty());
}

}  // namespace
}  // namespace future_pipeline
