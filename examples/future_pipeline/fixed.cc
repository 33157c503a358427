// examples/future_pipeline/fixed.cc: the page and the rendered text travel through
// promises and futures. The harness reports nothing.
#include "examples/future_pipeline/future_pipeline.h"
#include "gtest/gtest.h"

namespace future_pipeline {
namespace {

TEST(FuturePipelineFixed, StagesHandOffThroughPromisesAndFutures) {
  EXPECT_EQ(Pipeline(7), "HTTP 200, 1007 bytes");
}

}  // namespace
}  // namespace future_pipeline
