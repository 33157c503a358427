// harness/trace/trace.cc: Trace building, validation and readable rendering.
#include "harness/trace/trace.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace harness {

absl::string_view ObjectKindName(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::kMutex: return "mutex";
    case ObjectKind::kRecursiveMutex: return "recursive mutex";
    case ObjectKind::kTimedMutex: return "timed mutex";
    case ObjectKind::kSharedMutex: return "shared mutex";
    case ObjectKind::kConditionVariable: return "condition variable";
    case ObjectKind::kThread: return "thread";
    case ObjectKind::kAtomic: return "atomic";
    case ObjectKind::kSharedVariable: return "shared variable";
    case ObjectKind::kPromise: return "promise";
    case ObjectKind::kLatch: return "latch";
    case ObjectKind::kBarrier: return "barrier";
    case ObjectKind::kSemaphore: return "semaphore";
    case ObjectKind::kOnceFlag: return "once flag";
    case ObjectKind::kMemory: return "memory";
  }
  return "unknown";
}

ThreadId Trace::AddThread(ThreadInfo info) {
  threads_.push_back(std::move(info));
  return static_cast<ThreadId>(threads_.size() - 1);
}

ObjectId Trace::AddObject(ObjectInfo info) {
  objects_.push_back(std::move(info));
  return static_cast<ObjectId>(objects_.size() - 1);
}

SiteId Trace::AddSite(SiteInfo info) {
  sites_.push_back(std::move(info));
  return static_cast<SiteId>(sites_.size() - 1);
}

absl::Status Trace::Validate() const {
  auto site_ok = [&](SiteId site) { return site == kNoSite || site < sites_.size(); };
  auto thread_ok = [&](ThreadId t) { return t == kNoThread || t < threads_.size(); };
  for (size_t i = 0; i < threads_.size(); ++i) {
    const ThreadInfo& t = threads_[i];
    if (!thread_ok(t.parent) || !site_ok(t.creation_site) ||
        (t.object != kNoObject && t.object >= objects_.size())) {
      return absl::InvalidArgumentError(
          absl::StrFormat("thread %d refers to a missing parent, site or object", i));
    }
  }
  for (size_t i = 0; i < objects_.size(); ++i) {
    const ObjectInfo& o = objects_[i];
    if (static_cast<int>(o.kind) >= kObjectKindCount || !site_ok(o.creation_site) ||
        !thread_ok(o.creator)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "object %d has an unknown kind or refers to a missing site or thread", i));
    }
  }
  for (size_t i = 0; i < events_.size(); ++i) {
    const Event& e = events_[i];
    if (static_cast<int>(e.kind) >= kEventKindCount) {
      return absl::InvalidArgumentError(
          absl::StrFormat("event %d has unknown kind %d", i, static_cast<int>(e.kind)));
    }
    if (e.thread >= threads_.size()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("event %d refers to missing thread %d", i, e.thread));
    }
    if (!site_ok(e.site)) {
      return absl::InvalidArgumentError(
          absl::StrFormat("event %d refers to missing site %d", i, e.site));
    }
    if (!IsMemoryAccess(e.kind) && e.object() >= objects_.size()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("event %d refers to missing object %d", i, e.object()));
    }
    if (e.kind == EventKind::kDestroyedWhileWaitedOn && e.sequence() != kNoThread &&
        e.sequence() >= threads_.size()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("event %d names missing waiting thread %d", i, e.sequence()));
    }
  }
  return absl::OkStatus();
}

std::string Trace::ObjectLabel(ObjectId object) const {
  if (object >= objects_.size()) return absl::StrCat("M?", object);
  const ObjectInfo& info = objects_[object];
  if (names_are_labels_ && !info.name.empty()) return info.name;
  std::string label = absl::StrCat("M", object);
  if (!info.name.empty()) absl::StrAppend(&label, " '", info.name, "'");
  return label;
}

std::string Trace::ThreadLabel(ThreadId thread) const {
  if (names_are_labels_ && thread < threads_.size() && !threads_[thread].name.empty()) {
    return threads_[thread].name;
  }
  std::string label = absl::StrCat("T", thread);
  if (thread < threads_.size() && !threads_[thread].name.empty()) {
    absl::StrAppend(&label, " '", threads_[thread].name, "'");
  }
  return label;
}

std::string Trace::Describe(const Event& event) const {
  std::string text = absl::StrCat(ThreadLabel(event.thread), " ", EventKindName(event.kind));
  if (IsMemoryAccess(event.kind)) {
    absl::StrAppendFormat(&text, " %d bytes at 0x%x", event.access_size(), event.address());
  } else {
    absl::StrAppend(&text, " ", ObjectLabel(event.object()));
    if (OrderingRoleOf(event.kind) != OrderingRole::kUnordered) {
      absl::StrAppend(&text, " #", event.sequence());
    }
  }
  if (event.site < sites_.size()) {
    const SiteInfo& site = sites_[event.site];
    absl::string_view file = site.file;
    if (size_t slash = file.rfind('/'); slash != absl::string_view::npos) {
      file = file.substr(slash + 1);
    }
    absl::StrAppend(&text, " at ", file, ":", site.line);
  }
  return text;
}

}  // namespace harness
