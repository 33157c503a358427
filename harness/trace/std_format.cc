// harness/trace/std_format.cc: the STD reader and writer (see std_format.h).
#include "harness/trace/std_format.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace harness {
namespace {

constexpr size_t kBlockBytes = size_t{1} << 20;      // read at a time
constexpr size_t kMaxLineBytes = size_t{64} << 20;    // longer lines are an error
constexpr size_t kBatchEvents = size_t{1} << 14;      // events per ReadBatch()
constexpr uint64_t kMaxVariables = (kAddressMask - kStdVariableBase) / kStdVariableSize;
// Sequence numbers of a thread object's producers, as the recorder numbers them.
constexpr uint32_t kCreateSequence = 1;
constexpr uint32_t kEndSequence = 2;

enum class Operation { kRead, kWrite, kAcquire, kRelease, kFork, kJoin };

// The operation named `name`, or nullopt. Compared byte by byte: it runs on every line.
std::optional<Operation> OperationNamed(absl::string_view name) {
  auto is = [&](const char* text) {
    for (size_t i = 0; i < name.size(); ++i) {
      if (name[i] != text[i]) return false;
    }
    return true;
  };
  switch (name.size()) {
    case 1:
      if (name[0] == 'r') return Operation::kRead;
      if (name[0] == 'w') return Operation::kWrite;
      break;
    case 3:
      if (is("acq")) return Operation::kAcquire;
      if (is("rel")) return Operation::kRelease;
      break;
    case 4:
      if (is("fork")) return Operation::kFork;
      if (is("join")) return Operation::kJoin;
      break;
    default:
      break;
  }
  return std::nullopt;
}

// Lines quoted in messages are cut to this many bytes.
std::string Quoted(absl::string_view text) {
  constexpr size_t kMax = 60;
  if (text.size() > kMax) return absl::StrCat("'", text.substr(0, kMax), "...'");
  return absl::StrCat("'", text, "'");
}

// Names longer than this never take the numeric path.
constexpr size_t kMaxNumberDigits = 9;
// Numbers up to this take the vector (4 bytes each); larger ones are hashed.
constexpr int64_t kMaxDenseNumber = int64_t{1} << 24;

}  // namespace

int64_t StdNameTable::Number(absl::string_view name) {
  if (prefix_fixed_) {  // PREFIX + digits, PREFIX never ending in a digit
    const size_t first = prefix_.size();
    const size_t digits = name.size() - first;
    if (name.size() <= first || digits > kMaxNumberDigits) return -1;
    for (size_t i = 0; i < first; ++i) {
      if (name[i] != prefix_[i]) return -1;
    }
    if (digits > 1 && name[first] == '0') return -1;  // "V07" is not "V7"
    int64_t number = 0;
    for (size_t i = first; i < name.size(); ++i) {
      const unsigned digit = static_cast<unsigned>(name[i] - '0');
      if (digit > 9) return -1;
      number = number * 10 + digit;
    }
    return number < kMaxDenseNumber ? number : -1;
  }
  size_t digits = 0;
  while (digits < name.size() &&
         static_cast<unsigned>(name[name.size() - 1 - digits] - '0') <= 9) {
    ++digits;
  }
  if (digits == 0 || digits > kMaxNumberDigits) return -1;
  const size_t first = name.size() - digits;
  if (digits > 1 && name[first] == '0') return -1;  // "V07" is not "V7"
  // The first numeric name fixes the prefix; then it is read as every later one is.
  if (!by_name_.empty()) return -1;  // names seen before keep their hashed identity
  prefix_fixed_ = true;
  prefix_ = std::string(name.substr(0, first));
  return Number(name);
}

uint32_t StdNameTable::Find(absl::string_view name) {
  const int64_t number = Number(name);
  if (number >= 0) {
    return static_cast<size_t>(number) < by_number_.size() ? by_number_[number] : kAbsent;
  }
  auto it = by_name_.find(name);
  return it == by_name_.end() ? kAbsent : it->second;
}

