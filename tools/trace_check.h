// tools/trace_check.h: the trace_check program as a function, so that tests run it in
// process: offline analysis of a trace file (binary or STD), its report in text / JSON /
// SARIF, the lock-order graph as DOT, and conversion to STD.
#ifndef TOOLS_TRACE_CHECK_H_
#define TOOLS_TRACE_CHECK_H_

#include <ostream>
#include <string>

#include "harness/trace/trace_reader.h"

namespace harness {

// Exit statuses of trace_check.
inline constexpr int kExitNothingFound = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitUnusableInput = 2;

enum class ProgressMode : uint8_t {
  kAuto,    // a bar when stderr is a terminal and the input is large
  kAlways,
  kNever,
};

struct TraceCheckOptions {
  std::string input;                     // the trace file; "-" for standard input
  TraceFormat format = TraceFormat::kAuto;
  std::string analyses = "races,lock_order,misuse";  // comma-separated, or "all"
  std::string output = "text";           // text, json, sarif (or dot)
  std::string dot_file;                  // write the whole lock-order graph here
  std::string suppressions_file;         // TSan-syntax suppressions
  int max_cycle_length = 10;
  bool lock_classes = false;
  std::string convert;                   // "std": convert instead of analysing
  std::string convert_output = "-";      // where the conversion goes ("-": `out`)
  ProgressMode progress = ProgressMode::kAuto;
};

// RunTraceCheck()
// Runs trace_check: the report (or the converted trace) goes to `out`, messages and the
// progress bar to `err`. Returns kExitNothingFound, kExitFindings (a finding not
// suppressed), or kExitUnusableInput (bad options, an unreadable or malformed trace:
// the message says what and where, "FILE:LINE: ..." for STD).
int RunTraceCheck(const TraceCheckOptions& options, std::ostream& out, std::ostream& err);

}  // namespace harness

#endif  // TOOLS_TRACE_CHECK_H_
