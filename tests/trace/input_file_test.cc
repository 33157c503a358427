// Tests of InputFile: Peek() then Read() / Skip() hand out every byte once, in order, for
// a regular file (peeked through a mapping, skipped by seeking), a pipe (peeked and
// skipped by reading) and a string; and the streaming binary reader over a real file
// whose tables are larger than its first look.
#include "harness/trace/input_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "harness/trace/trace.h"
#include "harness/trace/trace_file.h"
#include "harness/trace/trace_reader.h"

namespace harness {
namespace {

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return absl::StrCat(dir != nullptr ? dir : "/tmp", "/", name);
}

std::string WriteFile(const std::string& name, const std::string& bytes) {
  const std::string path = TempPath(name);
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

// 0, 1, ..., 255, 0, 1, ...: every offset's byte is known.
std::string Counting(size_t size) {
  std::string bytes(size, '\0');
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>(i & 0xff);
  return bytes;
}

std::string ReadRest(InputFile& input) {
  std::string rest;
  char buffer[1000];
  for (;;) {
    absl::StatusOr<size_t> n = input.Read(buffer, sizeof(buffer));
    EXPECT_TRUE(n.ok()) << n.status();
    if (!n.ok() || *n == 0) return rest;
    rest.append(buffer, *n);
  }
}

// Peek, skip part of the peeked bytes and more, then read the rest: the same for every
// kind of input.
void PeekSkipRead(InputFile input, const std::string& bytes) {
  absl::StatusOr<absl::string_view> head = input.Peek(100);
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_EQ(*head, absl::string_view(bytes).substr(0, 100));
  head = input.Peek(5000);  // a longer look, still from the start
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_EQ(*head, absl::string_view(bytes).substr(0, 5000));
  absl::StatusOr<uint64_t> skipped = input.Skip(7000);  // past what was peeked
  ASSERT_TRUE(skipped.ok()) << skipped.status();
  EXPECT_EQ(*skipped, 7000u);
  EXPECT_EQ(input.position(), 7000u);
  char three[3];
  absl::StatusOr<size_t> n = input.Read(three, 3);
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(absl::string_view(three, *n), absl::string_view(bytes).substr(7000, 3));
  EXPECT_EQ(ReadRest(input), bytes.substr(7003));
  EXPECT_EQ(input.position(), bytes.size());
  skipped = input.Skip(10);  // at the end: nothing left
  ASSERT_TRUE(skipped.ok());
  EXPECT_EQ(*skipped, 0u);
}

TEST(InputFileTest, RegularFile) {
  const std::string bytes = Counting(20000);
  absl::StatusOr<InputFile> input = InputFile::Open(WriteFile("regular", bytes));
  ASSERT_TRUE(input.ok()) << input.status();
  EXPECT_EQ(input->size(), bytes.size());
  PeekSkipRead(*std::move(input), bytes);
}

TEST(InputFileTest, String) { PeekSkipRead(InputFile::FromString(Counting(20000), "s"), Counting(20000)); }

TEST(InputFileTest, Pipe) {
  const std::string bytes = Counting(200000);  // more than a pipe holds
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::thread writer([&] {
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::write(fds[1], bytes.data() + done, bytes.size() - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    ::close(fds[1]);
  });
  absl::StatusOr<InputFile> input = InputFile::Open(absl::StrCat("/dev/fd/", fds[0]));
  ASSERT_TRUE(input.ok()) << input.status();
  EXPECT_FALSE(input->size().has_value());
  PeekSkipRead(*std::move(input), bytes);
  writer.join();
  ::close(fds[0]);
}

TEST(InputFileTest, ReadAllGivesTheRest) {
  const std::string bytes = Counting(150000);
  absl::StatusOr<InputFile> input = InputFile::Open(WriteFile("read_all", bytes));
  ASSERT_TRUE(input.ok());
  ASSERT_TRUE(input->Peek(10).ok());
  char first[10];
  ASSERT_TRUE(input->Read(first, 10).ok());
  absl::StatusOr<std::string> rest = input->ReadAll();
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_EQ(*rest, bytes.substr(10));
  rest = InputFile::FromString("abc", "s").ReadAll();
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(*rest, "abc");
}

TEST(InputFileTest, PeekPastTheEndOfAFileGivesWhatThereIs) {
  absl::StatusOr<InputFile> input = InputFile::Open(WriteFile("short", "HRN"));
  ASSERT_TRUE(input.ok());
  absl::StatusOr<absl::string_view> head = input->Peek(1 << 20);
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(*head, "HRN");
  absl::StatusOr<uint64_t> skipped = input->Skip(100);  // no further than the end
  ASSERT_TRUE(skipped.ok());
  EXPECT_EQ(*skipped, 3u);
  EXPECT_EQ(ReadRest(*input), "");
}

TEST(InputFileTest, FileThatClaimsNoSizeIsReadAnyway) {
  // /proc files are regular files of size 0 with content.
  absl::StatusOr<InputFile> input = InputFile::Open("/proc/self/status");
  ASSERT_TRUE(input.ok());
  absl::StatusOr<absl::string_view> head = input->Peek(5);
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(*head, "Name:");
  EXPECT_EQ(ReadRest(*input).substr(0, 5), "Name:");
}

// Tables bigger than the reader's first look (1 MiB) are looked at again, larger.
TEST(InputFileTest, StreamingReaderOverAFileWithLargeTables) {
  Trace trace;
  SiteInfo site;
  site.file = "big.cc";
  site.line = 7;
  trace.AddSite(site);
  ObjectInfo thread_object;
  thread_object.kind = ObjectKind::kThread;
  ThreadInfo thread;
  thread.name = "main";
  thread.object = trace.AddObject(thread_object);
  trace.AddThread(thread);
  for (int i = 0; i < 50000; ++i) {
    ObjectInfo variable;
    variable.kind = ObjectKind::kSharedVariable;
    variable.name = absl::StrCat("a-rather-long-variable-name-", i);
    variable.address = 0x10000 + 8 * i;
    variable.size = 8;
    trace.AddObject(variable);
  }
  for (int i = 0; i < 3000; ++i) {
    Event e = Event::Access(i % 2 ? EventKind::kRead : EventKind::kWrite, 0, 0x10000 + 8 * i, 8);
    e.thread = 0;
    trace.AddEvent(e);
  }
  const std::string bytes = EncodeTrace(trace);
  ASSERT_GT(bytes.size(), size_t{2} << 20);
  absl::StatusOr<std::unique_ptr<TraceReader>> reader =
      OpenTraceReader(WriteFile("large_tables.trace", bytes), TraceFormat::kAuto);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->format(), TraceFormat::kBinary);
  EXPECT_EQ((*reader)->tables().objects(), trace.objects());
  std::vector<Event> events;
  std::vector<Event> batch;
  for (;;) {
    absl::Status status = (*reader)->ReadBatch(&batch);
    ASSERT_TRUE(status.ok()) << status;
    if (batch.empty()) break;
    events.insert(events.end(), batch.begin(), batch.end());
  }
  EXPECT_EQ(events, trace.events());
}

}  // namespace
}  // namespace harness
