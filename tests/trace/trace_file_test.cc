// tests/trace/trace_file_test.cc: the binary trace file: round trips, the exact layout,
// and clean errors (with byte offsets) for truncated, corrupted and hostile input.
#include "harness/trace/trace_file.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/trace/event.h"
#include "harness/trace/trace.h"

namespace harness {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Every kind of table entry, stacks, names with odd bytes, and one event of every kind.
Trace RichTrace() {
  Trace trace;
  SiteId s0 = trace.AddSite({.file = "src/bank/bank.cc", .function = "Bank::Transfer(int)",
                             .line = 21, .column = 5,
                             .stack = {0x401000, 0x7fffdeadbeef, 0xffffffffffffffff}});
  SiteId s1 = trace.AddSite({.file = std::string("we\0ird\n\xff", 8), .function = "", .line = 0, .stack = {}});
  trace.AddSite({});
  ObjectId main_object = trace.AddObject({.kind = ObjectKind::kThread, .name = "main"});
  ThreadId main_thread = trace.AddThread({.name = "main", .object = main_object});
  ObjectId worker_object = trace.AddObject({.kind = ObjectKind::kThread, .name = "worker",
                                            .creation_site = s1, .creator = main_thread});
  ThreadId worker = trace.AddThread({.name = "worker", .parent = main_thread,
                                     .creation_site = s1, .object = worker_object});
  trace.AddThread({});  // a thread with nothing known about it
  for (int k = 0; k < kObjectKindCount; ++k) {
    trace.AddObject({.kind = static_cast<ObjectKind>(k), .name = absl::StrCat("object-", k),
                     .address = 0x7000 + 64 * static_cast<uint64_t>(k), .size = 8,
                     .creation_site = k % 2 == 0 ? s0 : kNoSite,
                     .creator = k % 3 == 0 ? worker : main_thread});
  }
  for (int k = 0; k < kEventKindCount; ++k) {
    const EventKind kind = static_cast<EventKind>(k);
    Event e = IsMemoryAccess(kind)
                  ? Event::Access(kind, s0, 0x7fff12345678, 0xffff)
                  : Event::Sync(kind, static_cast<uint8_t>(k), k % 2 == 0 ? s1 : kNoSite,
                                static_cast<ObjectId>(k % trace.objects().size()),
                                // kDestroyedWhileWaitedOn's sequence names a thread.
                                kind == EventKind::kDestroyedWhileWaitedOn
                                    ? 1u
                                    : 0xfffffff0u + static_cast<uint32_t>(k));
    e.thread = static_cast<ThreadId>(k % 3);
    trace.AddEvent(e);
  }
  trace.set_ordering_gaps(0x0102030405060708);
  return trace;
}

// A tiny trace whose layout the tests below spell out byte by byte:
//   0 magic, 8 version, 12 flags, 16 site count,
//   24 site 0: 24 line, 28 column, 32 file length, 36 "a.cc", 40 function length,
//      44 "f", 45 frame count, 49 frame 0,
//   57 thread count, 65 thread 0: 65 name length, 69 "main", 73 parent, 75 site, 79 object,
//   83 object count, 91 object 0: 91 kind, 92 name length, 96 "main", 100 address,
//      108 size, 116 site, 120 creator,
//   122 event count, 130 event 0 (130 kind, 131 detail, 132 thread, 134 site, 138 payload),
//   146 event 1, 162 ordering gaps, 170 end.
Trace TinyTrace() {
  Trace trace;
  trace.AddSite({.file = "a.cc", .function = "f", .line = 7, .column = 3, .stack = {0x1234}});
  trace.AddThread({.name = "main", .creation_site = 0, .object = 0});
  trace.AddObject({.kind = ObjectKind::kThread, .name = "main", .address = 0x10, .size = 8,
                   .creation_site = 0, .creator = 0});
  Event start = Event::Sync(EventKind::kThreadStart, 0, 0, 0, 0);
  start.thread = 0;
  trace.AddEvent(start);
  Event write = Event::Access(EventKind::kWrite, 0, 0x10, 8);
  write.thread = 0;
  trace.AddEvent(write);
  return trace;
}

void Put32(std::string& bytes, size_t offset, uint32_t value) {
  for (int i = 0; i < 4; ++i) bytes[offset + i] = static_cast<char>(value >> (8 * i));
}
void Put64(std::string& bytes, size_t offset, uint64_t value) {
  for (int i = 0; i < 8; ++i) bytes[offset + i] = static_cast<char>(value >> (8 * i));
}

void ExpectError(const std::string& bytes, absl::StatusCode code, const std::string& message) {
  absl::StatusOr<Trace> decoded = DecodeTrace(bytes);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), code) << decoded.status();
  EXPECT_EQ(decoded.status().message(), message);
}

