// examples/readers_writer/buggy.cc: writers modify the settings holding only the shared
// (reader) lock. This test FAILS by design: the harness reports data races on
// 'settings' (writer against writer, and reader against writer). Tagged "manual"; run
// it with `bazel test //examples/readers_writer:buggy`.
#include "examples/readers_writer/readers_writer.h"
#include "gtest/gtest.h"

namespace readers_writer {
namespace {

TEST(ReadersWriterBuggy, WritersHoldOnlyTheReaderLock) {
  Settings settings = WritersAndReader(/*exclusive=*/false);
  EXPECT_LE(settings.revision, 2);  // a lost update is possible; the verdict is the harness's
}

}  // namespace
}  // namespace readers_writer
