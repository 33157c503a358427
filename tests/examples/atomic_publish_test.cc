// The exact finding of //examples/atomic_publish:buggy: a data race on 'message', the
// subscriber's read against the publisher's write (the relaxed flag orders nothing).
#include "examples/atomic_publish/atomic_publish.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/gtest/expect.h"
#include "tests/examples/example_sites.h"

namespace harness::examples_test {
namespace {

using ::testing::AllOf;

const char kHeader[] = "examples/atomic_publish/atomic_publish.h";

TEST(AtomicPublishExample, BuggyRacesOnTheMessage) {
  ScopedFindingExpectation read_against_write(
      AllOf(IsDataRace(), HasSite(SiteOf(kHeader, "read-message")),
            HasSite(SiteOf(kHeader, "write-message")), ObjectsAre("message", "message"),
            ThreadsAre("publisher", "subscriber")));
  atomic_publish::PublishOnce(std::memory_order_relaxed, std::memory_order_relaxed);
}

}  // namespace
}  // namespace harness::examples_test
