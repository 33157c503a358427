// Tests of the streaming binary trace reader: it reads what DecodeTrace() reads, in
// batches, and rejects what DecodeTrace() rejects with the same message (prefixed with
// the file name), for every truncation of a file and for random corruptions.
#include "harness/trace/trace_file_reader.h"

#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "harness/trace/trace.h"
#include "harness/trace/trace_file.h"
#include "harness/trace/trace_reader.h"

namespace harness {
namespace {

Trace SampleTrace(int events) {
  Trace trace;
  SiteInfo site;
  site.file = "a.cc";
  site.function = "F()";
  site.line = 3;
  site.stack = {0x1234, 0x5678};
  trace.AddSite(site);
  ObjectInfo thread_object;
  thread_object.kind = ObjectKind::kThread;
  thread_object.name = "main";
  ThreadInfo thread;
  thread.name = "main";
  thread.object = trace.AddObject(thread_object);
  trace.AddThread(thread);
  ObjectInfo mutex;
  mutex.kind = ObjectKind::kMutex;
  mutex.name = "m";
  const ObjectId m = trace.AddObject(mutex);
  for (int i = 0; i < events; ++i) {
    Event e = i % 3 == 0 ? Event::Access(EventKind::kWrite, 0, 0x1000 + 8 * i, 8)
                         : Event::Sync(i % 3 == 1 ? EventKind::kLock : EventKind::kUnlock, 0, 0,
                                       m, static_cast<uint32_t>(i));
    e.thread = 0;
    trace.AddEvent(e);
  }
  trace.set_ordering_gaps(2);
  return trace;
}

// The streaming reader's verdict on `bytes`: the trace, or the error.
absl::StatusOr<Trace> Stream(const std::string& bytes) {
  absl::StatusOr<std::unique_ptr<TraceReader>> reader =
      MakeTraceReader(InputFile::FromString(bytes, "f"), TraceFormat::kBinary);
  if (!reader.ok()) return reader.status();
  absl::StatusOr<Trace> trace = ReadWholeTrace(**reader);
  if (trace.ok()) trace->set_ordering_gaps((*reader)->tables().ordering_gaps());
  return trace;
}

void ExpectSameVerdict(const std::string& bytes, const std::string& what) {
  absl::StatusOr<Trace> whole = DecodeTrace(bytes);
  absl::StatusOr<Trace> streamed = Stream(bytes);
  ASSERT_EQ(whole.ok(), streamed.ok()) << what << ": " << whole.status() << " / "
                                       << streamed.status();
  if (whole.ok()) {
    EXPECT_EQ(*whole, *streamed) << what;
  } else {
    EXPECT_EQ(streamed.status().code(), whole.status().code()) << what;
    EXPECT_EQ(streamed.status().message(), absl::StrCat("f: ", whole.status().message())) << what;
  }
}

TEST(TraceFileReaderTest, ReadsWhatDecodeTraceReadsInBatches) {
  const Trace trace = SampleTrace(200000);  // several batches
  absl::StatusOr<std::unique_ptr<TraceReader>> reader =
      MakeTraceReader(InputFile::FromString(EncodeTrace(trace), "f"), TraceFormat::kAuto);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->format(), TraceFormat::kBinary);
  std::vector<Event> all;
  std::vector<Event> batch;
  int batches = 0;
  while (true) {
    ASSERT_TRUE((*reader)->ReadBatch(&batch).ok());
    if (batch.empty()) break;
    ++batches;
    all.insert(all.end(), batch.begin(), batch.end());
  }
  EXPECT_GT(batches, 1);
  EXPECT_EQ(all, trace.events());
  EXPECT_EQ((*reader)->tables().ordering_gaps(), 2u);
  EXPECT_EQ((*reader)->tables().sites(), trace.sites());
}

TEST(TraceFileReaderTest, EveryTruncationGivesDecodeTracesError) {
  const std::string bytes = EncodeTrace(SampleTrace(5));
  for (size_t size = 0; size <= bytes.size(); ++size) {
    ExpectSameVerdict(bytes.substr(0, size), absl::StrCat("truncated to ", size));
  }
  ExpectSameVerdict(bytes + "xyz", "trailing bytes");
}

TEST(TraceFileReaderTest, TablesLongerThanTheFirstReadGiveDecodeTracesVerdict) {
  Trace trace = SampleTrace(5);
  SiteInfo long_site;
  long_site.file = std::string(300000, 'x');  // the tables need several reads
  long_site.function = "G()";
  trace.AddSite(long_site);
  const std::string bytes = EncodeTrace(trace);
  ExpectSameVerdict(bytes, "whole");
  for (size_t size : {size_t{70000}, size_t{140000}, size_t{299999}, bytes.size() - 90,
                      bytes.size() - 1}) {
    ExpectSameVerdict(bytes.substr(0, size), absl::StrCat("truncated to ", size));
  }
}

TEST(TraceFileReaderTest, BytesReadReachesTheInputsSize) {
  const std::string bytes = EncodeTrace(SampleTrace(100));
  absl::StatusOr<std::unique_ptr<TraceReader>> reader =
      MakeTraceReader(InputFile::FromString(bytes, "f"), TraceFormat::kAuto);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->total_bytes(), bytes.size());
  EXPECT_LT((*reader)->bytes_read(), bytes.size() - 100 * 16);  // the events are unread
  ASSERT_TRUE(ReadWholeTrace(**reader).ok());
  EXPECT_EQ((*reader)->bytes_read(), bytes.size());
}

TEST(TraceFileReaderTest, RandomCorruptionGivesDecodeTracesVerdict) {
  const std::string bytes = EncodeTrace(SampleTrace(8));
  std::mt19937 random(7);
  for (int i = 0; i < 3000; ++i) {
    std::string corrupt = bytes;
    const int flips = 1 + static_cast<int>(random() % 3);
    for (int f = 0; f < flips; ++f) {
      corrupt[random() % corrupt.size()] = static_cast<char>(random());
    }
    ExpectSameVerdict(corrupt, absl::StrCat("corruption ", i));
  }
}

}  // namespace
}  // namespace harness
