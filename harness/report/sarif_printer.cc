// harness/report/sarif_printer.cc: SARIF 2.1.0.
#include "harness/report/sarif_printer.h"

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "harness/report/json_writer.h"
#include "harness/report/printer_util.h"

namespace harness {

std::string SarifUri(absl::string_view path) {
  std::string uri;
  if (!path.empty() && path[0] == '/') uri = "file://";
  constexpr absl::string_view kAllowed = "-._~/!$&'()*+,;=@";
  for (char c : path) {
    unsigned char byte = static_cast<unsigned char>(c);
    if (absl::ascii_isalnum(byte) || kAllowed.find(c) != absl::string_view::npos) {
      uri.push_back(c);
    } else {
      absl::StrAppendFormat(&uri, "%%%02X", byte);
    }
  }
  return uri;
}

std::string SarifEscape(absl::string_view text) {
  std::string escaped;
  for (char c : text) {
    if (c == '\\' || c == '[' || c == ']') escaped.push_back('\\');
    escaped.push_back(c);
  }
  return escaped;
}

namespace {

using report_internal::Capitalize;
using report_internal::FindingKindId;
using report_internal::FindingTitle;
using report_internal::JsonWriter;
using report_internal::MutexList;
using report_internal::SiteFrameCache;

struct Rule {
  FindingKind kind;
  absl::string_view name;
  absl::string_view short_description;
  absl::string_view full_description;
  absl::string_view level;
};

// In FindingKind order: a result's ruleIndex is its kind's index.
constexpr Rule kRules[] = {
    {FindingKind::kDataRace, "DataRace", "Data race",
     "Two threads accessed the same memory, at least one of them wrote, and no "
     "synchronisation ordered the accesses (happens-before).",
     "error"},
    {FindingKind::kLockOrderCycle, "LockOrderInversion",
     "Lock-order inversion (potential deadlock)",
     "Threads acquired mutexes in orders that form a cycle: with other timing they can "
     "deadlock.",
     "warning"},
    {FindingKind::kMisuse, "MutexMisuse", "Misuse of a synchronisation primitive",
     "An unlock of a mutex the thread does not hold, a re-lock of a non-recursive mutex, "
     "the destruction of a locked or waited-on primitive, a condition variable wait "
     "without its mutex, or a thread destroyed while joinable.",
     "error"},
    {FindingKind::kDeadlock, "Deadlock", "Deadlock",
     "Threads blocked in harness primitives, each waiting for another, or with no thread "
     "left to wake them.",
     "error"},
};

class SarifWriter {
 public:
  SarifWriter(const Trace& trace, SiteFrameCache* frames, JsonWriter* json)
      : trace_(trace), frames_(*frames), json_(*json) {}

  void Write(const Report& report) {
    json_.BeginObject();
    json_.Field("$schema", kSarifSchemaUri);
    json_.Field("version", "2.1.0");
    json_.Key("runs");
    json_.BeginArray();
    json_.BeginObject();
    WriteTool();
    json_.Key("results");
    json_.BeginArray();
    for (const Finding& finding : report.findings) WriteResult(finding);
    json_.EndArray();
    json_.Key("properties");
    json_.BeginObject();
    json_.Field("test", report.test_name);
    json_.Field("suppressed", report.suppressed);
    json_.Field("lockOrderCyclesTruncated", report.lock_order_cycles_truncated);
    json_.EndObject();
    json_.EndObject();
    json_.EndArray();
    json_.EndObject();
    json_.Finish();
  }

 private:
  struct Related {
    int id;
    SiteId site;
    std::string message;
  };

  void WriteTool() {
    json_.Key("tool");
    json_.BeginObject();
    json_.Key("driver");
    json_.BeginObject();
    json_.Field("name", "harness");
    json_.Key("rules");
    json_.BeginArray();
    for (const Rule& rule : kRules) {
      json_.BeginObject();
      json_.Field("id", FindingKindId(rule.kind));
      json_.Field("name", rule.name);
      json_.Key("shortDescription");
      Message(rule.short_description);
      json_.Key("fullDescription");
      Message(rule.full_description);
      json_.Key("defaultConfiguration");
      json_.BeginObject();
      json_.Field("level", rule.level);
      json_.EndObject();
      json_.EndObject();
    }
    json_.EndArray();
    json_.EndObject();
    json_.EndObject();
  }

