// Tests of the STD reader and writer: the mapping to the event model, names as the
// file gives them, tables that grow as the file introduces threads / locks / variables,
// reading in blocks (lines across block boundaries, a very long line), and the writer.
#include "harness/trace/std_format.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/trace/trace.h"

namespace harness {
namespace {

using ::testing::ElementsAre;

Trace Parse(absl::string_view text) {
  absl::StatusOr<Trace> trace = ParseStdTrace(text, "test.std");
  EXPECT_TRUE(trace.ok()) << trace.status();
  return trace.ok() ? *std::move(trace) : Trace();
}

TEST(StdFormatTest, MapsEveryOperationToTheEventModel) {
  Trace trace = Parse(
      "main|fork(w)|1\n"
      "w|acq(L)|2\n"
      "w|w(x)|3\n"
      "w|r(y)|4\n"
      "w|rel(L)|5\n"
      "main|join(w)|6\n");
  ASSERT_TRUE(trace.Validate().ok());
  EXPECT_TRUE(trace.names_are_labels());
  std::vector<std::string> described;
  for (const Event& event : trace.events()) described.push_back(trace.Describe(event));
  EXPECT_THAT(described,
              ElementsAre("main thread_create w #1 at 1:0", "w thread_start w #1 at 1:0",
                          "w lock L #1 at 2:0", "w write 8 bytes at 0x100000000 at 3:0",
                          "w read 8 bytes at 0x100000008 at 4:0", "w unlock L #2 at 5:0",
                          "w thread_end w #2", "main thread_join w #2 at 6:0"));
  ASSERT_EQ(trace.threads().size(), 2u);
  EXPECT_EQ(trace.threads()[1].name, "w");
  EXPECT_EQ(trace.threads()[1].parent, 0);
  EXPECT_EQ(trace.sites()[trace.threads()[1].creation_site].file, "1");
  EXPECT_EQ(trace.ThreadLabel(1), "w");
  // Objects in order of first mention: main's and w's thread objects, L, x, y.
  ASSERT_EQ(trace.objects().size(), 5u);
  EXPECT_EQ(trace.objects()[2].kind, ObjectKind::kMutex);
  EXPECT_EQ(trace.objects()[3].kind, ObjectKind::kSharedVariable);
  EXPECT_EQ(trace.objects()[3].name, "x");
  EXPECT_EQ(trace.objects()[3].address, kStdVariableBase);
  EXPECT_EQ(trace.objects()[3].size, kStdVariableSize);
  EXPECT_EQ(trace.ObjectLabel(3), "x");
}

TEST(StdFormatTest, ReentrantAcquisitionsAreRecursive) {
  Trace trace = Parse("T|acq(L)|1\nT|acq(L)|2\nT|rel(L)|3\nT|rel(L)|4\n");
  ASSERT_EQ(trace.events().size(), 4u);
  EXPECT_EQ(trace.events()[0].detail, 0);
  EXPECT_EQ(trace.events()[1].detail, lock_detail::kRecursive);
  EXPECT_EQ(trace.events()[2].detail, lock_detail::kRecursive);
  EXPECT_EQ(trace.events()[3].detail, 0);
}

TEST(StdFormatTest, TablesGrowBatchByBatch) {
  std::string text;
  for (int i = 0; i < 100000; ++i) absl::StrAppend(&text, "T", i % 7, "|w(V", i, ")|", i, "\n");
  StdTraceReader reader(InputFile::FromString(text, "big.std"));
  std::vector<Event> batch;
  size_t events = 0;
  size_t batches = 0;
  while (true) {
    ASSERT_TRUE(reader.ReadBatch(&batch).ok());
    if (batch.empty()) break;
    ++batches;
    events += batch.size();
    // Every event of a batch refers to tables that exist when the batch is handed out.
    for (const Event& event : batch) {
      ASSERT_LT(event.thread, reader.tables().threads().size());
      ASSERT_LT(event.site, reader.tables().sites().size());
    }
  }
  EXPECT_EQ(events, 100000u);
  EXPECT_GT(batches, 1u);
  EXPECT_EQ(reader.tables().threads().size(), 7u);
  EXPECT_EQ(reader.tables().sites().size(), 100000u);
  EXPECT_EQ(reader.lines_read(), 100000u);
  EXPECT_EQ(reader.bytes_read(), text.size());
}

TEST(StdFormatTest, LinesLongerThanABlockAreRead) {
  const std::string location(3 << 20, 'x');  // three 1 MiB blocks
  Trace trace = Parse(absl::StrCat("T|w(a)|1\nT|r(a)|", location, "\nT|w(b)|2\n"));
  ASSERT_EQ(trace.events().size(), 3u);
  EXPECT_EQ(trace.sites()[trace.events()[1].site].file, location);
}

TEST(StdFormatTest, ErrorsNameTheFileAndLine) {
  absl::StatusOr<Trace> trace = ParseStdTrace("T|w(a)|1\n\nT|x(a)|3\n", "t.std");
  ASSERT_FALSE(trace.ok());
  EXPECT_EQ(trace.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(trace.status().message(),
            "t.std:3: unknown operation 'x' (expected r, w, acq, rel, fork or join)");
}

TEST(StdFormatTest, WriterKeepsTheNamesOfAnStdTrace) {
  const std::string text =
      "main|fork(w)|a.c:1\nw|acq(L)|2\nw|w(x)|3\nw|rel(L)|4\nmain|join(w)|5\nmain|r(x)|6\n";
  EXPECT_EQ(FormatStdTrace(Parse(text)), text);
}

// Once, "T(" was read as a thread name and written back as "T_", another thread's name
// (found by the STD fuzzer): names the writer cannot write verbatim are refused, and a
// location (the last field) keeps its parentheses.
TEST(StdFormatTest, EveryNameAndLocationIsWrittenBackVerbatim) {
  absl::StatusOr<Trace> bad = ParseStdTrace("T_|w(x)|1\nT(|w(x)|2\n", "t.std");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "t.std:2: malformed thread name 'T(' (a name may not contain '(', ')' or a "
            "carriage return)");
  const std::string text = "T_|w(x)|Account::Deposit(long)\nT1|r(x)|f()\r\n";
  Trace trace = Parse(text);
  EXPECT_EQ(trace.sites()[trace.events()[0].site].file, "Account::Deposit(long)");
  EXPECT_EQ(FormatStdTrace(trace), "T_|w(x)|Account::Deposit(long)\nT1|r(x)|f()\n");
}

TEST(StdFormatTest, WriterSplitsAccessesIntoGranulesAndLeavesOutWhatStdLacks) {
  Trace trace;
  ObjectInfo thread_object;
  thread_object.kind = ObjectKind::kThread;
  ThreadInfo thread;
  thread.object = trace.AddObject(thread_object);
  trace.AddThread(thread);
  ObjectInfo buffer;
  buffer.kind = ObjectKind::kMemory;
  buffer.name = "buffer";
  buffer.address = 0x1000;
  buffer.size = 16;
  trace.AddObject(buffer);  // M1
  ObjectInfo atomic;
  atomic.kind = ObjectKind::kAtomic;
  atomic.address = 0x2000;
  atomic.size = 8;
  trace.AddObject(atomic);  // M2
  SiteInfo site;
  site.file = "a.cc";
  site.line = 7;
  trace.AddSite(site);
  Event write = Event::Access(EventKind::kWrite, 0, 0x1004, 8);  // bytes 4..11: two granules
  write.thread = 0;
  trace.AddEvent(write);
  Event outside = Event::Access(EventKind::kRead, 0, 0x3000, 4);
  outside.thread = 0;
  trace.AddEvent(outside);
  Event store = Event::Sync(EventKind::kAtomicStore, 3, 0, 2, 1);
  store.thread = 0;
  trace.AddEvent(store);
  StdTraceWriter writer(trace);
  std::string out;
  writer.Write(trace.events(), &out);
  EXPECT_EQ(out, "T0|w(M1[0])|a.cc:7\nT0|w(M1[1])|a.cc:7\nT0|r(0x3000)|a.cc:7\n");
  EXPECT_EQ(writer.events_left_out(), 1u);
  EXPECT_EQ(writer.atomics_left_out(), 1u);
}

}  // namespace
}  // namespace harness