void StdNameTable::Add(absl::string_view name, uint32_t id) {
  const int64_t number = Number(name);
  if (number >= 0) {
    if (static_cast<size_t>(number) >= by_number_.size()) {
      by_number_.resize(std::max<size_t>(number + 1, by_number_.size() * 2), kAbsent);
    }
    by_number_[number] = id;
    return;
  }
  by_name_.emplace(name, id);
}

struct StdTraceReader::ThreadState {
  bool started = false;  // has done something (its kThreadStart is out, if forked)
  bool forked = false;
  bool joined = false;
  SiteId fork_site = kNoSite;
  uint64_t mentioned_line = 0;  // where it was forked or first acted
  uint64_t joined_line = 0;
};

struct StdTraceReader::LockState {
  ObjectId object = kNoObject;
  ThreadId holder = kNoThread;
  uint32_t depth = 0;      // acquisitions by the holder not yet released
  uint32_t sequence = 0;   // the mutex's last operation number
  uint64_t acquired_line = 0;
};

StdTraceReader::StdTraceReader(InputFile input) : input_(std::move(input)) {
  tables_.set_names_are_labels(true);
}

StdTraceReader::~StdTraceReader() = default;

uint64_t StdTraceReader::bytes_read() const { return input_.position() - (end_ - begin_); }

absl::Status StdTraceReader::Error(absl::string_view what) const {
  return absl::InvalidArgumentError(absl::StrCat(input_.name(), ":", line_, ": ", what));
}

absl::Status StdTraceReader::TooMany(absl::string_view what) const {
  return Error(absl::StrCat("too many ", what, " for the harness's event model"));
}

absl::StatusOr<bool> StdTraceReader::Refill() {
  if (input_done_) return false;
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (buffer_.size() - end_ < kBlockBytes / 2) {
    if (buffer_.size() >= kMaxLineBytes) {
      return absl::InvalidArgumentError(absl::StrCat(input_.name(), ":", line_ + 1,
                                                     ": line longer than ", kMaxLineBytes >> 20,
                                                     " MiB"));
    }
    buffer_.resize(std::max(kBlockBytes, buffer_.size() * 2));
  }
  absl::StatusOr<size_t> n = input_.Read(buffer_.data() + end_, buffer_.size() - end_);
  if (!n.ok()) return n.status();
  if (*n == 0) {
    input_done_ = true;
    return false;
  }
  end_ += *n;
  return true;
}

// Characters that end (or, out of place, spoil) each field of a line, as bits of a
// table indexed by the character: the one-pass split tests one byte per character.
// Names and locations are written back verbatim (StdTraceWriter), so what the writer
// could not write is not accepted in them: '(' and ')' in a thread name or operand, and
// a carriage return anywhere but at the end of the line.
enum FieldStop : uint8_t {
  kThreadStop = 1,    // '|' '\n' '(' ')' '\r'
  kOpStop = 2,        // '(' '|' '\n'
  kOperandStop = 4,   // ')' '(' '|' '\n' '\r'
  kLocationStop = 8,  // '\n' '|' '\r'
};
constexpr std::array<uint8_t, 256> kFieldStops = [] {
  std::array<uint8_t, 256> stops{};
  stops['|'] = kThreadStop | kOpStop | kOperandStop | kLocationStop;
  stops['\n'] = kThreadStop | kOpStop | kOperandStop | kLocationStop;
  stops['('] = kThreadStop | kOpStop | kOperandStop;
  stops[')'] = kThreadStop | kOperandStop;
  stops['\r'] = kThreadStop | kOperandStop | kLocationStop;
  return stops;
}();
bool Stops(char c, FieldStop field) {
  return (kFieldStops[static_cast<unsigned char>(c)] & field) != 0;
}

// A line in the common form, THREAD|OP(OPERAND)|LOCATION with every field non-empty and
// no stray '|', '(', ')' or '\r', split in one pass.
struct SimpleLine {
  absl::string_view thread;
  absl::string_view op;
  absl::string_view operand;
  absl::string_view location;
};

