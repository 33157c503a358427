// harness/trace/trace_file.h: the versioned binary trace file.
//
// Layout (version 1). Every integer is little-endian and fixed width; a string is a
// u32 byte length followed by that many bytes (no terminator, any bytes allowed).
//
//   header     8 bytes  magic "HRNTRACE"
//              u32      format version (kTraceFormatVersion)
//              u32      flags, 0 (any other value is rejected)
//   sites      u64      count (at most 0xffffffff: SiteId is 32 bits, kNoSite reserved)
//              per site:   u32 line, u32 column, string file, string function,
//                          u32 frame count, then that many u64 return addresses
//   threads    u64      count (at most 0xffff: ThreadId is 16 bits, kNoThread reserved)
//              per thread: string name, u16 parent, u32 creation_site, u32 object
//   objects    u64      count (at most 0xffffffff: ObjectId is 32 bits, kNoObject reserved)
//              per object: u8 kind (ObjectKind), string name, u64 address, u64 size,
//                          u32 creation_site, u16 creator
//   events     u64      count
//              per event, exactly 16 bytes, the in-memory Event layout:
//                          u8 kind (EventKind), u8 detail, u16 thread, u32 site,
//                          u64 payload
//   trailer    u64      ordering_gaps
//   (end of file: trailing bytes are rejected)
//
// "No" references are the sentinels of event.h (kNoThread 0xffff, kNoSite and kNoObject
// 0xffffffff). The enum values of EventKind and ObjectKind are part of the format, so
// they are only ever appended to; a change to anything else bumps kTraceFormatVersion.
//
// Decoding never trusts the input: every count and length is checked against the bytes
// that remain before anything is allocated, enum values and cross-references are
// checked, and Trace::Validate() must pass. Errors name what was wrong and the byte
// offset where it was found:
//   DataLoss         "trace file truncated at byte offset 123: expected 16-byte event 5
//                    of 10 (the input ends at byte offset 130)"
//   InvalidArgument  "bad magic at byte offset 0: ...", "unsupported trace format
//                    version 7 at byte offset 8 ...", "thread count 65536 at byte offset
//                    40 exceeds the format's limit of 65535", "event 5 at byte offset 123
//                    has unknown kind 99", "event 5 at byte offset 123 refers to missing
//                    thread 9 (the trace has 2 threads)", "3 unexpected trailing bytes
//                    at byte offset 200 ..."
// A truncation error's offset is where the first incomplete field (or the first
// incomplete event / stack frame) starts. ReadTraceFile prefixes every message with
// the path.
#ifndef HARNESS_TRACE_TRACE_FILE_H_
#define HARNESS_TRACE_TRACE_FILE_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "absl/base/optimization.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "harness/trace/trace.h"

namespace harness {

inline constexpr uint32_t kTraceFormatVersion = 1;
inline constexpr char kTraceFileMagic[8] = {'H', 'R', 'N', 'T', 'R', 'A', 'C', 'E'};

// EncodeTrace()
// The whole file's bytes. The events are written in bulk (one memcpy on little-endian
// hosts), so encoding 10M events costs about as much as copying 160 MB. Every size must
// fit its field (see the layout; always true of recorded traces); CheckEncodable() tells.
std::string EncodeTrace(const Trace& trace);

// OK when every count, string and stack of `trace` fits the format's fields.
absl::Status CheckEncodable(const Trace& trace);

// DecodeTrace()
// Parses a whole file's bytes. Never crashes, whatever the input: see the banner.
absl::StatusOr<Trace> DecodeTrace(absl::string_view bytes);

// DecodeTraceHead()
// Decodes the header, the tables and the event count at the start of `bytes` (a whole
// file or its first bytes), with DecodeTrace()'s checks and messages: for streaming
// readers. DataLoss ("trace file truncated ...") when `bytes` end before the event count.
struct TraceFileHead {
  Trace tables;                // no events
  uint64_t event_count = 0;    // as the file declares it
  size_t events_offset = 0;    // byte offset of the first event
};
absl::StatusOr<TraceFileHead> DecodeTraceHead(absl::string_view bytes);

// Writes EncodeTrace(trace) to `path` (replacing it). Errors name the path.
absl::Status WriteTraceFile(const Trace& trace, const std::string& path);

// Reads and decodes `path`. A missing file is NotFound; every error names the path.
absl::StatusOr<Trace> ReadTraceFile(const std::string& path);

// CheckDecodedEvent()
// The checks decoding applies to each event: a known kind and references to existing
// threads, sites and objects (`threads`, `objects`, `sites`: the table sizes). For
// streaming readers, so they reject exactly what DecodeTrace() rejects, with the same
// message naming event `index` at byte `offset`.
absl::Status BadEventError(const Event& event, uint64_t index, uint64_t offset,
                           uint64_t threads, uint64_t objects, uint64_t sites);
// IsValidDecodedEvent(): whether CheckDecodedEvent() passes the event. Inline and
// branch-free (bitwise `&` and `|`, not `&&` and `||`: each short-circuit would be a
// branch on the event's kind, mispredicted whenever kinds alternate).
inline bool IsValidDecodedEvent(const Event& event, uint64_t threads, uint64_t objects,
                                uint64_t sites) {
  const uint32_t kind = static_cast<uint8_t>(event.kind);
  const uint32_t site_after = event.site + 1;  // kNoSite wraps to 0: always in range
  const bool access = IsMemoryAccess(event.kind);
  const bool destroyed = event.kind == EventKind::kDestroyedWhileWaitedOn;
  const ObjectId object = event.object();
  const uint32_t waiter = event.sequence();  // of kDestroyedWhileWaitedOn
  return (kind < kEventKindCount) & (event.thread < threads) & (site_after <= sites) &
         (access | (object < objects)) & (!destroyed | (waiter == kNoThread) | (waiter < threads));
}
// AllValidDecodedEvents(): whether IsValidDecodedEvent() holds for every one of
// `events`; four at a time with SSE2 where available (the check runs on every event a
// streaming reader reads, and the scalar form costs as much as analysing some of them).
bool AllValidDecodedEvents(std::span<const Event> events, uint64_t threads, uint64_t objects,
                           uint64_t sites);
inline absl::Status CheckDecodedEvent(const Event& event, uint64_t index, uint64_t offset,
                                      uint64_t threads, uint64_t objects, uint64_t sites) {
  // Inline: streaming readers check every event; the error is built out of line.
  if (ABSL_PREDICT_TRUE(IsValidDecodedEvent(event, threads, objects, sites))) {
    return absl::OkStatus();
  }
  return BadEventError(event, index, offset, threads, objects, sites);
}

}  // namespace harness

#endif  // HARNESS_TRACE_TRACE_FILE_H_
