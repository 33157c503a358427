// examples/thread_pool/fixed.cc: the same pool and tasks with an atomic counter. The
// harness reports nothing, and every page is counted.
#include "examples/thread_pool/thread_pool.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace thread_pool {
namespace {

TEST(ThreadPoolFixed, TasksBumpAnAtomicCounter) {
  Result result = CheckAllAtomic({"https://a.example", "https://bb.example",
                                  "https://ccc.example"});
  EXPECT_THAT(result.sizes, testing::ElementsAre(1700, 1800, 1900));
  EXPECT_EQ(result.pages_checked, 3);
}

}  // namespace
}  // namespace thread_pool