// Splits the line at `p` if it is simple and its '\n' comes before `end`; returns that
// '\n', or null (then ParseLine() takes the line, and says what is wrong with it).
const char* SplitSimpleLine(const char* p, const char* end, SimpleLine* line) {
  const char* s = p;
  while (s < end && !Stops(*s, kThreadStop)) ++s;
  if (s == p || s == end || *s != '|') return nullptr;
  line->thread = absl::string_view(p, static_cast<size_t>(s - p));
  const char* op = ++s;
  while (s < end && !Stops(*s, kOpStop)) ++s;
  if (s == end || *s != '(') return nullptr;
  line->op = absl::string_view(op, static_cast<size_t>(s - op));
  const char* operand = ++s;
  while (s < end && !Stops(*s, kOperandStop)) ++s;
  if (s == operand || s == end || *s != ')') return nullptr;
  line->operand = absl::string_view(operand, static_cast<size_t>(s - operand));
  if (++s == end || *s != '|') return nullptr;
  const char* location = ++s;
  while (s < end && !Stops(*s, kLocationStop)) ++s;
  const char* location_end = s;
  if (s < end && *s == '\r') ++s;  // a CRLF line end, and nothing else, may follow
  if (s == end || *s != '\n') return nullptr;
  if (location_end == location) return nullptr;
  line->location = absl::string_view(location, static_cast<size_t>(location_end - location));
  return s;
}

absl::Status StdTraceReader::ReadBatch(std::vector<Event>* events) {
  events->clear();
  if (failed_) return absl::FailedPreconditionError("the reader has already failed");
  while (events->size() < kBatchEvents) {
    const char* data = buffer_.data();
    SimpleLine simple;
    if (const char* newline = SplitSimpleLine(data + begin_, data + end_, &simple)) {
      ++line_;
      absl::Status status =
          ApplyLine(simple.thread, simple.op, simple.operand, simple.location, *events);
      if (!status.ok()) {
        failed_ = true;
        return status;
      }
      begin_ = static_cast<size_t>(newline - data) + 1;
      continue;
    }
    const void* newline =
        begin_ < end_ ? std::memchr(data + begin_, '\n', end_ - begin_) : nullptr;
    size_t line_end;
    if (newline != nullptr) {
      line_end = static_cast<size_t>(static_cast<const char*>(newline) - data);
    } else {
      absl::StatusOr<bool> more = Refill();
      if (!more.ok()) {
        failed_ = true;
        return more.status();
      }
      if (*more) continue;
      if (begin_ == end_) break;  // the end
      line_end = end_;            // a last line without '\n'
    }
    ++line_;
    absl::Status status = ParseLine(buffer_.data() + begin_, buffer_.data() + line_end, *events);
    if (!status.ok()) {
      failed_ = true;
      return status;
    }
    begin_ = std::min(line_end + 1, end_);
  }
  return absl::OkStatus();
}

ThreadId StdTraceReader::ThreadNamed(absl::string_view name, ThreadId parent, SiteId fork_site) {
  if (uint32_t id = threads_by_name_.Find(name); id != StdNameTable::kAbsent) {
    return static_cast<ThreadId>(id);
  }
  if (tables_.threads().size() >= kNoThread) return kNoThread;
  ObjectInfo object;
  object.kind = ObjectKind::kThread;
  object.name = std::string(name);
  object.creation_site = fork_site;
  object.creator = parent;
  ThreadInfo thread;
  thread.name = std::string(name);
  thread.parent = parent;
  thread.creation_site = fork_site;
  thread.object = tables_.AddObject(std::move(object));
  ThreadId id = tables_.AddThread(std::move(thread));
  threads_by_name_.Add(name, id);
  threads_.emplace_back();
  threads_.back().mentioned_line = line_;
  threads_.back().forked = parent != kNoThread;
  threads_.back().fork_site = fork_site;
  return id;
}

uint32_t StdTraceReader::LockNamed(absl::string_view name) {
  if (uint32_t index = locks_by_name_.Find(name); index != StdNameTable::kAbsent) return index;
  const uint32_t index = static_cast<uint32_t>(locks_.size());
  locks_by_name_.Add(name, index);
  ObjectInfo object;
  object.kind = ObjectKind::kMutex;
  object.name = std::string(name);
  locks_.emplace_back();
  locks_.back().object = tables_.AddObject(std::move(object));
  return index;
}

