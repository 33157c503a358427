// tests/fuzz/std_trace_reader_fuzzer.cc: libFuzzer target for the STD text trace reader
// (harness::StdTraceReader, harness/trace/std_format.h). Whatever the bytes, reading
// must end with a trace that validates and that the STD writer turns back into text the
// reader accepts and reads to the same events (the writer's output is canonical: a
// second round trip gives the same text), or with an InvalidArgument error of the form
// "FILE:LINE: what is wrong". A crash, a hang, a sanitizer report or an oracle failure
// (which aborts with the verdict) is a bug.
//
// Built with clang 14 and -fsanitize=fuzzer by tools/fuzz.sh; the same entry point runs
// over the seed corpus in a plain Bazel test (//tests/fuzz:std_trace_reader_corpus_test).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "harness/trace/std_format.h"
#include "harness/trace/trace.h"

namespace {

[[noreturn]] void Fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "std_trace_reader_fuzzer: %s: %s\n", what, detail.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<harness::Trace> trace = harness::ParseStdTrace(text, "fuzz.std");
  if (!trace.ok()) {
    const absl::Status& status = trace.status();
    if (status.code() != absl::StatusCode::kInvalidArgument) {
      Fail("unexpected error code", status.ToString());
    }
    if (!absl::StartsWith(status.message(), "fuzz.std:")) {
      Fail("error without FILE:LINE", status.ToString());
    }
    return 0;
  }
  if (absl::Status valid = trace->Validate(); !valid.ok()) {
    Fail("trace does not validate", valid.ToString());
  }
  const std::string written = harness::FormatStdTrace(*trace);
  absl::StatusOr<harness::Trace> again = harness::ParseStdTrace(written, "written.std");
  if (!again.ok()) Fail("the writer's output is rejected", again.status().ToString());
  if (again->events() != trace->events()) Fail("the round trip changed the events", written);
  if (harness::FormatStdTrace(*again) != written) Fail("the writer is not canonical", written);
  return 0;
}
