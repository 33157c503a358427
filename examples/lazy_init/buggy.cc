// examples/lazy_init/buggy.cc: double-checked locking on a plain pointer. This test
// FAILS by design: the harness reports a data race on 'config_ptr' (the unlocked first
// check against the publication). Tagged "manual"; run it with
// `bazel test //examples/lazy_init:buggy`.
#include "examples/lazy_init/lazy_init.h"
#include "gtest/gtest.h"

namespace lazy_init {
namespace {

TEST(LazyInitBuggy, DoubleCheckedLockingOnAPlainPointer) {
  DoubleCheckedConfig config;
  EXPECT_EQ(TwoWorkers(config), 128);  // usually right; the verdict is the harness's
}

}  // namespace
}  // namespace lazy_init
