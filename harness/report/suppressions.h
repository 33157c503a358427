// harness/report/suppressions.h: ThreadSanitizer's suppression file syntax.
//
//   # Known race in the legacy cache; tracked in bug 1234.
//   race:LegacyCache::Lookup
//   race:third_party/zlib/*
//   deadlock:^Transfer(Account&, Account&)$
//   mutex:balance
//   thread:watchdog-*
//
// One `type:pattern` per line; blank lines and lines starting with '#' are ignored;
// surrounding whitespace is trimmed. Types:
//
//   race      data races
//   deadlock  lock-order cycles (potential deadlocks) and deadlocks that happened
//   mutex     misuse of mutexes and other primitives
//   thread    any finding involving a thread whose name matches
//
// Patterns match as TSan's do: a pattern matches anywhere in the text (a substring),
// '*' matches any run of characters, a leading '^' anchors the pattern at the start of
// the text and a trailing '$' at its end. A race / deadlock / mutex pattern is matched
// against every function name and file name (so "account.cc" matches a full path that
// ends in it) of every site in the finding (the accesses, acquisitions, misuse and
// blocking sites, the holders' acquisitions, and the creation sites of the threads and
// objects involved), and against the names of the objects the finding is about. A
// thread pattern is matched against the names of the finding's threads.
#ifndef HARNESS_REPORT_SUPPRESSIONS_H_
#define HARNESS_REPORT_SUPPRESSIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "harness/report/finding.h"
#include "harness/report/symbolizer.h"
#include "harness/trace/trace.h"

namespace harness {

enum class SuppressionType : uint8_t {
  kRace,
  kDeadlock,
  kMutex,
  kThread,
};
// "race", "deadlock", "mutex", "thread".
absl::string_view SuppressionTypeName(SuppressionType type);

struct Suppression {
  SuppressionType type = SuppressionType::kRace;
  std::string pattern;
  std::string file;  // where it was read from, for messages
  int line = 0;

  friend bool operator==(const Suppression&, const Suppression&) = default;
};

struct Suppressions {
  std::vector<Suppression> entries;

  bool empty() const { return entries.empty(); }
};

// ParseSuppressions()
// Parses a suppression file's text. Errors are InvalidArgument and start with
// "FILE:LINE: ": "unknown suppression type 'foo' (known types: race, deadlock, mutex,
// thread)", "expected 'type:pattern', got 'foo'", "empty pattern after 'race:'".
absl::StatusOr<Suppressions> ParseSuppressions(absl::string_view text,
                                               absl::string_view file_name);

// LoadSuppressionsFile()
// Reads and parses a suppression file. NotFound when it cannot be read, naming the file.
absl::StatusOr<Suppressions> LoadSuppressionsFile(const std::string& path);

// SuppressionPatternMatches()
// Whether `pattern` matches `text` (see above). Never matches an empty text.
bool SuppressionPatternMatches(absl::string_view pattern, absl::string_view text);

// MatchSuppression()
// The first suppression that matches `finding`, or null. With a symbolizer the frames of
// the sites' stacks are matched too (only meaningful in the process that recorded the
// trace); without one, the sites' own functions and files.
const Suppression* MatchSuppression(const Suppressions& suppressions, const Trace& trace,
                                    const Finding& finding, Symbolizer* symbolizer = nullptr);

// ApplySuppressions()
// Removes the findings a suppression matches and adds their counts (Finding::count, so
// that deduplicating before or after gives the same number) to report->suppressed.
void ApplySuppressions(const Suppressions& suppressions, const Trace& trace, Report* report,
                       Symbolizer* symbolizer = nullptr);

}  // namespace harness

#endif  // HARNESS_REPORT_SUPPRESSIONS_H_
