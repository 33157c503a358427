// tests/fuzz/binary_trace_seeds_test.cc: what each seed of the binary trace reader's
// corpus (tests/fuzz/corpus/binary_trace_reader, written by make_binary_trace_seeds)
// decodes to: the valid ones to traces, each corrupt one to its own exact error. Keeps
// the corpus meaningful: a seed that stopped reaching its error path would fail here.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/trace/trace.h"
#include "harness/trace/trace_file.h"

namespace harness {
namespace {

using ::testing::HasSubstr;

constexpr char kCorpus[] = "tests/fuzz/corpus/binary_trace_reader";

std::string ReadSeed(const std::string& name) {
  std::ifstream in(std::string(kCorpus) + "/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  return std::string{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(BinaryTraceSeedsTest, ValidSeedsDecode) {
  absl::StatusOr<Trace> empty = DecodeTrace(ReadSeed("valid-empty.trace"));
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_TRUE(empty->events().empty());

  absl::StatusOr<Trace> built = DecodeTrace(ReadSeed("valid-built.trace"));
  ASSERT_TRUE(built.ok()) << built.status();
  EXPECT_EQ(built->threads().size(), 2u);
  EXPECT_EQ(built->objects().size(), 4u);  // two thread objects, mu, var
  EXPECT_EQ(built->events().size(), 8u);  // create, start, lock, write, unlock, end, join, read
  ASSERT_FALSE(built->sites().empty());
  EXPECT_EQ(built->sites().back().stack.size(), 2u);

  absl::StatusOr<Trace> recorded = DecodeTrace(ReadSeed("valid-recorded.trace"));
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_EQ(recorded->threads().size(), 3u);  // main, producer, consumer
  EXPECT_GT(recorded->events().size(), 20u);
}

TEST(BinaryTraceSeedsTest, CorruptSeedsGiveTheirErrors) {
  struct Expected {
    absl::StatusCode code;
    std::string message;
  };
  const std::map<std::string, Expected> expected = {
      {"truncated-empty.trace",
       {absl::StatusCode::kDataLoss, "truncated at byte offset 0: expected 8-byte magic"}},
      {"truncated-magic.trace",
       {absl::StatusCode::kDataLoss, "truncated at byte offset 0: expected 8-byte magic"}},
      {"truncated-events.trace",
       {absl::StatusCode::kDataLoss, "truncated at byte offset 544: expected 16-byte event 1 of 8 (the input ends at byte offset 548)"}},
      {"bad-magic.trace", {absl::StatusCode::kInvalidArgument, "bad magic at byte offset 0"}},
      {"bad-version.trace",
       {absl::StatusCode::kInvalidArgument, "unsupported trace format version 7 at byte offset 8"}},
      {"unknown-flags.trace",
       {absl::StatusCode::kInvalidArgument, "unknown flags 0x1 at byte offset 12"}},
      {"unknown-event-kind.trace", {absl::StatusCode::kInvalidArgument, "event 0 at byte offset 528 has unknown kind 99"}},
      {"missing-thread.trace",
       {absl::StatusCode::kInvalidArgument, "event 0 at byte offset 528 refers to missing thread 77 (the trace has 2 threads)"}},
      {"huge-event-count.trace",
       {absl::StatusCode::kDataLoss, "truncated at byte offset 656: expected 16-byte event 8 of 1152921504606846976"}},
      {"trailing-bytes.trace", {absl::StatusCode::kInvalidArgument, "3 unexpected trailing bytes at byte offset 664"}},
  };
  size_t corrupt_files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kCorpus)) {
    if (entry.path().filename().string().rfind("valid-", 0) != 0) ++corrupt_files;
  }
  EXPECT_EQ(corrupt_files, expected.size()) << "every corrupt seed has an expectation here";
  for (const auto& [name, want] : expected) {
    SCOPED_TRACE(name);
    absl::StatusOr<Trace> trace = DecodeTrace(ReadSeed(name));
    ASSERT_FALSE(trace.ok());
    EXPECT_EQ(trace.status().code(), want.code) << trace.status();
    EXPECT_THAT(std::string(trace.status().message()), HasSubstr(want.message));
  }
}

}  // namespace
}  // namespace harness
