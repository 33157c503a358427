// examples/concurrent_fetch/fixed.cc: the fetchers append under a mutex. The harness
// reports nothing.
#include "examples/concurrent_fetch/concurrent_fetch.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace concurrent_fetch {
namespace {

TEST(ConcurrentFetchFixed, FetchersAppendUnderAMutex) {
  std::vector<std::string> names = FetchAllLocked({1, 4, 6});
  // In completion order, which the timing decides.
  EXPECT_THAT(names, testing::UnorderedElementsAre("bulbasaur", "charmander", "charizard"));
}

}  // namespace
}  // namespace concurrent_fetch
