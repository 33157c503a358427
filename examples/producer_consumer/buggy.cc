// examples/producer_consumer/buggy.cc: the job slot is filled and checked outside the
// mutex, and the consumer waits without a predicate. This test FAILS by design: the
// harness reports a data race on 'job'. It never hangs (the consumer waits with a
// timeout). Tagged "manual"; run it with `bazel test //examples/producer_consumer:buggy`.
#include "examples/producer_consumer/producer_consumer.h"
#include "gtest/gtest.h"

namespace producer_consumer {
namespace {

TEST(ProducerConsumerBuggy, SlotFilledAndCheckedOutsideTheLock) {
  EXPECT_EQ(HandOff(/*locked=*/false), 42);
}

}  // namespace
}  // namespace producer_consumer
