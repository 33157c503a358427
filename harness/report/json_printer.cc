// harness/report/json_printer.cc: the "harness-report" JSON schema, version 1 (see the
// header for the schema).
#include "harness/report/json_printer.h"

#include <string>
#include <variant>
#include <vector>

#include "harness/report/json_writer.h"
#include "harness/report/printer_util.h"

namespace harness {

namespace {

using report_internal::FindingKindId;
using report_internal::FindingTitle;
using report_internal::JsonWriter;
using report_internal::MisuseKindId;
using report_internal::SiteFrameCache;

class JsonReportWriter {
 public:
  JsonReportWriter(const Trace& trace, SiteFrameCache* frames, JsonWriter* json)
      : trace_(trace), frames_(*frames), json_(*json) {}

  // `references`: CollectReferences(trace, report).
  void Write(const Report& report, const report_internal::ReportReferences& references) {
    json_.BeginObject();
    json_.Field("schema", kJsonReportSchema);
    json_.Field("version", kJsonReportVersion);
    json_.Field("test", report.test_name);
    json_.Key("findings");
    json_.BeginArray();
    for (const Finding& finding : report.findings) WriteFinding(finding);
    json_.EndArray();
    json_.Field("suppressed", report.suppressed);
    json_.Field("lock_order_cycles_truncated", report.lock_order_cycles_truncated);
    json_.Key("threads");
    json_.BeginArray();
    for (ThreadId t : references.threads) WriteThread(t);
    json_.EndArray();
    json_.Key("objects");
    json_.BeginArray();
    for (ObjectId o : references.objects) WriteObject(o);
    json_.EndArray();
    json_.Key("sites");
    json_.BeginArray();
    for (SiteId s : references.sites) WriteSite(s);
    json_.EndArray();
    json_.EndObject();
    json_.Finish();
  }

 private:
  // An id member: null for the "no such" id `none`.
  template <typename Id>
  void IdField(absl::string_view key, Id id, Id none) {
    json_.Key(key);
    if (id == none) {
      json_.Null();
    } else {
      json_.Uint(id);
    }
  }
  void Thread(absl::string_view key, ThreadId t) { IdField(key, t, kNoThread); }
  void Object(absl::string_view key, ObjectId o) { IdField(key, o, kNoObject); }
  void Site(absl::string_view key, SiteId s) { IdField(key, s, kNoSite); }

  void Held(absl::string_view key, const std::vector<HeldLock>& held) {
    json_.Key(key);
    json_.BeginArray();
    for (const HeldLock& lock : held) {
      json_.BeginObject();
      Object("mutex", lock.mutex);
      json_.Field("mode", lock.shared ? "read" : "write");
      Site("acquired_at", lock.acquired_at);
      json_.EndObject();
    }
    json_.EndArray();
  }

  void Access(absl::string_view key, const MemoryAccess& access) {
    json_.Key(key);
    json_.BeginObject();
    Thread("thread", access.thread);
    json_.Field("access", access.is_write ? "write" : "read");
    json_.Field("atomic", access.is_atomic);
    json_.Key("address");
    json_.Hex(access.address);
    json_.Field("size", access.size);
    Object("object", access.object);
    Site("site", access.site);
    Held("mutexes", access.held);
    json_.Field("event_index", uint64_t{access.event_index});
    json_.EndObject();
  }