TEST(TraceFileTest, RoundTripsEverything) {
  const Trace trace = RichTrace();
  ASSERT_TRUE(trace.Validate().ok()) << trace.Validate();
  ASSERT_TRUE(CheckEncodable(trace).ok());
  const std::string bytes = EncodeTrace(trace);
  absl::StatusOr<Trace> decoded = DecodeTrace(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, trace);
  EXPECT_EQ(decoded->sites()[0].stack.size(), 3u);
  EXPECT_EQ(decoded->sites()[1].file.size(), 8u);
  EXPECT_EQ(decoded->events().size(), static_cast<size_t>(kEventKindCount));
  EXPECT_EQ(decoded->ordering_gaps(), 0x0102030405060708u);
  // The encoding is canonical: decoding and encoding again gives the same bytes.
  EXPECT_EQ(EncodeTrace(*decoded), bytes);
}

TEST(TraceFileTest, EmptyTraceRoundTrips) {
  const std::string bytes = EncodeTrace(Trace());
  // Header, four zero counts and the gap count.
  EXPECT_EQ(bytes.size(), 16u + 4 * 8 + 8);
  absl::StatusOr<Trace> decoded = DecodeTrace(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, Trace());
}

TEST(TraceFileTest, TinyTraceHasTheDocumentedLayout) {
  const std::string bytes = EncodeTrace(TinyTrace());
  ASSERT_EQ(bytes.size(), 170u);
  EXPECT_EQ(bytes.substr(0, 8), "HRNTRACE");
  EXPECT_EQ(bytes.substr(8, 8), std::string("\x01\0\0\0\0\0\0\0", 8));  // version 1, flags 0
  EXPECT_EQ(bytes.substr(16, 8), std::string("\x01\0\0\0\0\0\0\0", 8));  // one site
  EXPECT_EQ(bytes.substr(24, 8), std::string("\x07\0\0\0\x03\0\0\0", 8));  // line, column
  EXPECT_EQ(bytes.substr(32, 13), std::string("\x04\0\0\0" "a.cc" "\x01\0\0\0" "f", 13));
  EXPECT_EQ(bytes.substr(45, 12), std::string("\x01\0\0\0" "\x34\x12\0\0\0\0\0\0", 12));
  EXPECT_EQ(bytes.substr(65, 18),
            std::string("\x04\0\0\0" "main" "\xff\xff" "\0\0\0\0" "\0\0\0\0", 18));
  EXPECT_EQ(bytes.substr(91, 1), std::string("\x05", 1));  // ObjectKind::kThread
  EXPECT_EQ(bytes.substr(122, 8), std::string("\x02\0\0\0\0\0\0\0", 8));  // two events
  // Event 0: kind, detail, thread, site, payload; exactly 16 bytes.
  EXPECT_EQ(bytes.substr(130, 16), std::string("\0\0" "\0\0" "\0\0\0\0" "\0\0\0\0\0\0\0\0", 16));
  // Event 1: kWrite (17), 8 bytes at 0x10.
  EXPECT_EQ(bytes.substr(146, 16),
            std::string("\x11\0" "\0\0" "\0\0\0\0" "\x10\0\0\0\0\0\x08\0", 16));
  EXPECT_EQ(bytes.substr(162, 8), std::string(8, '\0'));
}

TEST(TraceFileTest, EachEventTakesSixteenBytes) {
  Trace trace = TinyTrace();
  const size_t before = EncodeTrace(trace).size();
  for (int i = 0; i < 1000; ++i) trace.AddEvent(trace.events()[i % 2]);
  EXPECT_EQ(EncodeTrace(trace).size(), before + 16 * 1000);
}

TEST(TraceFileTest, ManyEventsRoundTrip) {
  Trace trace = TinyTrace();
  std::vector<Event>& events = trace.mutable_events();
  for (uint32_t i = 0; i < 200000; ++i) {
    Event e = i % 3 == 0 ? Event::Sync(EventKind::kLock, 1, 0, 0, i)
                         : Event::Access(EventKind::kRead, 0, 0x1000 + i, i % 64);
    e.thread = 0;
    events.push_back(e);
  }
  const std::string bytes = EncodeTrace(trace);
  absl::StatusOr<Trace> decoded = DecodeTrace(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, trace);
}

