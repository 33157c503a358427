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
