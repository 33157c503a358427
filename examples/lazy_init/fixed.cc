// examples/lazy_init/fixed.cc: lazy initialization with harness::CallOnce. The harness
// reports nothing.
#include "examples/lazy_init/lazy_init.h"
#include "gtest/gtest.h"

namespace lazy_init {
namespace {

TEST(LazyInitFixed, CallOnce) {
  OnceConfig config;
  EXPECT_EQ(TwoWorkers(config), 128);
}

}  // namespace
}  // namespace lazy_init
