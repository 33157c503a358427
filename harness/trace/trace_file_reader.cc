// harness/trace/trace_file_reader.cc: TraceFileReader.
//
// The tables are decoded by DecodeTrace() itself, over the file's own bytes up to the
// event count followed by an empty event section and trailer: the same checks and the
// same messages (the offsets are those of the real file). The events are then checked
// batch by batch as DecodeTrace() checks them.
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
constexpr size_t kHeaderBytes = 16;
constexpr size_t kFirstRead = size_t{1} << 16;
constexpr size_t kBatchEvents = size_t{1} << 16;

uint64_t Load(const std::string& bytes, size_t at, size_t width) {
  uint64_t value = 0;
  for (size_t i = 0; i < width; ++i) {
    value |= static_cast<uint64_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  }
  return value;
}

// Where the events start (just after the u64 event count), if `bytes` reach that far.
// Walks the tables by their lengths only; DecodeTrace() checks them.
std::optional<size_t> EventsStart(const std::string& bytes) {
  size_t at = kHeaderBytes;
  auto need = [&](size_t n) { return bytes.size() >= at && bytes.size() - at >= n; };
  auto skip_string = [&]() {
    if (!need(4)) return false;
    const uint64_t length = Load(bytes, at, 4);
    at += 4;
    if (!need(length)) return false;
    at += length;
    return true;
  };
  if (!need(8)) return std::nullopt;
  uint64_t sites = Load(bytes, at, 8);
  at += 8;
  for (uint64_t i = 0; i < sites; ++i) {
    if (!need(8)) return std::nullopt;
    at += 8;  // line, column
    if (!skip_string() || !skip_string() || !need(4)) return std::nullopt;
    const uint64_t frames = Load(bytes, at, 4);
    at += 4;
    if (!need(8 * frames)) return std::nullopt;
    at += 8 * frames;
  }
  if (!need(8)) return std::nullopt;
  const uint64_t threads = Load(bytes, at, 8);
  at += 8;
  for (uint64_t i = 0; i < threads; ++i) {
    if (!skip_string() || !need(10)) return std::nullopt;
    at += 10;
  }
  if (!need(8)) return std::nullopt;
  const uint64_t objects = Load(bytes, at, 8);
  at += 8;
  for (uint64_t i = 0; i < objects; ++i) {
    if (!need(1)) return std::nullopt;
    at += 1;
    if (!skip_string() || !need(22)) return std::nullopt;
    at += 22;
  }
  if (!need(8)) return std::nullopt;
  return at + 8;
}

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
  std::string prefix;
  std::optional<size_t> events_start;
  bool input_done = false;
  size_t want = kFirstRead;
  while (true) {
    const size_t have = prefix.size();
    prefix.resize(have + want);
    absl::StatusOr<size_t> n = input.Read(prefix.data() + have, want);
    if (!n.ok()) return n.status();
    prefix.resize(have + *n);
    input_done = *n < want;
    // A bad header, or tables that never end: DecodeTrace() over what there is says why.
    const bool header_ok =
        prefix.size() >= kHeaderBytes &&
        std::memcmp(prefix.data(), kTraceFileMagic, sizeof(kTraceFileMagic)) == 0 &&
        Load(prefix, 8, 4) == kTraceFormatVersion && Load(prefix, 12, 4) == 0;
    if (header_ok) events_start = EventsStart(prefix);
    if (events_start.has_value() || input_done || (!header_ok && prefix.size() >= kHeaderBytes)) {
      break;
    }
    want = prefix.size();  // doubling: linear in the tables' size
  }
  if (!events_start.has_value()) {
    absl::StatusOr<Trace> whole = DecodeTrace(prefix);
    if (!whole.ok()) return WithName(whole.status(), input.name());
    return absl::DataLossError(absl::StrCat(input.name(), ": trace file tables are incomplete"));
  }
  const size_t start = *events_start;
  const uint64_t event_count = Load(prefix, start - 8, 8);
  std::string tables_only = prefix.substr(0, start - 8);
  tables_only.append(16, '\0');  // no events, no ordering gaps
  absl::StatusOr<Trace> tables = DecodeTrace(tables_only);
  if (!tables.ok()) return WithName(tables.status(), input.name());

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
  std::string pending = prefix.substr(start);
  return std::unique_ptr<TraceFileReader>(new TraceFileReader(
      std::move(input), *std::move(tables), start, event_count, std::move(pending)));
}

TraceFileReader::TraceFileReader(InputFile input, Trace tables, uint64_t first_event_offset,
                                 uint64_t event_count, std::string pending)
    : input_(std::move(input)),
      tables_(std::move(tables)),
      first_event_offset_(first_event_offset),
      event_count_(event_count),
      pending_(std::move(pending)) {}

absl::StatusOr<size_t> TraceFileReader::ReadBytes(char* out, size_t size) {
  size_t done = 0;
  if (pending_offset_ < pending_.size()) {
    done = std::min(size, pending_.size() - pending_offset_);
    std::memcpy(out, pending_.data() + pending_offset_, done);
    pending_offset_ += done;
    if (pending_offset_ == pending_.size()) {
      pending_.clear();
      pending_.shrink_to_fit();
      pending_offset_ = 0;
    }
  }
  if (done < size) {
    absl::StatusOr<size_t> n = input_.Read(out + done, size - done);
    if (!n.ok()) return n.status();
    done += *n;
  }
  return done;
}

absl::Status TraceFileReader::Fail(absl::Status status) {
  failed_ = true;
  return WithName(status, input_.name());
}

absl::Status TraceFileReader::ReadBatch(std::vector<Event>* events) {
  events->clear();
  if (failed_) return absl::FailedPreconditionError("the reader has already failed");
  if (done_) return absl::OkStatus();
  if (events_read_ == event_count_) {
    done_ = true;
    return Finish();
  }
  const size_t count =
      static_cast<size_t>(std::min<uint64_t>(kBatchEvents, event_count_ - events_read_));
  events->resize(count);
  static_assert(std::endian::native == std::endian::little,
                "the streaming reader reads events in their in-memory layout");
  absl::StatusOr<size_t> n = ReadBytes(reinterpret_cast<char*>(events->data()), count * kEventBytes);
  if (!n.ok()) return Fail(n.status());
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
  for (size_t k = 0; k < count; ++k) {
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
  absl::StatusOr<size_t> n = ReadBytes(trailer, sizeof(trailer));
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
    absl::StatusOr<size_t> more = ReadBytes(extra, sizeof(extra));
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