  void WriteFinding(const Finding& finding) {
    json_.BeginObject();
    json_.Field("kind", FindingKindId(finding.kind()));
    json_.Field("title", FindingTitle(finding));
    json_.Field("count", finding.count);
    std::visit(
        [&](const auto& details) {
          using T = std::decay_t<decltype(details)>;
          if constexpr (std::is_same_v<T, DataRace>) {
            Access("current", details.current);
            Access("previous", details.previous);
          } else if constexpr (std::is_same_v<T, LockOrderCycle>) {
            json_.Key("edges");
            json_.BeginArray();
            for (const LockOrderEdge& edge : details.edges) {
              json_.BeginObject();
              Object("from", edge.from);
              Object("to", edge.to);
              Thread("thread", edge.thread);
              Site("from_site", edge.from_site);
              Site("to_site", edge.to_site);
              Held("held", edge.held);
              json_.Field("event_index", uint64_t{edge.event_index});
              json_.EndObject();
            }
            json_.EndArray();
          } else if constexpr (std::is_same_v<T, Misuse>) {
            json_.Field("misuse", MisuseKindId(details.kind));
            Thread("thread", details.thread);
            Object("object", details.object);
            Site("site", details.site);
            Thread("other_thread", details.other_thread);
            Site("other_site", details.other_site);
            json_.Field("event_index", uint64_t{details.event_index});
          } else {
            json_.Field("lost_wakeup", details.lost_wakeup);
            json_.Key("blocked");
            json_.BeginArray();
            for (const BlockedThread& blocked : details.threads) {
              json_.BeginObject();
              Thread("thread", blocked.thread);
              Object("waits_for", blocked.waits_for);
              Site("site", blocked.site);
              Thread("holder", blocked.holder);
              Site("holder_site", blocked.holder_site);
              Held("held", blocked.held);
              json_.EndObject();
            }
            json_.EndArray();
          }
        },
        finding.details);
    json_.EndObject();
  }

  void WriteThread(ThreadId t) {
    const ThreadInfo& info = trace_.threads()[t];
    json_.BeginObject();
    json_.Field("id", uint32_t{t});
    json_.Field("label", trace_.ThreadLabel(t));
    json_.Field("name", info.name);
    Thread("parent", info.parent);
    Site("creation_site", info.creation_site);
    Object("object", info.object);
    json_.EndObject();
  }

  void WriteObject(ObjectId o) {
    const ObjectInfo& info = trace_.objects()[o];
    json_.BeginObject();
    json_.Field("id", o);
    json_.Field("label", trace_.ObjectLabel(o));
    json_.Field("kind", ObjectKindName(info.kind));
    json_.Field("name", info.name);
    json_.Key("address");
    json_.Hex(info.address);
    json_.Field("size", info.size);
    Site("creation_site", info.creation_site);
    Thread("creator", info.creator);
    json_.EndObject();
  }

  void WriteSite(SiteId s) {
    const SiteInfo& info = trace_.sites()[s];
    json_.BeginObject();
    json_.Field("id", s);
    json_.Field("file", info.file);
    json_.Field("line", info.line);
    json_.Field("column", info.column);
    json_.Field("function", info.function);
    json_.Key("stack");
    json_.BeginArray();
    for (uint64_t address : info.stack) json_.Hex(address);
    json_.EndArray();
    json_.Key("frames");
    json_.BeginArray();
    for (const Frame& frame : frames_.Frames(s)) {
      json_.BeginObject();
      if (!frame.function.empty()) json_.Field("function", frame.function);
      if (!frame.file.empty()) json_.Field("file", frame.file);
      if (frame.line != 0) json_.Field("line", frame.line);
      if (frame.column != 0) json_.Field("column", frame.column);
      if (frame.address != 0) {
        json_.Key("address");
        json_.Hex(frame.address);
      }
      if (!frame.module.empty()) {
        json_.Field("module", frame.module);
        json_.Key("module_offset");
        json_.Hex(frame.module_offset);
      }
      json_.EndObject();
    }
    json_.EndArray();
    json_.EndObject();
  }

  const Trace& trace_;
  SiteFrameCache& frames_;
  JsonWriter& json_;
};

}  // namespace

void JsonPrinter::Print(const Trace& trace, const Report& report, std::string* out) {
  const report_internal::ReportReferences references =
      report_internal::CollectReferences(trace, report);
  SiteFrameCache frames(trace, options_.symbolizer);
  frames.Prefetch(references.sites);
  JsonWriter json(out);
  JsonReportWriter(trace, &frames, &json).Write(report, references);
}

}  // namespace harness