TEST(TraceFileTest, EveryTruncationIsAnErrorNotACrash) {
  for (const Trace& trace : {TinyTrace(), RichTrace(), Trace()}) {
    const std::string bytes = EncodeTrace(trace);
    for (size_t length = 0; length < bytes.size(); ++length) {
      absl::StatusOr<Trace> decoded = DecodeTrace(absl::string_view(bytes).substr(0, length));
      ASSERT_FALSE(decoded.ok()) << "length " << length;
      EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss) << decoded.status();
      EXPECT_THAT(std::string(decoded.status().message()),
                  StartsWith("trace file truncated at byte offset "));
      EXPECT_THAT(std::string(decoded.status().message()),
                  HasSubstr(absl::StrCat("(the input ends at byte offset ", length, ")")));
    }
  }
}

TEST(TraceFileTest, TruncationNamesTheOffsetAndTheField) {
  const std::string bytes = EncodeTrace(TinyTrace());
  auto cut = [&](size_t length) { return bytes.substr(0, length); };
  ExpectError(cut(0), absl::StatusCode::kDataLoss,
              "trace file truncated at byte offset 0: expected 8-byte magic \"HRNTRACE\" (the "
              "input ends at byte offset 0)");
  ExpectError(cut(5), absl::StatusCode::kDataLoss,
              "trace file truncated at byte offset 0: expected 8-byte magic \"HRNTRACE\" (the "
              "input ends at byte offset 5)");
  ExpectError(cut(10), absl::StatusCode::kDataLoss,
              "trace file truncated at byte offset 8: expected u32 format version (the input "
              "ends at byte offset 10)");
  ExpectError(cut(20), absl::StatusCode::kDataLoss,
              "trace file truncated at byte offset 16: expected u64 site count (the input ends "
              "at byte offset 20)");
  ExpectError(cut(38), absl::StatusCode::kDataLoss,
              "trace file truncated at byte offset 36: expected 4-byte file name of site 0 of 1 "
              "(the input ends at byte offset 38)");
  ExpectError(cut(52), absl::StatusCode::kDataLoss,
              "trace file truncated at byte offset 49: expected u64 stack frame 0 of 1 of site "
              "0 of 1 (the input ends at byte offset 52)");
  ExpectError(cut(74), absl::StatusCode::kDataLoss,
              "trace file truncated at byte offset 73: expected u16 parent of thread 0 of 1 "
              "(the input ends at byte offset 74)");
  ExpectError(cut(93), absl::StatusCode::kDataLoss,
              "trace file truncated at byte offset 92: expected u32 length of object name of "
              "object 0 of 1 (the input ends at byte offset 93)");
  ExpectError(cut(130), absl::StatusCode::kDataLoss,
              "trace file truncated at byte offset 130: expected 16-byte event 0 of 2 (the "
              "input ends at byte offset 130)");
  ExpectError(cut(150), absl::StatusCode::kDataLoss,
              "trace file truncated at byte offset 146: expected 16-byte event 1 of 2 (the "
              "input ends at byte offset 150)");
  ExpectError(cut(169), absl::StatusCode::kDataLoss,
              "trace file truncated at byte offset 162: expected u64 ordering gap count (the "
              "input ends at byte offset 169)");
}

TEST(TraceFileTest, BadMagic) {
  std::string bytes = EncodeTrace(TinyTrace());
  bytes[0] = 'X';
  ExpectError(bytes, absl::StatusCode::kInvalidArgument,
              "bad magic at byte offset 0: expected \"HRNTRACE\", found \"XRNTRACE\" (not a "
              "trace file)");
  ExpectError("PK\x03\x04", absl::StatusCode::kInvalidArgument,
              "bad magic at byte offset 0: expected \"HRNTRACE\", found \"PK\\x03\\x04\" (not a "
              "trace file)");
}

TEST(TraceFileTest, UnsupportedVersionAndFlags) {
  std::string bytes = EncodeTrace(TinyTrace());
  Put32(bytes, 8, 2);
  ExpectError(bytes, absl::StatusCode::kInvalidArgument,
              "unsupported trace format version 2 at byte offset 8 (this build reads version "
              "1)");
  Put32(bytes, 8, 0);
  ExpectError(bytes, absl::StatusCode::kInvalidArgument,
              "unsupported trace format version 0 at byte offset 8 (this build reads version "
              "1)");
  bytes = EncodeTrace(TinyTrace());
  Put32(bytes, 12, 0x80);
  ExpectError(bytes, absl::StatusCode::kInvalidArgument,
              "unknown flags 0x80 at byte offset 12 (version 1 defines none)");
}

