// harness/runtime/recorded_object.h: the one member every instrumented primitive holds:
// its registration (id, kind, name, creation site) and the call that records an event.
#ifndef HARNESS_RUNTIME_RECORDED_OBJECT_H_
#define HARNESS_RUNTIME_RECORDED_OBJECT_H_

#include <cstddef>
#include <source_location>
#include <string_view>

#include "harness/runtime/call_site.h"
#include "harness/runtime/recorder.h"

namespace harness::runtime {

class RecordedObject {
 public:
  // Registers the object and records kObjectCreate at `location`.
  RecordedObject(ObjectKind kind, std::string_view name, const void* address, size_t size,
                 const std::source_location& location)
      : site_(CallSiteId(location)),
        id_(RegisterObject(kind, absl::string_view(name.data(), name.size()), address, size,
                           site_)) {}
  // Records kObjectDestroy (at the creation site: a destructor has no caller location).
  ~RecordedObject() { UnregisterObject(id_, site_); }

  RecordedObject(const RecordedObject&) = delete;
  RecordedObject& operator=(const RecordedObject&) = delete;

  ObjectId id() const { return id_; }
  SiteId creation_site() const { return site_; }

  // Records one event on this object at the caller's location.
  void Record(EventKind kind, uint8_t detail, uint32_t sequence,
              const std::source_location& location) const {
    Record(kind, detail, sequence, CallSiteId(location));
  }
  void Record(EventKind kind, uint8_t detail, uint32_t sequence, SiteId site) const {
    runtime::Record(Event::Sync(kind, detail, site, id_, sequence));
  }

 private:
  SiteId site_;
  ObjectId id_;
};

}  // namespace harness::runtime

#endif  // HARNESS_RUNTIME_RECORDED_OBJECT_H_
