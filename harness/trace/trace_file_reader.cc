// harness/trace/trace_file_reader.cc: TraceFileReader.
//
// The header and tables are decoded by DecodeTraceHead(), DecodeTrace()'s own code: the
// same checks and the same messages. The events are then checked batch by batch as
// DecodeTrace() checks them.
#include "harness/trace/trace_file_reader.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "harness/trace/trace_file.h"

namespace harness {
namespace {

constexpr size_t kEventBytes = 16;
// Enough for the tables of most traces at the first try (each try decodes them anew).
constexpr size_t kFirstRead = size_t{1} << 20;
constexpr size_t kBatchEvents = size_t{1} << 14;

absl::Status WithName(const absl::Status& status, const std::string& name) {
  return absl::Status(status.code(), absl::StrCat(name, ": ", status.message()));
}

absl::Status Truncated(uint64_t at, absl::string_view what, uint64_t input_end) {
  return absl::DataLossError(absl::StrFormat(
      "trace file truncated at byte offset %d: expected %s (the input ends at byte offset %d)",
      at, what, input_end));
}

}  // namespace

absl::StatusOr<std::unique_ptr<TraceFileReader>> TraceFileReader::Open(InputFile input) {
  // DecodeTraceHead() over the first bytes, four times as many each time they end too
  // soon (linear in the tables' size); peeked, so the events are then read from the
  // input.
  absl::StatusOr<TraceFileHead> head;
  for (size_t want = kFirstRead;; want *= 4) {
    absl::StatusOr<absl::string_view> prefix = input.Peek(want);
    if (!prefix.ok()) return prefix.status();
    head = DecodeTraceHead(*prefix);
    const bool input_done = prefix->size() < want;
    if (head.ok() || input_done || !absl::IsDataLoss(head.status())) break;
  }
  if (!head.ok()) return WithName(head.status(), input.name());
  const uint64_t start = head->events_offset;
  const uint64_t event_count = head->event_count;

  // The event section must fit the file (checked up front when its size is known).
  if (input.size().has_value()) {
    const uint64_t remaining = *input.size() - start;
    if (event_count > remaining / kEventBytes) {
      const uint64_t complete = remaining / kEventBytes;
      return WithName(Truncated(start + kEventBytes * complete,
                                absl::StrFormat("16-byte event %d of %d", complete, event_count),
                                *input.size()),
                      input.name());
    }
  }
  // Consume the head: the peeked bytes it came from are still there to read.
  absl::StatusOr<uint64_t> skipped = input.Skip(start);
  if (!skipped.ok()) return skipped.status();
  return std::unique_ptr<TraceFileReader>(new TraceFileReader(
      std::move(input), std::move(head->tables), start, event_count));
}

TraceFileReader::TraceFileReader(InputFile input, Trace tables, uint64_t first_event_offset,
                                 uint64_t event_count)
    : input_(std::move(input)),
      tables_(std::move(tables)),
      first_event_offset_(first_event_offset),
      event_count_(event_count) {}

absl::Status TraceFileReader::Fail(absl::Status status) {
  failed_ = true;
  return WithName(status, input_.name());
}

absl::Status TraceFileReader::ReadBatch(std::vector<Event>* events) {
  if (failed_ || done_ || events_read_ == event_count_) {
    events->clear();
    if (failed_) return absl::FailedPreconditionError("the reader has already failed");
    if (done_) return absl::OkStatus();
    done_ = true;
    return Finish();
  }
  const size_t count =
      static_cast<size_t>(std::min<uint64_t>(kBatchEvents, event_count_ - events_read_));
  // Not cleared first: a batch the size of the last one is not zero-filled again only to
  // be overwritten.
  events->resize(count);
  static_assert(std::endian::native == std::endian::little,
                "the streaming reader reads events in their in-memory layout");
  absl::StatusOr<size_t> n = input_.Read(reinterpret_cast<char*>(events->data()), count * kEventBytes);
  if (!n.ok()) {
    events->clear();
    return Fail(n.status());
  }
  if (*n < count * kEventBytes) {  // an input of unknown size ended early
    const uint64_t complete = events_read_ + *n / kEventBytes;
    const uint64_t input_end = first_event_offset_ + events_read_ * kEventBytes + *n;
    events->clear();
    return Fail(Truncated(first_event_offset_ + kEventBytes * complete,
                          absl::StrFormat("16-byte event %d of %d", complete, event_count_),
                          input_end));
  }
  const uint64_t threads = tables_.threads().size();
  const uint64_t objects = tables_.objects().size();
  const uint64_t sites = tables_.sites().size();
  // One pass over the batch, then, only if some event is bad, a second that finds the
  // first and says what is wrong with it.
  const bool all_valid = AllValidDecodedEvents(*events, threads, objects, sites);
  for (size_t k = 0; !all_valid && k < count; ++k) {
    const Event& e = (*events)[k];
    const uint64_t i = events_read_ + k;
    const uint64_t at = first_event_offset_ + kEventBytes * i;
    absl::Status status = CheckDecodedEvent(e, i, at, threads, objects, sites);
    if (!status.ok()) {
      events->clear();
      return Fail(std::move(status));
    }
  }
  events_read_ += count;
  return absl::OkStatus();
}

absl::Status TraceFileReader::Finish() {
  const uint64_t at = first_event_offset_ + kEventBytes * event_count_;
  char trailer[8];
  absl::StatusOr<size_t> n = input_.Read(trailer, sizeof(trailer));
  if (!n.ok()) return Fail(n.status());
  if (*n < sizeof(trailer)) {
    return Fail(Truncated(at, "u64 ordering gap count", at + *n));
  }
  uint64_t gaps = 0;
  for (size_t i = 0; i < 8; ++i) {
    gaps |= static_cast<uint64_t>(static_cast<unsigned char>(trailer[i])) << (8 * i);
  }
  tables_.set_ordering_gaps(gaps);
  char extra[4096];
  uint64_t trailing = 0;
  while (true) {
    absl::StatusOr<size_t> more = input_.Read(extra, sizeof(extra));
    if (!more.ok()) return Fail(more.status());
    if (*more == 0) break;
    trailing += *more;
  }
  if (trailing != 0) {
    return Fail(absl::InvalidArgumentError(absl::StrFormat(
        "%d unexpected trailing bytes at byte offset %d after the end of the trace", trailing,
        at + 8)));
  }
  return absl::OkStatus();
}

}  // namespace harness