  void Message(absl::string_view text) {
    json_.BeginObject();
    json_.Field("text", text);
    json_.EndObject();
  }

  // A location object for a site: its first user frame that has a file.
  void Location(SiteId site, std::optional<int> id, absl::string_view message) {
    const Frame* frame = frames_.TopWithFile(site);
    if (frame == nullptr) frame = frames_.Top(site);
    json_.BeginObject();
    if (id.has_value()) json_.Field("id", *id);
    if (frame != nullptr && !frame->file.empty()) {
      json_.Key("physicalLocation");
      json_.BeginObject();
      json_.Key("artifactLocation");
      json_.BeginObject();
      json_.Field("uri", SarifUri(frame->file));
      if (frame->file[0] != '/') json_.Field("uriBaseId", "%SRCROOT%");
      json_.EndObject();
      if (frame->line > 0) {
        json_.Key("region");
        json_.BeginObject();
        json_.Field("startLine", frame->line);
        if (frame->column > 0) json_.Field("startColumn", frame->column);
        json_.EndObject();
      }
      json_.EndObject();
    }
    if (frame != nullptr && !frame->function.empty()) {
      json_.Key("logicalLocations");
      json_.BeginArray();
      json_.BeginObject();
      json_.Field("fullyQualifiedName", frame->function);
      json_.Field("kind", "function");
      json_.EndObject();
      json_.EndArray();
    }
    if (!message.empty()) {
      json_.Key("message");
      Message(message);
    }
    json_.EndObject();
  }

  std::string Object(ObjectId o) const { return SarifEscape(trace_.ObjectLabel(o)); }
  std::string Thread(ThreadId t) const { return SarifEscape(trace_.ThreadLabel(t)); }
  std::string KindAndObject(ObjectId o) const {
    return SarifEscape(report_internal::KindAndObject(trace_, o));
  }
  std::string Mutexes(const std::vector<HeldLock>& held) const {
    return SarifEscape(MutexList(trace_, held));
  }

  // "[text](id)", adding the related location with `message` (`text` when empty).
  std::string Link(absl::string_view text, SiteId site, std::vector<Related>* related,
                   absl::string_view message = "") {
    int id = static_cast<int>(related->size()) + 1;
    related->push_back({id, site, std::string(message.empty() ? text : message)});
    return absl::StrCat("[", text, "](", id, ")");
  }

  std::string Access(const MemoryAccess& access) const {
    std::string text = absl::StrCat(access.is_atomic ? "atomic " : "",
                                    access.is_write ? "write" : "read", " of size ", access.size);
    if (access.object != kNoObject) {
      absl::StrAppend(&text, access.is_write ? " to " : " from ", Object(access.object));
    } else {
      absl::StrAppendFormat(&text, " at 0x%x", access.address);
    }
    return text;
  }

