// The exact findings of //examples/readers_writer:buggy: two data races on 'settings',
// the two writers' writes under the reader lock, and the reader's read against one of
// them.
#include "examples/readers_writer/readers_writer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/gtest/expect.h"
#include "tests/examples/example_sites.h"

namespace harness::examples_test {
namespace {

using ::testing::AllOf;
using ::testing::AnyOf;
using ::testing::Eq;

const char kHeader[] = "examples/readers_writer/readers_writer.h";

TEST(ReadersWriterExample, BuggyRacesOnTheSettings) {
  const std::string read = SiteOf(kHeader, "read");
  const std::string write = SiteOf(kHeader, "write");
  ScopedFindingExpectation write_against_write(
      AllOf(IsDataRace(), HasSiteTimes(write, 2), ObjectsAre("settings", "settings"),
            ThreadsAre("writer-1", "writer-2")));
  ScopedFindingExpectation read_against_write(
      AllOf(IsDataRace(), HasSite(read), HasSite(write), ObjectsAre("settings", "settings"),
            ThreadsMatch(Eq("reader"), AnyOf(Eq("writer-1"), Eq("writer-2")))));
  readers_writer::WritersAndReader(/*exclusive=*/false);
}

}  // namespace
}  // namespace harness::examples_test
