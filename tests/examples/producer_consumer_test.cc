// The exact finding of //examples/producer_consumer:buggy: a data race on 'job', the
// consumer's unlocked check against the producer's unlocked write.
#include "examples/producer_consumer/producer_consumer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/gtest/expect.h"
#include "tests/examples/example_sites.h"

namespace harness::examples_test {
namespace {

using ::testing::AllOf;

const char kHeader[] = "examples/producer_consumer/producer_consumer.h";

TEST(ProducerConsumerExample, BuggyRacesOnTheJobSlot) {
  ScopedFindingExpectation check_against_post(
      AllOf(IsDataRace(), HasSite(SiteOf(kHeader, "check-job")),
            HasSite(SiteOf(kHeader, "post-job")), ObjectsAre("job", "job"),
            ThreadsAre("consumer", "producer")));
  EXPECT_EQ(producer_consumer::HandOff(/*locked=*/false), 42);
}

}  // namespace
}  // namespace harness::examples_test
