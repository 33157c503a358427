// harness/trace/trace_file_reader.h: the binary trace file (trace_file.h) read as a
// stream: the header and tables first, then the events in batches, never the whole
// file at once. Errors are DecodeTrace()'s, word for word (byte offsets included),
// prefixed with the file's name, so a file rejected whole is rejected the same way
// streamed; a truncated event section is reported before the first batch when the
// file's size is known (a regular file), else when the input ends.
#ifndef HARNESS_TRACE_TRACE_FILE_READER_H_
#define HARNESS_TRACE_TRACE_FILE_READER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "harness/trace/event.h"
#include "harness/trace/input_file.h"
#include "harness/trace/trace.h"
#include "harness/trace/trace_reader.h"

namespace harness {

class TraceFileReader final : public TraceReader {
 public:
  // TraceFileReader::Open()
  // Reads and checks the header and the tables of `input`.
  static absl::StatusOr<std::unique_ptr<TraceFileReader>> Open(InputFile input);

  const Trace& tables() const override { return tables_; }
  absl::Status ReadBatch(std::vector<Event>* events) override;
  TraceFormat format() const override { return TraceFormat::kBinary; }
  uint64_t bytes_read() const override { return input_.position(); }
  std::optional<uint64_t> total_bytes() const override { return input_.size(); }

  // The event count the file declares.
  uint64_t event_count() const { return event_count_; }

 private:
  TraceFileReader(InputFile input, Trace tables, uint64_t first_event_offset,
                  uint64_t event_count);
  absl::Status Fail(absl::Status status);
  absl::Status Finish();

  InputFile input_;
  Trace tables_;
  uint64_t first_event_offset_;
  uint64_t event_count_;
  uint64_t events_read_ = 0;
  bool done_ = false;
  bool failed_ = false;
};

}  // namespace harness

#endif  // HARNESS_TRACE_TRACE_FILE_READER_H_