uint32_t StdTraceReader::VariableNamed(absl::string_view name) {
  if (uint32_t index = variables_by_name_.Find(name); index != StdNameTable::kAbsent) {
    return index;
  }
  if (variables_.size() >= kMaxVariables) return StdNameTable::kAbsent;
  const uint32_t index = static_cast<uint32_t>(variables_.size());
  variables_by_name_.Add(name, index);
  ObjectInfo object;
  object.kind = ObjectKind::kSharedVariable;
  object.name = std::string(name);
  object.address = kStdVariableBase + uint64_t{kStdVariableSize} * index;
  object.size = kStdVariableSize;
  variables_.push_back(tables_.AddObject(std::move(object)));
  return index;
}

SiteId StdTraceReader::SiteNamed(absl::string_view location) {
  if (uint32_t id = sites_by_name_.Find(location); id != StdNameTable::kAbsent) return id;
  if (tables_.sites().size() >= kNoSite) return kNoSite;
  const SiteId id = static_cast<SiteId>(tables_.sites().size());
  sites_by_name_.Add(location, id);
  SiteInfo site;
  site.file = std::string(location);
  tables_.AddSite(std::move(site));
  return id;
}

absl::Status StdTraceReader::Begin(ThreadId thread, std::vector<Event>& events) {
  ThreadState& state = threads_[thread];
  if (state.joined) {
    return Error(absl::StrCat(tables_.threads()[thread].name, " acts after it was joined at line ",
                              state.joined_line));
  }
  if (!state.started) {
    state.started = true;
    if (state.forked) {
      Event start = Event::Sync(EventKind::kThreadStart, 0, state.fork_site,
                                tables_.threads()[thread].object, kCreateSequence);
      start.thread = thread;
      events.push_back(start);
    }
  }
  return absl::OkStatus();
}

absl::Status StdTraceReader::UnknownOperation(absl::string_view name) const {
  return Error(
      absl::StrCat("unknown operation ", Quoted(name), " (expected r, w, acq, rel, fork or join)"));
}

absl::Status StdTraceReader::ParseLine(const char* begin, const char* end,
                                       std::vector<Event>& events) {
  if (end > begin && end[-1] == '\r') --end;
  if (begin == end) return absl::OkStatus();  // blank line
  const absl::string_view line(begin, static_cast<size_t>(end - begin));

  const size_t bar1 = line.find('|');
  if (bar1 == absl::string_view::npos) {
    return Error(absl::StrCat("missing operation field in ", Quoted(line),
                              " (expected THREAD|OP(OPERAND)|LOCATION)"));
  }
  const size_t bar2 = line.find('|', bar1 + 1);
  if (bar2 == absl::string_view::npos) {
    return Error(absl::StrCat("missing location field in ", Quoted(line),
                              " (expected THREAD|OP(OPERAND)|LOCATION)"));
  }
  const absl::string_view thread_name = line.substr(0, bar1);
  const absl::string_view op_field = line.substr(bar1 + 1, bar2 - bar1 - 1);
  const absl::string_view location = line.substr(bar2 + 1);
  if (thread_name.empty()) return Error(absl::StrCat("empty thread name in ", Quoted(line)));
  if (thread_name.find_first_of("()\r") != absl::string_view::npos) {
    return Error(absl::StrCat("malformed thread name ", Quoted(thread_name),
                              " (a name may not contain '(', ')' or a carriage return)"));
  }
  if (location.empty()) return Error(absl::StrCat("empty location field in ", Quoted(line)));
  if (location.find('\r') != absl::string_view::npos) {
    return Error(absl::StrCat("carriage return inside the location field in ", Quoted(line)));
  }
  if (location.find('|') != absl::string_view::npos) {
    return Error(absl::StrCat("unexpected fourth field in ", Quoted(line),
                              " (expected THREAD|OP(OPERAND)|LOCATION)"));
  }

  const size_t open = op_field.find('(');
  if (open == absl::string_view::npos || op_field.back() != ')' || open + 1 >= op_field.size()) {
    if (open == absl::string_view::npos && !OperationNamed(op_field).has_value()) {
      return UnknownOperation(op_field);
    }
    return Error(absl::StrCat("malformed operation ", Quoted(op_field),
                              " (expected OP(OPERAND), e.g. acq(L1))"));
  }
  const absl::string_view op_name = op_field.substr(0, open);
  const absl::string_view operand = op_field.substr(open + 1, op_field.size() - open - 2);
  if (!OperationNamed(op_name).has_value()) return UnknownOperation(op_name);
  if (operand.empty()) return Error(absl::StrCat("empty operand in ", Quoted(op_field)));
  if (operand.find_first_of("()\r") != absl::string_view::npos) {
    return Error(absl::StrCat("malformed operand in ", Quoted(op_field)));
  }
  return ApplyLine(thread_name, op_name, operand, location, events);
}

