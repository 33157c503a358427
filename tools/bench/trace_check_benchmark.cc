// tools/bench/trace_check_benchmark.cc: throughput and peak memory of trace_check's
// streaming analysis (races and lock order together, single-threaded) on generated
// traces (trace_generator.h) in both formats, at several sizes:
//
//   bazel run -c opt //tools/bench:trace_check_benchmark -- --sizes=1M,10M,100M
//
// Each trace is generated once into --dir (kept for later runs with the same shape;
// 100M events take about 1.6 GB in each format). Each measurement runs in a child
// process, so that its peak resident set (getrusage's ru_maxrss) is its own; "seconds"
// is RunTraceCheck() in the child (opening the file to the printed report, reading
// included), "process s" the child from fork to exit. Linear time shows as the same
// events/second at every size (past the fixed cost of the tables, about 1 ms here).
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "tools/bench/trace_generator.h"
#include "tools/trace_check.h"

ABSL_FLAG(std::string, sizes, "1M,10M", "trace sizes in events (K and M suffixes allowed)");
ABSL_FLAG(std::string, formats, "std,binary", "input formats to measure: std, binary");
ABSL_FLAG(std::string, dir, "/tmp/trace_check_bench", "where the generated traces are kept");
ABSL_FLAG(std::string, analyses, "races,lock_order", "the analyses trace_check runs");
ABSL_FLAG(int, threads, 8, "threads of the generated traces");
ABSL_FLAG(int, locks, 32, "locks of the generated traces");
ABSL_FLAG(int, variables, 10000, "lock-guarded variables of the generated traces");
ABSL_FLAG(double, racy_share, 0.01, "share of work blocks with an unguarded racy access");
ABSL_FLAG(uint64_t, seed, 0x5eed2024, "generator seed");
ABSL_FLAG(int, repetitions, 1, "runs per measurement (the fastest is reported)");

namespace harness {
namespace {

bool ParseSize(absl::string_view text, uint64_t* size) {
  uint64_t scale = 1;
  if (absl::EndsWith(text, "M")) {
    scale = 1'000'000;
    text.remove_suffix(1);
  } else if (absl::EndsWith(text, "K")) {
    scale = 1'000;
    text.remove_suffix(1);
  }
  uint64_t value = 0;
  if (!absl::SimpleAtoi(text, &value)) return false;
  *size = value * scale;
  return true;
}

bool Exists(const std::string& path) {
  struct stat info;
  return ::stat(path.c_str(), &info) == 0 && info.st_size > 0;
}

uint64_t FileSize(const std::string& path) {
  struct stat info;
  return ::stat(path.c_str(), &info) == 0 ? static_cast<uint64_t>(info.st_size) : 0;
}

struct Measurement {
  double seconds = 0;          // RunTraceCheck(): opening the file to the printed report
  double process_seconds = 0;  // the whole child process: fork, the run, exit
  long peak_rss_kb = 0;
  int exit_code = -1;
};

// trace_check over `path` in a child process, which reports its own run time through a
// pipe (the process's creation and teardown, about 2 ms here, are not trace_check's).
Measurement Measure(const std::string& path, const std::string& analyses) {
  Measurement result;
  int pipe_ends[2];
  if (::pipe(pipe_ends) != 0) return result;
  const auto start = std::chrono::steady_clock::now();
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(pipe_ends[0]);
    TraceCheckOptions options;
    options.input = path;
    options.analyses = analyses;
    options.progress = ProgressMode::kNever;
    std::ostringstream out;
    std::ostringstream err;
    const auto run_start = std::chrono::steady_clock::now();
    const int code = RunTraceCheck(options, out, err);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - run_start).count();
    if (code == kExitUnusableInput) std::cerr << err.str();
    const bool written = ::write(pipe_ends[1], &seconds, sizeof(seconds)) == sizeof(seconds);
    std::_Exit(written ? code : 3);
  }
  ::close(pipe_ends[1]);
  double seconds = 0;
  const bool read = child > 0 && ::read(pipe_ends[0], &seconds, sizeof(seconds)) == sizeof(seconds);
  ::close(pipe_ends[0]);
  int status = 0;
  struct rusage usage;
  if (child < 0 || ::wait4(child, &status, 0, &usage) != child) return result;
  result.process_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.seconds = read ? seconds : result.process_seconds;
  result.peak_rss_kb = usage.ru_maxrss;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

int Main() {
  const std::string dir = absl::GetFlag(FLAGS_dir);
  ::mkdir(dir.c_str(), 0755);
  std::vector<uint64_t> sizes;
  for (absl::string_view text : absl::StrSplit(absl::GetFlag(FLAGS_sizes), ',')) {
    uint64_t size = 0;
    if (!ParseSize(text, &size) || size == 0) {
      std::cerr << "bad size '" << text << "' in --sizes\n";
      return 2;
    }
    sizes.push_back(size);
  }
  std::vector<std::string> formats = absl::StrSplit(absl::GetFlag(FLAGS_formats), ',');
  std::printf("%-11s %-7s %10s %9s %14s %9s %10s %13s %s\n", "events", "format", "file MB",
              "seconds", "events/s", "ns/event", "process s", "peak RSS MB", "exit");
  for (uint64_t size : sizes) {
    TraceShape shape;
    shape.events = size;
    shape.threads = absl::GetFlag(FLAGS_threads);
    shape.locks = absl::GetFlag(FLAGS_locks);
    shape.variables = absl::GetFlag(FLAGS_variables);
    shape.racy_share = absl::GetFlag(FLAGS_racy_share);
    shape.seed = absl::GetFlag(FLAGS_seed);
    const std::string stem =
        absl::StrFormat("%s/trace_%d_t%d_l%d_v%d_r%g_s%x", dir, size, shape.threads,
                        shape.locks, shape.variables, shape.racy_share, shape.seed);
    const std::string std_path = stem + ".std";
    const std::string binary_path = stem + ".bin";
    if (!Exists(std_path) || !Exists(binary_path)) {
      std::fprintf(stderr, "generating %s.{std,bin} ...\n", stem.c_str());
      if (absl::Status status = WriteGeneratedTraces(shape, std_path, binary_path);
          !status.ok()) {
        std::cerr << status << "\n";
        return 2;
      }
    }
    for (const std::string& format : formats) {
      const std::string& path = format == "binary" ? binary_path : std_path;
      Measurement best;
      for (int r = 0; r < std::max(1, absl::GetFlag(FLAGS_repetitions)); ++r) {
        Measurement m = Measure(path, absl::GetFlag(FLAGS_analyses));
        if (r == 0 || m.seconds < best.seconds) best = m;
      }
      std::printf("%-11llu %-7s %10.1f %9.4f %14.0f %9.1f %10.4f %13.1f %d\n",
                  static_cast<unsigned long long>(size), format.c_str(),
                  static_cast<double>(FileSize(path)) / 1e6, best.seconds,
                  static_cast<double>(size) / best.seconds,
                  best.seconds * 1e9 / static_cast<double>(size), best.process_seconds,
                  best.peak_rss_kb / 1024.0, best.exit_code);
      std::fflush(stdout);
    }
  }
  return 0;
}

}  // namespace
}  // namespace harness

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "trace_check_benchmark: events/second and peak memory of trace_check on generated "
      "STD and binary traces");
  absl::ParseCommandLine(argc, argv);
  return harness::Main();
}