  void WriteResult(const Finding& finding) {
    std::vector<Related> related;
    SiteId primary = kNoSite;
    // "Data race: ...", "Unlock of an unlocked mutex: ...", and for cycles the rule's
    // "Lock-order inversion (potential deadlock): ...".
    std::string text = absl::StrCat(
        finding.kind() == FindingKind::kLockOrderCycle
            ? std::string(kRules[static_cast<int>(FindingKind::kLockOrderCycle)].short_description)
            : Capitalize(SarifEscape(FindingTitle(finding))),
        ": ");
    std::visit(
        [&](const auto& details) {
          using T = std::decay_t<decltype(details)>;
          if constexpr (std::is_same_v<T, DataRace>) {
            primary = details.current.site;
            std::string previous = Link(absl::StrCat("the previous ", Access(details.previous)),
                                        details.previous.site, &related);
            absl::StrAppend(&text, Access(details.current), " by thread ",
                            Thread(details.current.thread), " (mutexes: ",
                            Mutexes(details.current.held), ") races with ", previous,
                            " by thread ", Thread(details.previous.thread), " (mutexes: ",
                            Mutexes(details.previous.held), ").");
          } else if constexpr (std::is_same_v<T, LockOrderCycle>) {
            if (!details.edges.empty()) primary = details.edges[0].to_site;
            text += "cycle ";
            for (const LockOrderEdge& edge : details.edges) {
              absl::StrAppend(&text, Object(edge.from), " => ");
            }
            if (!details.edges.empty()) text += Object(details.edges[0].from);
            text += ".";
            for (const LockOrderEdge& edge : details.edges) {
              // Links numbered in text order: take them one statement at a time.
              std::string acquired =
                  Link(absl::StrCat("acquired ", Object(edge.to)), edge.to_site, &related);
              std::string here =
                  Link("here", edge.from_site, &related,
                       absl::StrCat(Object(edge.from), " acquired by thread ", Thread(edge.thread)));
              absl::StrAppend(&text, " Thread ", Thread(edge.thread), " ", acquired,
                              " while holding ", Object(edge.from), " (acquired ", here, ").");
            }
          } else if constexpr (std::is_same_v<T, Misuse>) {
            primary = details.site;
            absl::StrAppend(&text, KindAndObject(details.object), " by thread ",
                            Thread(details.thread), ".");
            if (details.other_thread != kNoThread || details.other_site != kNoSite) {
              std::string here = Link(
                  "here", details.other_site, &related,
                  details.kind == MisuseKind::kDestroyedWhileWaitedOn
                      ? absl::StrCat("thread ", Thread(details.other_thread), " waits on ",
                                     Object(details.object))
                      : absl::StrCat(Object(details.object), " acquired by thread ",
                                     Thread(details.other_thread)));
              if (details.kind == MisuseKind::kDestroyedWhileWaitedOn) {
                absl::StrAppend(&text, " Thread ", Thread(details.other_thread),
                                " waits on it ", here, ".");
              } else if (details.other_thread == details.thread) {
                absl::StrAppend(&text, " The same thread acquired it ", here, ".");
              } else if (details.other_thread != kNoThread) {
                absl::StrAppend(&text, " Thread ", Thread(details.other_thread),
                                " holds it, acquired ", here, ".");
              } else {
                absl::StrAppend(&text, " It was acquired ", here, ".");
              }
            }
          } else {
            if (!details.threads.empty()) primary = details.threads[0].site;
            if (details.lost_wakeup) {
              text += "every live thread is blocked and none is left to wake the others.";
            } else {
              text += "threads wait for each other.";
            }
            for (const BlockedThread& blocked : details.threads) {
              std::string blocks = Link(
                  absl::StrCat("blocks on ", KindAndObject(blocked.waits_for)), blocked.site,
                  &related);
              absl::StrAppend(&text, " Thread ", Thread(blocked.thread), " (mutexes: ",
                              Mutexes(blocked.held), ") ", blocks);
              const report_internal::HolderRole role =
                  report_internal::HolderRoleOf(trace_, blocked.waits_for);
              if (blocked.holder != kNoThread &&
                  role == report_internal::HolderRole::kRunsOnceCallable) {
                absl::StrAppend(&text, ", whose callable is running on thread ",
                                Thread(blocked.holder));
              } else if (blocked.holder != kNoThread &&
                         role == report_internal::HolderRole::kHoldsLock) {
                std::string here = Link("here", blocked.holder_site, &related,
                                        absl::StrCat(Object(blocked.waits_for),
                                                     " acquired by thread ",
                                                     Thread(blocked.holder)));
                absl::StrAppend(&text, ", held by thread ", Thread(blocked.holder),
                                " (acquired ", here, ")");
              }
              text += ".";
            }
          }
        },
        finding.details);

    const Rule& rule = kRules[static_cast<int>(finding.kind())];
    json_.BeginObject();
    json_.Field("ruleId", FindingKindId(finding.kind()));
    json_.Field("ruleIndex", static_cast<int>(finding.kind()));
    json_.Field("level", rule.level);
    json_.Key("message");
    Message(text);
    json_.Key("locations");
    json_.BeginArray();
    if (primary != kNoSite) Location(primary, std::nullopt, "");
    json_.EndArray();
    if (!related.empty()) {
      json_.Key("relatedLocations");
      json_.BeginArray();
      for (const Related& r : related) Location(r.site, r.id, r.message);
      json_.EndArray();
    }
    json_.Field("occurrenceCount", finding.count);
    json_.EndObject();
  }

  const Trace& trace_;
  SiteFrameCache& frames_;
  JsonWriter& json_;
};

}  // namespace

void SarifPrinter::Print(const Trace& trace, const Report& report, std::string* out) {
  SiteFrameCache frames(trace, options_.symbolizer);
  frames.Prefetch(report_internal::CollectReferences(trace, report).sites);
  JsonWriter json(out);
  SarifWriter(trace, &frames, &json).Write(report);
}

}  // namespace harness
