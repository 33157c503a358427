// harness/trace/std_format.h: RAPID's STD text trace format, read as a stream and
// written from any trace.
//
// One event per line, three fields separated by '|':
//
//   T1|fork(T2)|10        thread T1 starts thread T2 at program location 10
//   T2|acq(L1)|42         T2 acquires lock L1
//   T2|w(V3)|43           T2 writes variable V3
//   T2|r(V3)|44           ... reads it
//   T2|rel(L1)|45         ... releases L1
//   T1|join(T2)|11        T1 waits for T2 to end
//
// Names (threads, locks, variables) and locations are any text without '|', '(', ')'
// or a line break; reports name them as the file does (Trace::names_are_labels()).
// Blank lines are skipped; a trailing '\r' is ignored.
//
// Mapping to the event model (the analyses see what a recorded run would give them):
//   thread NAME   a thread named NAME with a thread object of the same name; a thread
//                 forked by another gets a kThreadStart (observing the fork) before its
//                 first event
//   acq(L)/rel(L) kLock / kUnlock of the mutex named L (kMutex), numbered per mutex as
//                 the recorder numbers them; re-acquiring a lock one holds is a
//                 recursive re-entry (lock_detail::kRecursive) until released as often
//   r(V)/w(V)     kRead / kWrite of 8 bytes at the variable's own synthetic address
//                 (kStdVariableBase + 8 * its index): a shared-variable object named V
//   fork(U)       kThreadCreate of U's thread object (U becomes a thread whose parent is
//                 the forking thread, created at this location)
//   join(U)       U's kThreadEnd, then the joiner's kThreadJoin observing it
//   LOCATION      a call site whose file is the location text (line 0)
//
// Malformed input is an InvalidArgument error "FILE:LINE: what is wrong", e.g.
//   trace.std:7: unknown operation 'foo' (expected r, w, acq, rel, fork or join)
//   trace.std:3: missing location field (expected THREAD|OP(OPERAND)|LOCATION)
//   trace.std:9: rel(L1) by T2, which does not hold L1
//   trace.std:12: join(T9) of a thread never seen
#ifndef HARNESS_TRACE_STD_FORMAT_H_
#define HARNESS_TRACE_STD_FORMAT_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "harness/trace/event.h"
#include "harness/trace/input_file.h"
#include "harness/trace/trace.h"
#include "harness/trace/trace_reader.h"

namespace harness {

// Where STD variables live: variable i (in order of first mention) at base + 8 * i.
inline constexpr uint64_t kStdVariableBase = uint64_t{1} << 32;
inline constexpr uint32_t kStdVariableSize = 8;

// Interned names of one kind (threads, locks, variables, locations) -> dense ids.
// Names of the common form PREFIX + number ("T12", "V3", "42") with the first such
// prefix seen take a vector indexed by the number instead of a hash lookup.
class StdNameTable {
 public:
  static constexpr uint32_t kAbsent = 0xffffffff;

  // The id of `name`, or kAbsent.
  uint32_t Find(absl::string_view name);
  // Records `name` -> `id` (`name` must be absent).
  void Add(absl::string_view name, uint32_t id);

 private:
  // The number of `name` when it has the table's numeric form (fixing the prefix on
  // first use), else -1.
  int64_t Number(absl::string_view name);

  bool prefix_fixed_ = false;
  std::string prefix_;
  std::vector<uint32_t> by_number_;
  absl::flat_hash_map<std::string, uint32_t> by_name_;
};

class StdTraceReader final : public TraceReader {
 public:
  // Reads `input` from its start. Nothing is read before the first ReadBatch().
  explicit StdTraceReader(InputFile input);
  ~StdTraceReader() override;

  const Trace& tables() const override { return tables_; }
  absl::Status ReadBatch(std::vector<Event>* events) override;
  TraceFormat format() const override { return TraceFormat::kStd; }
  uint64_t bytes_read() const override;
  std::optional<uint64_t> total_bytes() const override { return input_.size(); }

  // Lines read so far (blank ones included).
  uint64_t lines_read() const { return line_; }

 private:
  struct ThreadState;
  struct LockState;

