// tests/testing/trace_testing.cc
#include "tests/testing/trace_testing.h"

#include "absl/strings/str_cat.h"
#include "harness/runtime/recorder.h"

namespace harness::trace_testing {
namespace {

bool Contains(const ObjectInfo& info, uint64_t address) {
  return info.size > 0 && address >= info.address && address < info.address + info.size;
}

void AppendTail(std::string& text, const Event& event, uint64_t base) {
  if (IsMemoryAccess(event.kind)) {
    absl::StrAppend(&text, " size=", event.access_size());
    if (event.address() != base) absl::StrAppend(&text, " offset=", event.address() - base);
    return;
  }
  if (OrderingRoleOf(event.kind) != OrderingRole::kUnordered) {
    absl::StrAppend(&text, " #", event.sequence());
  }
  if (event.detail != 0) absl::StrAppend(&text, " detail=", event.detail);
}

}  // namespace

void StartTestRecording() {
  runtime::CurrentThreadNumber();
  runtime::StartRecording();
}

ObjectId FindObject(const Trace& trace, absl::string_view name) {
  ObjectId found = kNoObject;
  for (ObjectId id = 0; id < trace.objects().size(); ++id) {
    if (trace.objects()[id].name != name) continue;
    if (found != kNoObject) return kNoObject;
    found = id;
  }
  return found;
}

ObjectId FindObjectAt(const Trace& trace, const void* address) {
  ObjectId found = kNoObject;
  for (ObjectId id = 0; id < trace.objects().size(); ++id) {
    if (trace.objects()[id].address == reinterpret_cast<uint64_t>(address)) found = id;
  }
  return found;
}

ThreadId FindThread(const Trace& trace, absl::string_view name) {
  ThreadId found = kNoThread;
  for (size_t t = 0; t < trace.threads().size(); ++t) {
    if (trace.threads()[t].name != name) continue;
    if (found != kNoThread) return kNoThread;
    found = static_cast<ThreadId>(t);
  }
  return found;
}

std::vector<Event> EventsOn(const Trace& trace, ObjectId object) {
  std::vector<Event> events;
  if (object >= trace.objects().size()) return events;
  const ObjectInfo& info = trace.objects()[object];
  for (const Event& e : trace.events()) {
    if (IsMemoryAccess(e.kind) ? Contains(info, e.address()) : e.object() == object) {
      events.push_back(e);
    }
  }
  return events;
}

std::vector<Event> EventsOf(const Trace& trace, ThreadId thread) {
  std::vector<Event> events;
  for (const Event& e : trace.events()) {
    if (e.thread == thread) events.push_back(e);
  }
  return events;
}

std::string Brief(const Event& event, uint64_t base) {
  std::string text = absl::StrCat("T", event.thread, " ", EventKindName(event.kind));
  AppendTail(text, event, base);
  return text;
}

std::vector<std::string> BriefEvents(const Trace& trace, ObjectId object) {
  std::vector<std::string> lines;
  if (object >= trace.objects().size()) return {"<no such object>"};
  for (const Event& e : EventsOn(trace, object)) {
    lines.push_back(Brief(e, trace.objects()[object].address));
  }
  return lines;
}

std::vector<std::string> ThreadEvents(const Trace& trace, ThreadId thread) {
  std::vector<std::string> lines;
  for (const Event& e : EventsOf(trace, thread)) {
    std::string text(EventKindName(e.kind));
    ObjectId object = kNoObject;
    if (IsMemoryAccess(e.kind)) {
      for (ObjectId id = 0; id < trace.objects().size(); ++id) {
        if (Contains(trace.objects()[id], e.address())) object = id;
      }
    } else {
      object = e.object();
    }
    uint64_t base = e.address();
    if (object < trace.objects().size()) {
      const ObjectInfo& info = trace.objects()[object];
      if (!info.name.empty()) absl::StrAppend(&text, " '", info.name, "'");
      base = info.address;
    }
    AppendTail(text, e, base);
    lines.push_back(std::move(text));
  }
  return lines;
}

const SiteInfo& SiteOf(const Trace& trace, SiteId site) {
  static const SiteInfo* const kNone = new SiteInfo;
  return site < trace.sites().size() ? trace.sites()[site] : *kNone;
}

int IndexOf(const Trace& trace, ThreadId thread, EventKind kind, ObjectId object,
            uint64_t sequence) {
  for (size_t i = 0; i < trace.events().size(); ++i) {
    const Event& e = trace.events()[i];
    if (e.thread == thread && e.kind == kind && e.object() == object &&
        (sequence == kAnySequence || e.sequence() == sequence)) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

}  // namespace harness::trace_testing
