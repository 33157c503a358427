// tools/trace_check_main.cc: the trace_check command line (Abseil flags).
//
//   trace_check [flags] FILE
//
// Reads a trace (the harness's binary format or RAPID's STD text format), runs the
// analyses and prints what they find. Exit status: 0 nothing found, 1 findings, 2 the
// input (or a flag) is unusable. See README.md, "trace_check".
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/statusor.h"
#include "tools/trace_check.h"

ABSL_FLAG(std::string, format, "auto",
          "input format: auto (binary when the file starts with the binary magic, else STD), "
          "binary, std");
ABSL_FLAG(std::string, analyses, "races,lock_order,misuse",
          "comma-separated analyses to run: races, lock_order, misuse (or all)");
ABSL_FLAG(std::string, output, "text", "report format: text, json, sarif");
ABSL_FLAG(std::string, dot, "", "write the whole lock-order graph to this file as Graphviz DOT");
ABSL_FLAG(std::string, suppressions, "", "ThreadSanitizer-syntax suppressions file");
ABSL_FLAG(int, max_cycle_length, 10, "longest lock-order cycle searched for (in locks)");
ABSL_FLAG(bool, lock_classes, false,
          "treat mutexes created at the same site as one lock (lockdep's lock classes)");
ABSL_FLAG(std::string, convert, "",
          "instead of analysing, write the trace in this format (std) to --out");
ABSL_FLAG(std::string, out, "-", "where --convert writes (- for standard output)");
ABSL_FLAG(std::string, progress, "auto",
          "progress bar on stderr: auto (when stderr is a terminal and the file is large), "
          "always, never");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "trace_check [flags] FILE: analyse a harness binary trace or an STD text trace "
      "for data races, lock-order cycles and misuse.\nExit status: 0 nothing found, "
      "1 findings, 2 unusable input.");
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() != 2) {
    std::cerr << "trace_check: expected exactly one trace file (usage: trace_check [flags] "
                 "FILE; --help lists the flags)\n";
    return harness::kExitUnusableInput;
  }
  harness::TraceCheckOptions options;
  options.input = positional[1];
  absl::StatusOr<harness::TraceFormat> format =
      harness::ParseTraceFormat(absl::GetFlag(FLAGS_format));
  if (!format.ok()) {
    std::cerr << "trace_check: " << format.status().message() << "\n";
    return harness::kExitUnusableInput;
  }
  options.format = *format;
  options.analyses = absl::GetFlag(FLAGS_analyses);
  options.output = absl::GetFlag(FLAGS_output);
  options.dot_file = absl::GetFlag(FLAGS_dot);
  options.suppressions_file = absl::GetFlag(FLAGS_suppressions);
  options.max_cycle_length = absl::GetFlag(FLAGS_max_cycle_length);
  options.lock_classes = absl::GetFlag(FLAGS_lock_classes);
  options.convert = absl::GetFlag(FLAGS_convert);
  options.convert_output = absl::GetFlag(FLAGS_out);
  const std::string progress = absl::GetFlag(FLAGS_progress);
  if (progress == "auto") {
    options.progress = harness::ProgressMode::kAuto;
  } else if (progress == "always") {
    options.progress = harness::ProgressMode::kAlways;
  } else if (progress == "never") {
    options.progress = harness::ProgressMode::kNever;
  } else {
    std::cerr << "trace_check: unknown --progress '" << progress
              << "' (known: auto, always, never)\n";
    return harness::kExitUnusableInput;
  }
  return harness::RunTraceCheck(options, std::cout, std::cerr);
}
