// tools/bench/trace_generator.cc: WriteGeneratedTraces().
//
// Each generated operation is written twice: as an STD line, and as the events the STD
// reader would make of it, over tables declared up front (threads, their objects, the
// locks, the variables at the STD reader's addresses, and the locations), so both files
// describe the same execution.
#include "tools/bench/trace_generator.h"

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "harness/trace/event.h"
#include "harness/trace/std_format.h"
#include "harness/trace/trace.h"
#include "harness/trace/trace_file.h"

namespace harness {
namespace {

constexpr int kLocations = 512;
constexpr int kConfigVariables = 8;
constexpr int kRacyVariables = 8;

class Output {
 public:
  Output(const TraceShape& shape, FILE* std_file, FILE* binary_file)
      : shape_(shape), std_file_(std_file), binary_file_(binary_file) {}

  // Names and binary ids.
  ThreadId Thread(int t) const { return static_cast<ThreadId>(t); }
  ObjectId ThreadObject(int t) const { return static_cast<ObjectId>(t); }
  ObjectId Lock(int m) const { return static_cast<ObjectId>(shape_.threads + m); }
  int VariableCount() const {
    return shape_.variables + shape_.threads * shape_.private_variables + kConfigVariables +
           kRacyVariables;
  }
  ObjectId VariableObject(int v) const {
    return static_cast<ObjectId>(shape_.threads + shape_.locks + v);
  }

  // The tables, in the binary file's layout (written before the events).
  Trace Tables() const {
    Trace tables;
    tables.set_names_are_labels(true);
    for (int s = 0; s < kLocations; ++s) {
      SiteInfo site;
      site.file = absl::StrCat(s);
      tables.AddSite(site);
    }
    for (int t = 0; t < shape_.threads; ++t) {
      ObjectInfo object;
      object.kind = ObjectKind::kThread;
      object.name = absl::StrCat("T", t);
      if (t > 0) {
        object.creator = 0;
        object.creation_site = 0;
      }
      tables.AddObject(object);
    }
    for (int t = 0; t < shape_.threads; ++t) {
      ThreadInfo thread;
      thread.name = absl::StrCat("T", t);
      thread.object = ThreadObject(t);
      if (t > 0) {
        thread.parent = 0;
        thread.creation_site = 0;
      }
      tables.AddThread(thread);
    }
    for (int m = 0; m < shape_.locks; ++m) {
      ObjectInfo object;
      object.kind = ObjectKind::kMutex;
      object.name = absl::StrCat("L", m);
      tables.AddObject(object);
    }
    for (int v = 0; v < VariableCount(); ++v) {
      ObjectInfo object;
      object.kind = ObjectKind::kSharedVariable;
      object.name = absl::StrCat("V", v);
      object.address = kStdVariableBase + uint64_t{kStdVariableSize} * v;
      object.size = kStdVariableSize;
      tables.AddObject(object);
    }
    return tables;
  }

  void Line(int t, absl::string_view op, absl::string_view prefix, int operand, int location) {
    if (std_file_ == nullptr) return;
    absl::StrAppend(&text_, "T", t, "|", op, "(", prefix, operand, ")|", location, "\n");
    if (text_.size() > (1 << 20)) FlushText();
  }
  void Emit(int t, Event event) {
    ++events_;
    if (binary_file_ == nullptr) return;
    event.thread = Thread(t);
    buffer_.push_back(event);
    if (buffer_.size() >= (1 << 16)) FlushEvents();
  }

