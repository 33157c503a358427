// harness/report/suppressions.cc: parsing and applying TSan-style suppressions.
#include "harness/report/suppressions.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "harness/report/printer_util.h"

namespace harness {

absl::string_view SuppressionTypeName(SuppressionType type) {
  switch (type) {
    case SuppressionType::kRace: return "race";
    case SuppressionType::kDeadlock: return "deadlock";
    case SuppressionType::kMutex: return "mutex";
    case SuppressionType::kThread: return "thread";
  }
  return "unknown";
}

absl::StatusOr<Suppressions> ParseSuppressions(absl::string_view text,
                                               absl::string_view file_name) {
  static constexpr SuppressionType kTypes[] = {SuppressionType::kRace, SuppressionType::kDeadlock,
                                               SuppressionType::kMutex, SuppressionType::kThread};
  Suppressions suppressions;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    auto error = [&](absl::string_view message) {
      return absl::InvalidArgumentError(absl::StrCat(file_name, ":", line_number, ": ", message));
    };
    size_t colon = line.find(':');
    if (colon == absl::string_view::npos) {
      return error(absl::StrCat("expected 'type:pattern', got '", line, "'"));
    }
    absl::string_view type_name = absl::StripAsciiWhitespace(line.substr(0, colon));
    absl::string_view pattern = absl::StripAsciiWhitespace(line.substr(colon + 1));
    Suppression suppression;
    bool known = false;
    for (SuppressionType type : kTypes) {
      if (type_name == SuppressionTypeName(type)) {
        suppression.type = type;
        known = true;
      }
    }
    if (!known) {
      return error(absl::StrCat("unknown suppression type '", type_name,
                                "' (known types: race, deadlock, mutex, thread)"));
    }
    if (pattern.empty() || pattern == "^" || pattern == "$" || pattern == "^$") {
      return error(absl::StrCat("empty pattern after '", type_name, ":'"));
    }
    suppression.pattern = std::string(pattern);
    suppression.file = std::string(file_name);
    suppression.line = line_number;
    suppressions.entries.push_back(std::move(suppression));
  }
  return suppressions;
}

absl::StatusOr<Suppressions> LoadSuppressionsFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read suppressions file '", path, "': ", std::strerror(errno)));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return absl::NotFoundError(absl::StrCat("cannot read suppressions file '", path, "'"));
  }
  return ParseSuppressions(text.str(), path);
}

namespace {

// Glob matching with '*' only, over the whole of `text`.
bool GlobMatch(absl::string_view pattern, absl::string_view text) {
  size_t p = 0, t = 0;
  size_t star = absl::string_view::npos, star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != absl::string_view::npos) {
      p = star + 1;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace

bool SuppressionPatternMatches(absl::string_view pattern, absl::string_view text) {
  if (text.empty()) return false;
  bool anchored_start = !pattern.empty() && pattern.front() == '^';
  if (anchored_start) pattern.remove_prefix(1);
  bool anchored_end = !pattern.empty() && pattern.back() == '$';
  if (anchored_end) pattern.remove_suffix(1);
  std::string glob;
  if (!anchored_start) glob += '*';
  glob.append(pattern.data(), pattern.size());
  if (!anchored_end) glob += '*';
  return GlobMatch(glob, text);
}

namespace {

bool Applies(SuppressionType type, FindingKind kind) {
  switch (type) {
    case SuppressionType::kRace: return kind == FindingKind::kDataRace;
    case SuppressionType::kDeadlock:
      return kind == FindingKind::kLockOrderCycle || kind == FindingKind::kDeadlock;
    case SuppressionType::kMutex: return kind == FindingKind::kMisuse;
    case SuppressionType::kThread: return true;
  }
  return false;
}

// The texts suppressions are matched against, for one finding.
struct MatchTexts {
  std::vector<std::string> code;     // function and file names, object names
  std::vector<std::string> threads;  // thread names
};

MatchTexts TextsOf(const Trace& trace, const Finding& finding, Symbolizer* symbolizer) {
  MatchTexts texts;
  std::vector<SiteId> sites = report_internal::FindingSites(finding);
  std::vector<ThreadId> threads = report_internal::FindingThreads(trace, finding);
  std::vector<ObjectId> objects = report_internal::FindingObjects(finding);
  for (ThreadId t : threads) {
    if (t >= trace.threads().size()) continue;
    const ThreadInfo& info = trace.threads()[t];
    if (!info.name.empty()) texts.threads.push_back(info.name);
    if (info.creation_site != kNoSite) sites.push_back(info.creation_site);
  }
  for (ObjectId o : objects) {
    if (o >= trace.objects().size()) continue;
    const ObjectInfo& info = trace.objects()[o];
    if (!info.name.empty()) texts.code.push_back(info.name);
    if (info.creation_site != kNoSite) sites.push_back(info.creation_site);
  }
  for (SiteId s : sites) {
    for (const Frame& frame : SiteFrames(trace, s, symbolizer)) {
      if (!frame.function.empty()) texts.code.push_back(frame.function);
      if (!frame.file.empty()) texts.code.push_back(frame.file);
    }
  }
  return texts;
}

}  // namespace

const Suppression* MatchSuppression(const Suppressions& suppressions, const Trace& trace,
                                    const Finding& finding, Symbolizer* symbolizer) {
  if (suppressions.empty()) return nullptr;
  const MatchTexts texts = TextsOf(trace, finding, symbolizer);
  for (const Suppression& suppression : suppressions.entries) {
    if (!Applies(suppression.type, finding.kind())) continue;
    const std::vector<std::string>& candidates =
        suppression.type == SuppressionType::kThread ? texts.threads : texts.code;
    for (const std::string& text : candidates) {
      if (SuppressionPatternMatches(suppression.pattern, text)) return &suppression;
    }
  }
  return nullptr;
}

void ApplySuppressions(const Suppressions& suppressions, const Trace& trace, Report* report,
                       Symbolizer* symbolizer) {
  if (suppressions.empty()) return;
  std::vector<Finding> kept;
  kept.reserve(report->findings.size());
  for (Finding& finding : report->findings) {
    if (MatchSuppression(suppressions, trace, finding, symbolizer) != nullptr) {
      report->suppressed += finding.count;
    } else {
      kept.push_back(std::move(finding));
    }
  }
  report->findings = std::move(kept);
}

}  // namespace harness
