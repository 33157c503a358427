// examples/atomic_publish/fixed.cc: the flag is stored with release and loaded with
// acquire. The harness reports nothing.
#include "examples/atomic_publish/atomic_publish.h"
#include "gtest/gtest.h"

namespace atomic_publish {
namespace {

TEST(AtomicPublishFixed, FlagStoredWithReleaseAndLoadedWithAcquire) {
  Message received = PublishOnce(std::memory_order_release, std::memory_order_acquire);
  EXPECT_EQ(received.id, 7);
  EXPECT_EQ(received.value, 42);
}

}  // namespace
}  // namespace atomic_publish