TEST(TraceFileTest, EnumValuesOutOfRange) {
  std::string bytes = EncodeTrace(TinyTrace());
  bytes[91] = static_cast<char>(kObjectKindCount);
  ExpectError(bytes, absl::StatusCode::kInvalidArgument,
              "object 0 at byte offset 91 has unknown kind 14");
  bytes = EncodeTrace(TinyTrace());
  bytes[146] = static_cast<char>(0xff);
  ExpectError(bytes, absl::StatusCode::kInvalidArgument,
              "event 1 at byte offset 146 has unknown kind 255");
  bytes[146] = static_cast<char>(kEventKindCount);
  ExpectError(bytes, absl::StatusCode::kInvalidArgument,
              absl::StrCat("event 1 at byte offset 146 has unknown kind ", kEventKindCount));
}

TEST(TraceFileTest, HugeCountsFailWithoutAllocating) {
  const std::string good = EncodeTrace(TinyTrace());
  std::string bytes = good;
  Put64(bytes, 122, uint64_t{1} << 60);  // 2^60 events: the 40 bytes left hold two
  ExpectError(bytes, absl::StatusCode::kDataLoss,
              "trace file truncated at byte offset 162: expected 16-byte event 2 of "
              "1152921504606846976 (the input ends at byte offset 170)");
  Put64(bytes, 122, ~uint64_t{0});
  ExpectError(bytes, absl::StatusCode::kDataLoss,
              "trace file truncated at byte offset 162: expected 16-byte event 2 of "
              "18446744073709551615 (the input ends at byte offset 170)");

  bytes = good;
  Put64(bytes, 57, 0x10000);  // ThreadId is 16 bits
  ExpectError(bytes, absl::StatusCode::kInvalidArgument,
              "thread count 65536 at byte offset 57 exceeds the format's limit of 65535");
  bytes = good;
  Put64(bytes, 16, uint64_t{1} << 60);
  ExpectError(bytes, absl::StatusCode::kInvalidArgument,
              "site count 1152921504606846976 at byte offset 16 exceeds the format's limit of "
              "4294967295");
  bytes = good;
  Put64(bytes, 83, uint64_t{1} << 32);
  ExpectError(bytes, absl::StatusCode::kInvalidArgument,
              "object count 4294967296 at byte offset 83 exceeds the format's limit of "
              "4294967295");
  // Counts within the limits but beyond the input: cut short where the bytes run out.
  bytes = good;
  Put64(bytes, 16, 0xffffffff);
  absl::StatusOr<Trace> decoded = DecodeTrace(bytes);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(decoded.status().message()), HasSubstr("of site "));
  EXPECT_THAT(std::string(decoded.status().message()), HasSubstr(" of 4294967295 "));
  // A string or stack longer than the input.
  bytes = good;
  Put32(bytes, 32, 0xffffffff);
  ExpectError(bytes, absl::StatusCode::kDataLoss,
              "trace file truncated at byte offset 36: expected 4294967295-byte file name of "
              "site 0 of 1 (the input ends at byte offset 170)");
  bytes = good;
  Put32(bytes, 45, 0xffffffff);
  ExpectError(bytes, absl::StatusCode::kDataLoss,
              "trace file truncated at byte offset 169: expected u64 stack frame 15 of "
              "4294967295 of site 0 of 1 (the input ends at byte offset 170)");
}

