// harness/trace/trace_reader.h: reading a trace file of either format, the harness's
// binary format (trace_file.h) or RAPID's STD text format (std_format.h), as a stream:
// the tables of threads, objects and sites, and the events in batches.
//
//   absl::StatusOr<std::unique_ptr<TraceReader>> reader =
//       OpenTraceReader(path, TraceFormat::kAuto);
//   std::vector<Event> batch;
//   while (true) {
//     absl::Status status = (*reader)->ReadBatch(&batch);
//     if (!status.ok()) return status;        // "FILE:LINE: ..." or "FILE: ... offset ..."
//     if (batch.empty()) break;
//     analyzer.Process(batch);                // (*reader)->tables() now covers the batch
//   }
#ifndef HARNESS_TRACE_TRACE_READER_H_
#define HARNESS_TRACE_TRACE_READER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "harness/trace/event.h"
#include "harness/trace/input_file.h"
#include "harness/trace/trace.h"

namespace harness {

enum class TraceFormat : uint8_t {
  kAuto,    // binary when the file starts with the binary magic, else STD
  kBinary,  // trace_file.h
  kStd,     // std_format.h
};

// "auto", "binary", "std".
absl::string_view TraceFormatName(TraceFormat format);
// ParseTraceFormat(): the inverse of TraceFormatName(); InvalidArgument listing the
// names for anything else.
absl::StatusOr<TraceFormat> ParseTraceFormat(absl::string_view name);

class TraceReader {
 public:
  virtual ~TraceReader() = default;

  // TraceReader::tables()
  // The threads, objects and sites of the events read so far (no events). A binary
  // trace has them all from the start; an STD trace adds them as it introduces them.
  // Entries, once there, never change, and the reference stays valid.
  virtual const Trace& tables() const = 0;

  // TraceReader::ReadBatch()
  // Replaces *events with the next events in merged order (Trace::events()), a batch of
  // some thousands; empty at the end of the trace. Errors say what is wrong and where
  // ("trace.std:12: unknown operation 'foo' ...", "trace.bin: trace file truncated at
  // byte offset ..."); after an error the reader is done.
  virtual absl::Status ReadBatch(std::vector<Event>* events) = 0;

  // The format being read (never kAuto).
  virtual TraceFormat format() const = 0;
  // Bytes of the input consumed so far, and the input's size when known: progress.
  virtual uint64_t bytes_read() const = 0;
  virtual std::optional<uint64_t> total_bytes() const = 0;
};

// OpenTraceReader()
// Opens `path` ("-": standard input) and starts reading it as `format`; kAuto looks at
// the first bytes. Errors name the path.
absl::StatusOr<std::unique_ptr<TraceReader>> OpenTraceReader(const std::string& path,
                                                            TraceFormat format);
// As above, over an already opened input.
absl::StatusOr<std::unique_ptr<TraceReader>> MakeTraceReader(InputFile input,
                                                            TraceFormat format);

// ReadWholeTrace()
// Every event and table of `reader`, as one in-memory Trace (for tests and small
// traces; the streaming path never needs this).
absl::StatusOr<Trace> ReadWholeTrace(TraceReader& reader);

}  // namespace harness

#endif  // HARNESS_TRACE_TRACE_READER_H_
