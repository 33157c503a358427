// harness/runtime/options.h: the harness's run-time options, declared once (name,
// default, help) and read from the HARNESS_OPTIONS environment variable, in the style
// of TSAN_OPTIONS: `HARNESS_OPTIONS="stack_depth=16 trace_file=/tmp/run.trace"`.
#ifndef HARNESS_RUNTIME_OPTIONS_H_
#define HARNESS_RUNTIME_OPTIONS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace harness {

struct Options {
  // See OptionTable() in options.cc for each option's help text.
  int stack_depth = 0;
  std::string trace_file;
  bool fail_on_findings = true;
  bool halt_on_error = false;
  int exitcode = 66;
  std::string suppressions;
  int max_cycle_length = 10;
  bool lock_classes = false;
  bool races = true;
  bool lock_order = true;
  bool misuse = true;
  bool detect_deadlocks = true;
  int deadlock_delay_ms = 500;

  friend bool operator==(const Options&, const Options&) = default;
};

// One declared option, for help output.
struct OptionHelp {
  std::string name;
  std::string default_value;
  std::string help;
};

// ParseOptions()
// Parses `name=value` pairs separated by spaces, colons or commas. Returns
// InvalidArgument for an unknown name (listing the known ones), a missing `=`, or a
// value that is not of the option's type or range.
absl::StatusOr<Options> ParseOptions(absl::string_view text);

// Every option with its default and help, in declaration order.
std::vector<OptionHelp> DescribeOptions();

// GetOptions()
// The options of this process: HARNESS_OPTIONS parsed once, on first use. A bad
// HARNESS_OPTIONS prints the error and the option list to stderr and exits with status
// 2, since running with options the user did not ask for would be a silent wrong answer.
const Options& GetOptions();

}  // namespace harness

#endif  // HARNESS_RUNTIME_OPTIONS_H_