absl::Status StdTraceReader::ApplyLine(absl::string_view thread_name, absl::string_view op_name,
                                       absl::string_view operand, absl::string_view location,
                                       std::vector<Event>& events) {
  const std::optional<Operation> op = OperationNamed(op_name);
  if (!op.has_value()) return UnknownOperation(op_name);
  const ThreadId thread = ThreadNamed(thread_name);
  if (thread == kNoThread) return TooMany("threads");
  if (tables_.objects().size() >= kNoObject - 2) return TooMany("threads, locks and variables");
  const SiteId site = SiteNamed(location);
  if (site == kNoSite) return TooMany("locations");

  switch (*op) {
    case Operation::kRead:
    case Operation::kWrite: {
      const uint32_t variable = VariableNamed(operand);
      if (variable == StdNameTable::kAbsent) return TooMany("variables");
      if (absl::Status status = Begin(thread, events); !status.ok()) return status;
      const uint64_t address = kStdVariableBase + uint64_t{kStdVariableSize} * variable;
      Event access = Event::Access(*op == Operation::kRead ? EventKind::kRead : EventKind::kWrite,
                                   site, address, kStdVariableSize);
      access.thread = thread;
      events.push_back(access);
      return absl::OkStatus();
    }
    case Operation::kAcquire: {
      if (absl::Status status = Begin(thread, events); !status.ok()) return status;
      LockState& lock = locks_[LockNamed(operand)];
      uint8_t detail = 0;
      if (lock.holder == kNoThread) {
        lock.holder = thread;
        lock.depth = 1;
        lock.acquired_line = line_;
      } else if (lock.holder == thread) {
        ++lock.depth;
        detail = lock_detail::kRecursive;
      } else {
        return Error(absl::StrCat("acq(", operand, ") by ", thread_name, " while ",
                                  tables_.threads()[lock.holder].name, " holds ", operand,
                                  " (acquired at line ", lock.acquired_line, ")"));
      }
      Event acquire = Event::Sync(EventKind::kLock, detail, site, lock.object, ++lock.sequence);
      acquire.thread = thread;
      events.push_back(acquire);
      return absl::OkStatus();
    }
    case Operation::kRelease: {
      const uint32_t index = locks_by_name_.Find(operand);
      LockState* lock = index == StdNameTable::kAbsent ? nullptr : &locks_[index];
      if (lock == nullptr || lock->holder != thread) {
        std::string message =
            absl::StrCat("rel(", operand, ") by ", thread_name, ", which does not hold ", operand);
        if (lock != nullptr && lock->holder != kNoThread) {
          absl::StrAppend(&message, " (", tables_.threads()[lock->holder].name,
                          " holds it since line ", lock->acquired_line, ")");
        }
        return Error(message);
      }
      if (absl::Status status = Begin(thread, events); !status.ok()) return status;
      uint8_t detail = 0;
      if (--lock->depth > 0) {
        detail = lock_detail::kRecursive;
      } else {
        lock->holder = kNoThread;
      }
      Event release = Event::Sync(EventKind::kUnlock, detail, site, lock->object, ++lock->sequence);
      release.thread = thread;
      events.push_back(release);
      return absl::OkStatus();
    }
    case Operation::kFork: {
      if (operand == thread_name) {
        return Error(absl::StrCat("fork(", operand, ") by ", thread_name, " itself"));
      }
      if (uint32_t known = threads_by_name_.Find(operand); known != StdNameTable::kAbsent) {
        const ThreadState& child = threads_[known];
        return Error(absl::StrCat("fork(", operand, ") of a thread already ",
                                  child.forked ? "forked" : "running", " (since line ",
                                  child.mentioned_line, ")"));
      }
      if (absl::Status status = Begin(thread, events); !status.ok()) return status;
      const ThreadId child = ThreadNamed(operand, thread, site);
      if (child == kNoThread) return TooMany("threads");
      Event create = Event::Sync(EventKind::kThreadCreate, 0, site,
                                 tables_.threads()[child].object, kCreateSequence);
      create.thread = thread;
      events.push_back(create);
      return absl::OkStatus();
    }
    case Operation::kJoin: {
      const uint32_t known = threads_by_name_.Find(operand);
      if (known == StdNameTable::kAbsent) {
        return Error(absl::StrCat("join(", operand, ") of a thread never seen"));
      }
      const ThreadId child = static_cast<ThreadId>(known);
      if (child == thread) {
        return Error(absl::StrCat("join(", operand, ") by ", thread_name, " itself"));
      }
      if (threads_[child].joined) {
        return Error(absl::StrCat("join(", operand, ") of a thread already joined at line ",
                                  threads_[child].joined_line));
      }
      if (absl::Status status = Begin(thread, events); !status.ok()) return status;
      if (absl::Status status = Begin(child, events); !status.ok()) return status;
      threads_[child].joined = true;
      threads_[child].joined_line = line_;
      const ObjectId object = tables_.threads()[child].object;
      Event child_end = Event::Sync(EventKind::kThreadEnd, 0, kNoSite, object, kEndSequence);
      child_end.thread = child;
      events.push_back(child_end);
      Event join = Event::Sync(EventKind::kThreadJoin, 0, site, object, kEndSequence);
      join.thread = thread;
      events.push_back(join);
      return absl::OkStatus();
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Trace> ParseStdTrace(absl::string_view text, absl::string_view name) {
  StdTraceReader reader(InputFile::FromString(std::string(text), std::string(name)));
  return ReadWholeTrace(reader);
}

// ---------------------------------------------------------------------------------------
// Writing.

namespace {

// `text` as an STD token: the characters reserved in its field become '_'. Names (threads,
// locks, variables) may not hold '|', '(', ')' or a line break; a location, the last
// field, may hold '(' and ')' (a function signature, say). What the reader accepted is
// written verbatim (it refuses the rest).
constexpr absl::string_view kNameReserved = "|()\n\r";
constexpr absl::string_view kLocationReserved = "|\n\r";
std::string Token(absl::string_view text, absl::string_view reserved = kNameReserved) {
  std::string token(text);
  for (char& c : token) {
    if (reserved.find(c) != absl::string_view::npos) c = '_';
  }
  return token;
}

}  // namespace

StdTraceWriter::StdTraceWriter(const Trace& tables) : tables_(tables) {}

void StdTraceWriter::CatchUp() {
  const bool labels = tables_.names_are_labels();
  for (size_t t = thread_names_.size(); t < tables_.threads().size(); ++t) {
    const ThreadInfo& info = tables_.threads()[t];
    thread_names_.push_back(labels && !info.name.empty() ? Token(info.name)
                                                         : absl::StrCat("T", t));
  }
  for (size_t o = object_names_.size(); o < tables_.objects().size(); ++o) {
    const ObjectInfo& info = tables_.objects()[o];
    object_names_.push_back(labels && !info.name.empty() ? Token(info.name)
                                                         : absl::StrCat("M", o));
    thread_of_object_.push_back(kNoThread);
    if (IsMemoryObject(info.kind) && info.size > 0) {
      const uint64_t address = info.address & kAddressMask;
      MemoryRange range{address, address + info.size, static_cast<ObjectId>(o)};
      if (!memory_.empty() && range.address < memory_.back().address) memory_sorted_ = false;
      memory_.push_back(range);
    }
  }
  for (size_t t = 0; t < tables_.threads().size(); ++t) {
    const ObjectId object = tables_.threads()[t].object;
    if (object < thread_of_object_.size()) thread_of_object_[object] = static_cast<ThreadId>(t);
  }
  for (size_t s = site_names_.size(); s < tables_.sites().size(); ++s) {
    const SiteInfo& site = tables_.sites()[s];
    if (labels || site.line == 0) {
      site_names_.push_back(
          Token(site.file.empty() ? absl::StrCat("site", s) : site.file, kLocationReserved));
    } else {
      site_names_.push_back(Token(absl::StrCat(site.file, ":", site.line), kLocationReserved));
    }
  }
  if (!memory_sorted_) {
    std::stable_sort(memory_.begin(), memory_.end(),
                     [](const MemoryRange& a, const MemoryRange& b) { return a.address < b.address; });
    memory_sorted_ = true;
  }
}

void StdTraceWriter::AppendVariable(uint64_t granule, std::string* out) {
  // The newest memory object starting at or before the granule that covers it.
  auto it = std::upper_bound(memory_.begin(), memory_.end(), granule,
                             [](uint64_t a, const MemoryRange& r) { return a < r.address; });
  const MemoryRange* found = nullptr;
  for (int looked = 0; it != memory_.begin() && looked < 64; ++looked) {
    --it;
    if (it->end > granule) {
      found = &*it;
      break;
    }
  }
  if (found == nullptr) {
    absl::StrAppendFormat(out, "0x%x", granule);
    return;
  }
  const std::string& name = object_names_[found->object];
  const uint64_t first_granule = found->address & ~uint64_t{7};
  const bool single = ((found->end - 1) & ~uint64_t{7}) == first_granule;
  if (single) {
    out->append(name);
  } else {
    absl::StrAppend(out, name, "[", (granule - first_granule) / 8, "]");
  }
}

void StdTraceWriter::Write(std::span<const Event> events, std::string* out) {
  if (thread_names_.size() != tables_.threads().size() ||
      object_names_.size() != tables_.objects().size() ||
      site_names_.size() != tables_.sites().size()) {
    CatchUp();
  }
  auto line = [&](ThreadId thread, absl::string_view op, auto&& operand, SiteId site) {
    out->append(thread < thread_names_.size() ? thread_names_[thread] : std::string("T?"));
    out->push_back('|');
    out->append(op.data(), op.size());
    out->push_back('(');
    operand();
    out->push_back(')');
    out->push_back('|');
    if (site < site_names_.size()) {
      out->append(site_names_[site]);
    } else {
      out->append("0");
    }
    out->push_back('\n');
  };
  for (const Event& event : events) {
    switch (event.kind) {
      case EventKind::kRead:
      case EventKind::kWrite: {
        const uint64_t address = event.address();
        const uint64_t end = address + event.access_size();
        const absl::string_view op = event.kind == EventKind::kRead ? "r" : "w";
        for (uint64_t granule = address & ~uint64_t{7}; granule < end; granule += 8) {
          line(event.thread, op, [&] { AppendVariable(granule, out); }, event.site);
        }
        break;
      }
      case EventKind::kLock:
      case EventKind::kLockShared:
      case EventKind::kUnlock:
      case EventKind::kUnlockShared: {
        const bool acquire = event.kind == EventKind::kLock || event.kind == EventKind::kLockShared;
        line(event.thread, acquire ? "acq" : "rel",
             [&] { out->append(object_names_[event.object()]); }, event.site);
        break;
      }
      case EventKind::kThreadCreate:
      case EventKind::kThreadJoin: {
        const ThreadId other = thread_of_object_[event.object()];
        if (other == kNoThread) {
          ++left_out_;
          break;
        }
        line(event.thread, event.kind == EventKind::kThreadCreate ? "fork" : "join",
             [&] { out->append(thread_names_[other]); }, event.site);
        break;
      }
      case EventKind::kAtomicLoad:
      case EventKind::kAtomicStore:
      case EventKind::kAtomicReadModifyWrite:
        ++atomics_left_out_;
        ++left_out_;
        break;
      case EventKind::kThreadStart:
      case EventKind::kThreadEnd:
        break;  // implied by fork and join
      default:
        ++left_out_;
        break;
    }
  }
}

std::string FormatStdTrace(const Trace& trace) {
  StdTraceWriter writer(trace);
  std::string out;
  writer.Write(trace.events(), &out);
  return out;
}

}  // namespace harness
