// examples/readers_writer/fixed.cc: writers take the lock exclusively. The harness
// reports nothing, and no update is lost.
#include "examples/readers_writer/readers_writer.h"
#include "gtest/gtest.h"

namespace readers_writer {
namespace {

TEST(ReadersWriterFixed, WritersTakeTheLockExclusively) {
  Settings settings = WritersAndReader(/*exclusive=*/true);
  EXPECT_EQ(settings.revision, 2);
}

}  // namespace
}  // namespace readers_writer