  // Moves the unparsed rest of the buffer to its front and reads more. False at the end
  // of the input.
  absl::StatusOr<bool> Refill();
  // Parses one line (without its '\n') and appends its events.
  absl::Status ParseLine(const char* begin, const char* end, std::vector<Event>& events);
  // The events of a line split into its fields (checked for form by the caller).
  absl::Status ApplyLine(absl::string_view thread_name, absl::string_view op_name,
                         absl::string_view operand, absl::string_view location,
                         std::vector<Event>& events);
  absl::Status Error(absl::string_view what) const;
  absl::Status UnknownOperation(absl::string_view name) const;

  // The thread named `name`, added when new (as forked by `parent` at `fork_site`, when
  // given); kNoThread when the table is full.
  ThreadId ThreadNamed(absl::string_view name, ThreadId parent = kNoThread,
                       SiteId fork_site = kNoSite);
  // Index into locks_ of the lock named `name`, added when new.
  uint32_t LockNamed(absl::string_view name);
  // Index of the variable named `name` (added when new), or StdNameTable::kAbsent when
  // the address space for variables is full.
  uint32_t VariableNamed(absl::string_view name);
  // The site of `location`, added when new; kNoSite when the table is full.
  SiteId SiteNamed(absl::string_view location);
  // The thread is about to do something: checks it may, emits its kThreadStart.
  absl::Status Begin(ThreadId thread, std::vector<Event>& events);
  absl::Status TooMany(absl::string_view what) const;

  InputFile input_;
  std::vector<char> buffer_;
  size_t begin_ = 0;  // first unparsed byte of buffer_
  size_t end_ = 0;    // end of the valid bytes of buffer_
  bool input_done_ = false;
  bool failed_ = false;
  uint64_t line_ = 0;

  Trace tables_;
  StdNameTable threads_by_name_;    // -> ThreadId
  StdNameTable locks_by_name_;      // -> index in locks_
  StdNameTable variables_by_name_;  // -> index in variables_
  StdNameTable sites_by_name_;      // -> SiteId
  std::vector<ThreadState> threads_;
  std::vector<LockState> locks_;
  std::vector<ObjectId> variables_;  // variable index -> object
};

class StdTraceWriter {
 public:
  // `tables`: the threads, objects and sites of the events to be written. It must
  // outlive the writer and may grow between calls (as a streamed trace's do).
  explicit StdTraceWriter(const Trace& tables);

  // StdTraceWriter::Write()
  // Appends the STD lines of `events` (in merged order) to *out. Threads are named
  // "T<id>", mutexes and variables "M<id>" after their objects (a trace read from STD,
  // Trace::names_are_labels(), keeps the file's own names), locations "file:line"
  // (the location text for STD). A plain access becomes one r/w line per 8-byte granule
  // it touches, named after the memory object there ("M5", "M5[2]" for its third
  // granule) or by address ("0x7f00a0"): STD has no sizes. Shared locks become acq/rel.
  // Events STD cannot express (thread start/end, atomics, condition variables, futures,
  // latches, barriers, semaphores, once, lifetimes, refused operations) are left out
  // and counted.
  void Write(std::span<const Event> events, std::string* out);

  // Events left out so far, and how many of them were atomic operations (whose
  // synchronization the STD file then lacks).
  uint64_t events_left_out() const { return left_out_; }
  uint64_t atomics_left_out() const { return atomics_left_out_; }

 private:
  void CatchUp();
  const std::string& ThreadName(ThreadId thread);
  void AppendVariable(uint64_t granule, std::string* out);

  const Trace& tables_;
  std::vector<std::string> thread_names_;
  std::vector<std::string> object_names_;
  std::vector<std::string> site_names_;
  std::vector<ThreadId> thread_of_object_;  // by object: the thread it is, or kNoThread
  struct MemoryRange {
    uint64_t address;
    uint64_t end;
    ObjectId object;
  };
  std::vector<MemoryRange> memory_;  // memory objects by address
  bool memory_sorted_ = true;
  uint64_t left_out_ = 0;
  uint64_t atomics_left_out_ = 0;
};

// FormatStdTrace(): the whole of `trace` as STD text (StdTraceWriter over its events).
std::string FormatStdTrace(const Trace& trace);

// ParseStdTrace(): a whole STD text as a Trace; `name` is the file name for messages.
absl::StatusOr<Trace> ParseStdTrace(absl::string_view text, absl::string_view name);

}  // namespace harness

#endif  // HARNESS_TRACE_STD_FORMAT_H_
