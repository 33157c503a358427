// examples/concurrent_fetch/fixed_futures.cc: no shared list at all; each fetcher returns
// its result through a harness::Promise / Future. The harness reports nothing, and the
// results come back in request order.
#include "examples/concurrent_fetch/concurrent_fetch.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace concurrent_fetch {
namespace {

TEST(ConcurrentFetchFixed, FetchersReturnResultsThroughFutures) {
  EXPECT_THAT(FetchAllWithFutures({1, 4, 6}),
              testing::ElementsAre("bulbasaur", "charmander", "charizard"));
  EXPECT_THAT(FetchAllWithFutures({3, 2}), testing::ElementsAre("venusaur", "ivysaur"));
}

}  // namespace
}  // namespace concurrent_fetch
