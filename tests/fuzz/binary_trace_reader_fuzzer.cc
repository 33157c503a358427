// tests/fuzz/binary_trace_reader_fuzzer.cc: libFuzzer target for the binary trace reader
// (harness::DecodeTrace, harness/trace/trace_file.h). Whatever the bytes, decoding must
// end with a Trace that is valid and re-encodes to exactly those bytes (the format is
// canonical), or with a clear error (DataLoss for a truncated file, InvalidArgument for
// anything else, and a message). A crash, a hang or a sanitizer report is a bug; so is an
// oracle failure, which aborts with the input's verdict.
//
// Built with clang 14 and -fsanitize=fuzzer by tools/fuzz.sh; the same entry point runs
// over the seed corpus in a plain Bazel test (//tests/fuzz:binary_trace_reader_corpus_test).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "harness/trace/trace.h"
#include "harness/trace/trace_file.h"

namespace {

[[noreturn]] void Fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "binary_trace_reader_fuzzer: %s: %s\n", what, detail.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<harness::Trace> trace = harness::DecodeTrace(bytes);
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
