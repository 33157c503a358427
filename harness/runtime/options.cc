// harness/runtime/options.cc: the option table and HARNESS_OPTIONS parsing.
#include "harness/runtime/options.h"

#include <cstdio>
#include <cstdlib>
#include <functional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace harness {
namespace {

using Setter = std::function<absl::Status(absl::string_view value, Options& options)>;

struct OptionSpec {
  const char* name;
  const char* default_value;
  const char* help;
  Setter set;
};

Setter IntInRange(int Options::*field, int low, int high) {
  return [=](absl::string_view value, Options& options) -> absl::Status {
    int parsed = 0;
    if (!absl::SimpleAtoi(value, &parsed) || parsed < low || parsed > high) {
      return absl::InvalidArgumentError(
          absl::StrCat("expected a whole number from ", low, " to ", high));
    }
    options.*field = parsed;
    return absl::OkStatus();
  };
}

Setter Bool(bool Options::*field) {
  return [=](absl::string_view value, Options& options) -> absl::Status {
    if (value == "1" || value == "true") {
      options.*field = true;
    } else if (value == "0" || value == "false") {
      options.*field = false;
    } else {
      return absl::InvalidArgumentError("expected 0, 1, true or false");
    }
    return absl::OkStatus();
  };
}

// `analyses=races+lock_order`: which analyses run ('+' separates, since ',' separates
// options).
absl::Status SetAnalyses(absl::string_view value, Options& options) {
  options.races = options.lock_order = options.misuse = false;
  for (absl::string_view name : absl::StrSplit(value, '+', absl::SkipEmpty())) {
    if (name == "races") {
      options.races = true;
    } else if (name == "lock_order") {
      options.lock_order = true;
    } else if (name == "misuse") {
      options.misuse = true;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown analysis '", name, "' (known: races, lock_order, misuse)"));
    }
  }
  return absl::OkStatus();
}

Setter String(std::string Options::*field) {
  return [=](absl::string_view value, Options& options) -> absl::Status {
    options.*field = std::string(value);
    return absl::OkStatus();
  };
}

// The one place options are declared. Defaults here must match Options' initializers
// (tests/runtime/options_test checks they do).
const std::vector<OptionSpec>& OptionTable() {
  static const auto* table = new std::vector<OptionSpec>{
      {"stack_depth", "0",
       "Return addresses captured per recorded event (0 to 64). 0 records only the call "
       "site; more costs time per event but reports show whole stacks.",
       IntInRange(&Options::stack_depth, 0, 64)},
      {"trace_file", "",
       "Write the binary trace of the run to this path at exit (empty: do not write).",
       String(&Options::trace_file)},
      {"fail_on_findings", "1",
       "1: a test (or program) whose run has a finding fails. 0: report only.",
       Bool(&Options::fail_on_findings)},
      {"halt_on_error", "0",
       "1: exit with `exitcode` right after the first report, as TSan does.",
       Bool(&Options::halt_on_error)},
      {"exitcode", "66",
       "Exit status of a program the harness stops (halt_on_error, a deadlock outside "
       "GoogleTest). 1 to 255.",
       IntInRange(&Options::exitcode, 1, 255)},
      {"suppressions", "",
       "A ThreadSanitizer-style suppressions file (race:, deadlock:, mutex:, thread: "
       "lines with * patterns). Suppressed findings are counted, not reported.",
       String(&Options::suppressions)},
      {"max_cycle_length", "10",
       "Longest lock-order cycle searched for, in locks (2 to 64). Reports say when "
       "longer cycles may exist.",
       IntInRange(&Options::max_cycle_length, 2, 64)},
      {"lock_classes", "0",
       "1: mutexes created at the same source line are one lock for the lock-order "
       "analysis (as lockdep's lock classes), for code with many short-lived mutexes.",
       Bool(&Options::lock_classes)},
      {"analyses", "races+lock_order+misuse",
       "Which analyses run, joined by '+': races, lock_order, misuse.", SetAnalyses},
      {"detect_deadlocks", "1",
       "1: a watchdog thread reports a deadlock that happens (threads blocked in harness "
       "primitives waiting on each other, or every live thread blocked with none left to "
       "wake them), then fails the test or exits with `exitcode`. 0: no watchdog.",
       Bool(&Options::detect_deadlocks)},
      {"deadlock_delay_ms", "500",
       "How long (10 to 60000 ms) the threads of a deadlock must stay blocked before the "
       "watchdog reports it. The report comes within this delay plus a fifth of it.",
       IntInRange(&Options::deadlock_delay_ms, 10, 60000)},
  };
  return *table;
}

}  // namespace

absl::StatusOr<Options> ParseOptions(absl::string_view text) {
  Options options;
  for (absl::string_view item :
       absl::StrSplit(text, absl::ByAnyChar(" :,\t\n"), absl::SkipWhitespace())) {
    size_t equals = item.find('=');
    if (equals == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("option '", item, "' has no value: write name=value"));
    }
    absl::string_view name = item.substr(0, equals);
    absl::string_view value = item.substr(equals + 1);
    const OptionSpec* spec = nullptr;
    for (const OptionSpec& candidate : OptionTable()) {
      if (name == candidate.name) spec = &candidate;
    }
    if (spec == nullptr) {
      std::vector<std::string> known;
      for (const OptionSpec& candidate : OptionTable()) known.push_back(candidate.name);
      return absl::InvalidArgumentError(absl::StrCat("unknown option '", name,
                                                     "' (known: ", absl::StrJoin(known, ", "), ")"));
    }
    if (absl::Status status = spec->set(value, options); !status.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("option ", name, "=", value, ": ",
                                                     status.message()));
    }
  }
  return options;
}

std::vector<OptionHelp> DescribeOptions() {
  std::vector<OptionHelp> result;
  for (const OptionSpec& spec : OptionTable()) {
    result.push_back({spec.name, spec.default_value, spec.help});
  }
  return result;
}

const Options& GetOptions() {
  static const Options* options = [] {
    const char* text = std::getenv("HARNESS_OPTIONS");
    absl::StatusOr<Options> parsed = ParseOptions(text == nullptr ? "" : text);
    if (!parsed.ok()) {
      std::fprintf(stderr, "harness: HARNESS_OPTIONS: %s\nharness: options:\n",
                   std::string(parsed.status().message()).c_str());
      for (const OptionHelp& option : DescribeOptions()) {
        std::fprintf(stderr, "  %s (default '%s'): %s\n", option.name.c_str(),
                     option.default_value.c_str(), option.help.c_str());
      }
      std::exit(2);
    }
    return new Options(*std::move(parsed));
  }();
  return *options;
}

}  // namespace harness
