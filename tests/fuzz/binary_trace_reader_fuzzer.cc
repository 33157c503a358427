// tests/fuzz/binary_trace_reader_fuzzer.cc: libFuzzer target for the binary trace
// readers: harness::DecodeTrace (harness/trace/trace_file.h) and the streaming reader
// trace_check uses (TraceFileReader, harness/trace/trace_file_reader.h). Whatever the
// bytes, decoding must end with a Trace that is valid and re-encodes to exactly those
// bytes (the format is canonical), or with a clear error (DataLoss for a truncated file,
// InvalidArgument for anything else, and a message). The streaming reader must agree:
// the same tables and events, or the same error word for word after the input's name.
// A crash, a hang or a sanitizer report is a bug; so is an oracle failure, which aborts
// with the input's verdict.
//
// Built with clang 14 and -fsanitize=fuzzer by tools/fuzz.sh; the same entry point runs
// over the seed corpus in a plain Bazel test (//tests/fuzz:binary_trace_reader_corpus_test).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "harness/trace/trace.h"
#include "harness/trace/input_file.h"
#include "harness/trace/trace_file.h"
#include "harness/trace/trace_reader.h"

namespace {

[[noreturn]] void Fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "binary_trace_reader_fuzzer: %s: %s\n", what, detail.c_str());
  std::abort();
}

constexpr char kInputName[] = "fuzz-input";

// The streaming reader's verdict on `bytes`: every batch joined into one Trace, or the
// first error.
absl::StatusOr<harness::Trace> Stream(absl::string_view bytes) {
  absl::StatusOr<std::unique_ptr<harness::TraceReader>> reader = harness::MakeTraceReader(
      harness::InputFile::FromString(std::string(bytes), kInputName),
      harness::TraceFormat::kBinary);
  if (!reader.ok()) return reader.status();
  std::vector<harness::Event> events;
  std::vector<harness::Event> batch;
  for (;;) {
    absl::Status status = (*reader)->ReadBatch(&batch);
    if (!status.ok()) return status;
    if (batch.empty()) break;
    events.insert(events.end(), batch.begin(), batch.end());
  }
  harness::Trace trace = (*reader)->tables();  // ordering gaps are known at the end
  trace.mutable_events() = std::move(events);
  return trace;
}

void CheckStreamingAgrees(absl::string_view bytes, const absl::StatusOr<harness::Trace>& whole) {
  absl::StatusOr<harness::Trace> streamed = Stream(bytes);
  if (whole.ok() != streamed.ok()) {
    Fail(whole.ok() ? "the streaming reader rejects what DecodeTrace accepts"
                    : "the streaming reader accepts what DecodeTrace rejects",
         whole.ok() ? streamed.status().ToString() : whole.status().ToString());
  }
  if (whole.ok()) {
    if (!(*streamed == *whole)) Fail("the streaming reader reads another trace", "");
    return;
  }
  const std::string expected = std::string(kInputName) + ": " + std::string(whole.status().message());
  if (streamed.status().code() != whole.status().code() ||
      streamed.status().message() != expected) {
    Fail("the streaming reader's error differs",
         streamed.status().ToString() + " instead of " + whole.status().ToString());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<harness::Trace> trace = harness::DecodeTrace(bytes);
  CheckStreamingAgrees(bytes, trace);
  if (!trace.ok()) {
    const absl::Status& status = trace.status();
    if (status.code() != absl::StatusCode::kDataLoss &&
        status.code() != absl::StatusCode::kInvalidArgument) {
      Fail("unexpected error code", status.ToString());
    }
    if (status.message().empty()) Fail("error without a message", status.ToString());
    return 0;
  }
  if (absl::Status valid = trace->Validate(); !valid.ok()) {
    Fail("decoded trace does not validate", valid.ToString());
  }
  if (absl::Status encodable = harness::CheckEncodable(*trace); !encodable.ok()) {
    Fail("decoded trace is not encodable", encodable.ToString());
  }
  if (harness::EncodeTrace(*trace) != bytes) {
    Fail("decoded trace does not re-encode to its input",
         std::to_string(size) + " input bytes");
  }
  return 0;
}
