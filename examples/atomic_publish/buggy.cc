// examples/atomic_publish/buggy.cc: the message is published through a relaxed atomic
// flag. This test FAILS by design: the harness reports a data race on 'message'
// (relaxed atomics create no happens-before edge). Tagged "manual"; run it with
// `bazel test //examples/atomic_publish:buggy`.
#include "examples/atomic_publish/atomic_publish.h"
#include "gtest/gtest.h"

namespace atomic_publish {
namespace {

TEST(AtomicPublishBuggy, FlagStoredAndLoadedRelaxed) {
  // On x86 the value usually arrives intact; the verdict is the harness's.
  (void)PublishOnce(std::memory_order_relaxed, std::memory_order_relaxed);
}

}  // namespace
}  // namespace atomic_publish