TEST(TraceFileTest, OutOfRangeReferences) {
  const std::string good = EncodeTrace(TinyTrace());
  std::string bytes = good;
  bytes[73] = 1;  // thread 0's parent
  bytes[74] = 0;
  ExpectError(bytes, absl::StatusCode::kInvalidArgument,
              "thread 0 at byte offset 65 refers to missing parent thread 1 (the trace has 1 "
              "thread)");
  bytes = good;
  Put32(bytes, 75, 3);  // thread 0's creation site
  ExpectError(bytes, absl::StatusCode::kInvalidArgument,
              "thread 0 at byte offset 65 refers to missing creation site 3 (the trace has 1 "
              "site)");
  bytes = good;
  Put32(bytes, 79, 2);  // thread 0's object
  ExpectError(bytes, absl::StatusCode::kInvalidArgument,
              "thread 0 at byte offset 65 refers to missing object 2 (the trace has 1 object)");
  bytes = good;
  Put32(bytes, 116, 1);  // object 0's creation site
  ExpectError(bytes, absl::StatusCode::kInvalidArgument,
              "object 0 at byte offset 91 refers to missing creation site 1 (the trace has 1 "
              "site)");
  bytes = good;
  bytes[120] = 4;  // object 0's creator
  ExpectError(bytes, absl::StatusCode::kInvalidArgument,
              "object 0 at byte offset 91 refers to missing creator thread 4 (the trace has 1 "
              "thread)");
  bytes = good;
  bytes[132] = 2;  // event 0's thread
  ExpectError(bytes, absl::StatusCode::kInvalidArgument,
              "event 0 at byte offset 130 refers to missing thread 2 (the trace has 1 thread)");
  bytes = good;
  bytes[148] = static_cast<char>(0xff);  // event 1's thread: kNoThread
  bytes[149] = static_cast<char>(0xff);
  ExpectError(bytes, absl::StatusCode::kInvalidArgument,
              "event 1 at byte offset 146 refers to missing thread 65535 (the trace has 1 "
              "thread)");
  bytes = good;
  Put32(bytes, 150, 5);  // event 1's site
  ExpectError(bytes, absl::StatusCode::kInvalidArgument,
              "event 1 at byte offset 146 refers to missing site 5 (the trace has 1 site)");
  bytes = good;
  Put32(bytes, 138, 9);  // event 0's object
  ExpectError(bytes, absl::StatusCode::kInvalidArgument,
              "event 0 at byte offset 130 refers to missing object 9 (the trace has 1 object)");
  // A memory access's payload is an address, whatever its low bits.
  bytes = good;
  Put32(bytes, 154, 0xabcdef);
  EXPECT_TRUE(DecodeTrace(bytes).ok());
  // Sentinels are valid references.
  bytes = good;
  Put32(bytes, 75, kNoSite);
  Put32(bytes, 79, kNoObject);
  Put32(bytes, 134, kNoSite);
  EXPECT_TRUE(DecodeTrace(bytes).ok());
}

TEST(TraceFileTest, TrailingBytes) {
  const std::string bytes = EncodeTrace(TinyTrace()) + "xyz";
  ExpectError(bytes, absl::StatusCode::kInvalidArgument,
              "3 unexpected trailing bytes at byte offset 170 after the end of the trace");
}

// A cheap in-test fuzzer: random byte edits and cuts of valid encodings must give an
// error or a valid trace that encodes back to exactly the same bytes; never a crash.
TEST(TraceFileTest, RandomCorruptionNeverCrashes) {
  std::mt19937_64 random(20240601);
  const std::string seeds[] = {EncodeTrace(TinyTrace()), EncodeTrace(RichTrace())};
  int decoded_ok = 0;
  for (int iteration = 0; iteration < 20000; ++iteration) {
    std::string bytes = seeds[iteration % 2];
    const int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits; ++e) {
      const size_t at = random() % bytes.size();
      switch (random() % 4) {
        case 0: bytes[at] = static_cast<char>(random()); break;
        case 1: bytes[at] = static_cast<char>(bytes[at] ^ (1 << (random() % 8))); break;
        case 2: bytes[at] = static_cast<char>(0xff); break;
        case 3: bytes.resize(std::max<size_t>(at, 1)); break;
      }
    }
    absl::StatusOr<Trace> decoded = DecodeTrace(bytes);
    if (decoded.ok()) {
      ++decoded_ok;
      ASSERT_TRUE(decoded->Validate().ok());
      ASSERT_EQ(EncodeTrace(*decoded), bytes);
    } else {
      const absl::StatusCode code = decoded.status().code();
      ASSERT_TRUE(code == absl::StatusCode::kInvalidArgument ||
                  code == absl::StatusCode::kDataLoss)
          << decoded.status();
      ASSERT_THAT(std::string(decoded.status().message()), HasSubstr("byte offset "));
    }
  }
  // Edits of names, addresses and payloads decode fine: the fuzzer reached the end.
  EXPECT_GT(decoded_ok, 0);
}

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return absl::StrCat(dir != nullptr ? dir : "/tmp", "/", name);
}

TEST(TraceFileTest, FileRoundTrip) {
  const std::string path = TempPath("rich.trace");
  const Trace trace = RichTrace();
  ASSERT_TRUE(WriteTraceFile(trace, path).ok());
  absl::StatusOr<Trace> read = ReadTraceFile(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, trace);

  // Writing replaces the file.
  ASSERT_TRUE(WriteTraceFile(TinyTrace(), path).ok());
  read = ReadTraceFile(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, TinyTrace());
}

