// examples/producer_consumer/fixed.cc: the job slot is filled and checked under the
// mutex, and the consumer waits with a predicate. The harness reports nothing.
#include "examples/producer_consumer/producer_consumer.h"
#include "gtest/gtest.h"

namespace producer_consumer {
namespace {

TEST(ProducerConsumerFixed, SlotGuardedAndWaitedForWithAPredicate) {
  EXPECT_EQ(HandOff(/*locked=*/true), 42);
}

}  // namespace
}  // namespace producer_consumer