  void Access(int t, bool write, int v, int location) {
    Line(t, write ? "w" : "r", "V", v, location);
    Emit(t, Event::Access(write ? EventKind::kWrite : EventKind::kRead,
                          static_cast<SiteId>(location),
                          kStdVariableBase + uint64_t{kStdVariableSize} * v, kStdVariableSize));
  }
  void Acquire(int t, int m, int location) {
    Line(t, "acq", "L", m, location);
    Emit(t, Event::Sync(EventKind::kLock, 0, static_cast<SiteId>(location), Lock(m),
                        ++lock_versions_[m]));
  }
  void Release(int t, int m, int location) {
    Line(t, "rel", "L", m, location);
    Emit(t, Event::Sync(EventKind::kUnlock, 0, static_cast<SiteId>(location), Lock(m),
                        ++lock_versions_[m]));
  }
  void Fork(int t, int child, int location) {
    Line(t, "fork", "T", child, location);
    Emit(t, Event::Sync(EventKind::kThreadCreate, 0, static_cast<SiteId>(location),
                        ThreadObject(child), 1));
  }
  void Start(int child, int location) {
    Emit(child, Event::Sync(EventKind::kThreadStart, 0, static_cast<SiteId>(location),
                            ThreadObject(child), 1));
  }
  void Join(int t, int child, int location) {
    Line(t, "join", "T", child, location);
    Emit(child, Event::Sync(EventKind::kThreadEnd, 0, kNoSite, ThreadObject(child), 2));
    Emit(t, Event::Sync(EventKind::kThreadJoin, 0, static_cast<SiteId>(location),
                        ThreadObject(child), 2));
  }

  void FlushText() {
    if (std_file_ != nullptr && !text_.empty()) {
      std::fwrite(text_.data(), 1, text_.size(), std_file_);
    }
    text_.clear();
  }
  void FlushEvents() {
    if (binary_file_ != nullptr && !buffer_.empty()) {
      std::fwrite(buffer_.data(), sizeof(Event), buffer_.size(), binary_file_);
    }
    buffer_.clear();
  }

  uint64_t events() const { return events_; }
  void InitLocks() { lock_versions_.assign(shape_.locks, 0); }