TEST(TraceFileTest, LargeFileRoundTrip) {
  // Larger than the reader's first buffer.
  Trace trace = TinyTrace();
  for (int i = 0; i < 50000; ++i) trace.AddEvent(trace.events()[i % 2]);
  const std::string path = TempPath("large.trace");
  ASSERT_TRUE(WriteTraceFile(trace, path).ok());
  absl::StatusOr<Trace> read = ReadTraceFile(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, trace);
}

TEST(TraceFileTest, MissingFileIsNotFound) {
  const std::string path = TempPath("no-such.trace");
  absl::StatusOr<Trace> read = ReadTraceFile(path);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(read.status().message()), HasSubstr(path));

  absl::Status write = WriteTraceFile(TinyTrace(), TempPath("no-such-dir/x.trace"));
  EXPECT_EQ(write.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(write.message()), HasSubstr("no-such-dir/x.trace"));
}

TEST(TraceFileTest, ReadErrorsNameThePath) {
  const std::string path = TempPath("corrupt.trace");
  std::string bytes = EncodeTrace(TinyTrace());
  bytes[91] = 99;
  {
    FILE* file = std::fopen(path.c_str(), "wb");
    ASSERT_NE(file, nullptr);
    ASSERT_EQ(std::fwrite(bytes.data(), 1, bytes.size(), file), bytes.size());
    std::fclose(file);
  }
  absl::StatusOr<Trace> read = ReadTraceFile(path);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(read.status().message(),
            absl::StrCat(path, ": object 0 at byte offset 91 has unknown kind 99"));

  const std::string good = EncodeTrace(TinyTrace());
  {
    FILE* file = std::fopen(path.c_str(), "wb");
    ASSERT_NE(file, nullptr);
    ASSERT_EQ(std::fwrite(good.data(), 1, 100, file), 100u);
    std::fclose(file);
  }
  read = ReadTraceFile(path);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(read.status().message()),
              StartsWith(absl::StrCat(path, ": trace file truncated at byte offset 100")));
}

// The batch check (four events at a time where SSE2 is there) agrees with the one-event
// check on every event, including each field at and around its bound, and says false
// whenever any one event of a batch of any length is bad.
TEST(AllValidDecodedEventsTest, AgreesWithTheOneEventCheck) {
  std::mt19937_64 random(7);
  const uint64_t threads = 5;
  const uint64_t objects = 9;
  const uint64_t sites = 4;
  auto pick = [&](std::initializer_list<uint64_t> values) {
    return *(values.begin() + random() % values.size());
  };
  auto random_event = [&]() {
    Event event{};
    event.kind = static_cast<EventKind>(pick({0, 1, 15, 16, 17, 18, 30, 31, 32, 200, 255}));
    event.detail = static_cast<uint8_t>(random());
    event.thread = static_cast<ThreadId>(pick({0, 3, 4, 5, 6, kNoThread}));
    event.site = static_cast<SiteId>(pick({0, 3, 4, 5, kNoSite, kNoSite - 1}));
    const uint64_t object = pick({0, 8, 9, 10, 0x7fffffff, 0x80000000, 0xffffffff});
    const uint64_t sequence = pick({0, 4, 5, kNoThread, 0x10000, 0xffffffff});
    event.payload = object | (sequence << 32);
    return event;
  };
  int valid_batches = 0;
  for (int round = 0; round < 20000; ++round) {
    std::vector<Event> batch(random() % 11);
    // Mostly valid events, so that batches of all valid ones occur too.
    for (Event& event : batch) {
      do {
        event = random_event();
      } while (random() % 4 != 0 && !IsValidDecodedEvent(event, threads, objects, sites));
    }
    bool expected = true;
    for (const Event& event : batch) {
      expected = expected && IsValidDecodedEvent(event, threads, objects, sites);
    }
    valid_batches += expected;
    ASSERT_EQ(AllValidDecodedEvents(batch, threads, objects, sites), expected)
        << "round " << round;
  }
  EXPECT_GT(valid_batches, 1000);
  EXPECT_LT(valid_batches, 19000);
  // Empty tables: only the scalar path applies, and nothing with a thread is valid.
  EXPECT_FALSE(AllValidDecodedEvents(std::vector<Event>(8, Event{}), 0, 0, 0));
}

}  // namespace
}  // namespace harness
