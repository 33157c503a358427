// harness/trace/trace_reader.cc: format names, detection, OpenTraceReader(),
// ReadWholeTrace().
#include "harness/trace/trace_reader.h"

#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "harness/trace/std_format.h"
#include "harness/trace/trace_file.h"
#include "harness/trace/trace_file_reader.h"

namespace harness {

absl::string_view TraceFormatName(TraceFormat format) {
  switch (format) {
    case TraceFormat::kAuto: return "auto";
    case TraceFormat::kBinary: return "binary";
    case TraceFormat::kStd: return "std";
  }
  return "unknown";
}

absl::StatusOr<TraceFormat> ParseTraceFormat(absl::string_view name) {
  for (TraceFormat format : {TraceFormat::kAuto, TraceFormat::kBinary, TraceFormat::kStd}) {
    if (name == TraceFormatName(format)) return format;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown trace format '", name, "' (known formats: auto, binary, std)"));
}

absl::StatusOr<std::unique_ptr<TraceReader>> MakeTraceReader(InputFile input,
                                                            TraceFormat format) {
  if (format == TraceFormat::kAuto) {
    absl::StatusOr<absl::string_view> head = input.Peek(sizeof(kTraceFileMagic));
    if (!head.ok()) return head.status();
    const bool binary = head->size() == sizeof(kTraceFileMagic) &&
                        std::memcmp(head->data(), kTraceFileMagic, sizeof(kTraceFileMagic)) == 0;
    format = binary ? TraceFormat::kBinary : TraceFormat::kStd;
  }
  if (format == TraceFormat::kBinary) {
    absl::StatusOr<std::unique_ptr<TraceFileReader>> reader = TraceFileReader::Open(std::move(input));
    if (!reader.ok()) return reader.status();
    return std::unique_ptr<TraceReader>(std::move(*reader));
  }
  return std::unique_ptr<TraceReader>(std::make_unique<StdTraceReader>(std::move(input)));
}

absl::StatusOr<std::unique_ptr<TraceReader>> OpenTraceReader(const std::string& path,
                                                            TraceFormat format) {
  absl::StatusOr<InputFile> input = InputFile::Open(path);
  if (!input.ok()) return input.status();
  return MakeTraceReader(*std::move(input), format);
}

absl::StatusOr<Trace> ReadWholeTrace(TraceReader& reader) {
  std::vector<Event> all;
  std::vector<Event> batch;
  while (true) {
    if (absl::Status status = reader.ReadBatch(&batch); !status.ok()) return status;
    if (batch.empty()) break;
    all.insert(all.end(), batch.begin(), batch.end());
  }
  Trace trace = reader.tables();
  trace.mutable_events() = std::move(all);
  return trace;
}

}  // namespace harness
