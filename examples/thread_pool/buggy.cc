// examples/thread_pool/buggy.cc: ThreadPool tasks bump a shared counter without a lock.
// This test FAILS by design: the harness reports two data races on 'pages_checked'
// between pool workers (read against write, write against write). Tagged "manual"; run
// it with `bazel test //examples/thread_pool:buggy`.
#include "examples/thread_pool/thread_pool.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace thread_pool {
namespace {

TEST(ThreadPoolBuggy, TasksBumpASharedCounterWithoutALock) {
  Result result = CheckAllUnsynchronized({"https://a.example", "https://bb.example",
                                          "https://ccc.example"});
  EXPECT_THAT(result.sizes, testing::ElementsAre(1700, 1800, 1900));
  EXPECT_LE(result.pages_checked, 3);  // a lost update is possible; the verdict is the harness's
}

}  // namespace
}  // namespace thread_pool