 private:
  const TraceShape& shape_;
  FILE* std_file_;
  FILE* binary_file_;
  std::string text_;
  std::vector<Event> buffer_;
  std::vector<uint32_t> lock_versions_;
  uint64_t events_ = 0;
};

// The operations, in order; `out` counts them.
void Generate(const TraceShape& shape, Output& out) {
  std::mt19937_64 random(shape.seed);
  auto below = [&](uint64_t n) { return static_cast<int>(random() % n); };
  auto chance = [&](double p) {
    return static_cast<double>(random() >> 11) * 0x1.0p-53 < p;
  };
  out.InitLocks();
  const int guarded_per_lock = std::max(1, shape.variables / shape.locks);
  const int private_base = shape.variables;
  const int config_base = private_base + shape.threads * shape.private_variables;
  const int racy_base = config_base + kConfigVariables;
  uint64_t lines = 0;
  auto access = [&](int t, bool write, int v, int location) {
    out.Access(t, write, v, location);
    ++lines;
  };
  auto acquire = [&](int t, int m, int location) {
    out.Acquire(t, m, location);
    ++lines;
  };
  auto release = [&](int t, int m, int location) {
    out.Release(t, m, location);
    ++lines;
  };

  // main writes the configuration, forks everyone.
  for (int c = 0; c < kConfigVariables; ++c) access(0, true, config_base + c, 1);
  for (int t = 1; t < shape.threads; ++t) {
    out.Fork(0, t, 2);
    ++lines;
  }
  std::vector<bool> started(shape.threads, false);
  started[0] = true;
  auto start = [&](int t) {
    if (!started[t]) {
      started[t] = true;
      out.Start(t, 2);
    }
  };
  // The lock-order inversion: T1 takes L0 then L1, T2 takes L1 then L0.
  if (shape.threads > 2 && shape.locks > 1) {
    start(1);
    acquire(1, 0, 3);
    acquire(1, 1, 4);
    release(1, 1, 5);
    release(1, 0, 6);
    start(2);
    acquire(2, 1, 7);
    acquire(2, 0, 8);
    release(2, 0, 9);
    release(2, 1, 10);
  }
  const uint64_t end_lines = shape.events > uint64_t(shape.threads) ? shape.events - shape.threads : 0;
  while (lines < end_lines) {
    const int t = shape.threads > 1 ? 1 + below(shape.threads - 1) : 0;
    start(t);
    const int what = below(1000);
    if (chance(shape.racy_share)) {  // the bug: unguarded
      const int r = below(kRacyVariables);
      access(t, chance(0.5), racy_base + r, 400 + r + 8 * below(4));
    } else if (what < 500) {  // critical section, sometimes nested (in lock order)
      const int m = below(shape.locks);
      acquire(t, m, 20 + m % 64);
      int inner = -1;
      if (m + 1 < shape.locks && chance(0.1)) {
        inner = m + 1 + below(shape.locks - m - 1);
        acquire(t, inner, 90 + inner % 32);
      }
      const int n = 2 + below(6);
      for (int i = 0; i < n; ++i) {
        const int v = m * guarded_per_lock + below(guarded_per_lock);
        const bool write = below(3) == 0;
        access(t, write, std::min(v, shape.variables - 1), 130 + (write ? 64 : 0) + v % 64);
      }
      if (inner >= 0) release(t, inner, 260 + inner % 32);
      release(t, m, 300 + m % 64);
    } else if (what < 850) {  // thread-private data
      for (int i = 0; i < 4; ++i) {
        const int v = private_base + t * shape.private_variables + below(shape.private_variables);
        access(t, chance(0.5), v, 370 + i);
      }
    } else {  // read-shared configuration
      const int c = below(kConfigVariables);
      access(t, false, config_base + c, 380 + c);
    }
  }
  for (int t = 1; t < shape.threads; ++t) {
    start(t);
    out.Join(0, t, 11);
    ++lines;
  }
}

}  // namespace

absl::Status WriteGeneratedTraces(const TraceShape& shape, const std::string& std_path,
                                  const std::string& binary_path) {
  if (shape.threads < 1 || shape.locks < 1 || shape.variables < 1 ||
      shape.private_variables < 1) {
    return absl::InvalidArgumentError("every count of a trace shape must be at least 1");
  }
  FILE* std_file = nullptr;
  FILE* binary_file = nullptr;
  auto close_all = [&] {
    if (std_file != nullptr) std::fclose(std_file);
    if (binary_file != nullptr) std::fclose(binary_file);
  };
  if (!std_path.empty() && (std_file = std::fopen(std_path.c_str(), "wb")) == nullptr) {
    return absl::NotFoundError(absl::StrCat("cannot create ", std_path));
  }
  if (!binary_path.empty() && (binary_file = std::fopen(binary_path.c_str(), "wb")) == nullptr) {
    close_all();
    return absl::NotFoundError(absl::StrCat("cannot create ", binary_path));
  }
  Output out(shape, std_file, binary_file);
  long count_offset = 0;
  if (binary_file != nullptr) {
    // The tables, then the event count, patched once the events are out.
    std::string head = EncodeTrace(out.Tables());
    head.resize(head.size() - 8);  // the trailer (ordering gaps) comes after the events
    count_offset = static_cast<long>(head.size() - 8);
    std::fwrite(head.data(), 1, head.size(), binary_file);
  }
  Generate(shape, out);
  out.FlushText();
  out.FlushEvents();
  if (binary_file != nullptr) {
    const char gaps[8] = {};
    std::fwrite(gaps, 1, sizeof(gaps), binary_file);
    char count[8];
    for (int i = 0; i < 8; ++i) count[i] = static_cast<char>(out.events() >> (8 * i));
    if (std::fseek(binary_file, count_offset, SEEK_SET) == 0) {
      std::fwrite(count, 1, sizeof(count), binary_file);
    }
  }
  bool failed = (std_file != nullptr && std::ferror(std_file)) ||
                (binary_file != nullptr && std::ferror(binary_file));
  if (std_file != nullptr && std::fclose(std_file) != 0) failed = true;
  if (binary_file != nullptr && std::fclose(binary_file) != 0) failed = true;
  if (failed) return absl::DataLossError("cannot write the generated traces (disk full?)");
  return absl::OkStatus();
}

}  // namespace harness
