// examples/concurrent_fetch/buggy.cc: three fetcher threads append to one list with no
// lock. This test FAILS by design: the harness reports a data race on 'names' between
// two fetchers' appends, although the fetches finish milliseconds apart and the list
// usually comes out complete. Tagged "manual"; run it with
// `bazel test //examples/concurrent_fetch:buggy`.
#include "examples/concurrent_fetch/concurrent_fetch.h"
#include "gtest/gtest.h"

namespace concurrent_fetch {
namespace {

TEST(ConcurrentFetchBuggy, FetchersAppendToASharedListWithoutALock) {
  std::vector<std::string> names = FetchAllUnlocked({1, 4, 6});
  EXPECT_LE(names.size(), 3u);  // a lost append is possible; the verdict is the harness's
}

}  // namespace
}  // namespace concurrent_fetch
