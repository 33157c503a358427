// tests/testing/trace_builder.h: builds traces by hand, in merged order, for tests of
// the analyses: sequence numbers per object are assigned as the primitives would.
//
//   TraceBuilder b;
//   ThreadId t1 = b.Thread("t1");
//   ObjectId a = b.Mutex("a");
//   b.Lock(t1, a, 10);   // site line 10 in "test.cc"
#ifndef TESTS_TESTING_TRACE_BUILDER_H_
#define TESTS_TESTING_TRACE_BUILDER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "harness/trace/trace.h"

namespace harness::trace_testing {

class TraceBuilder {
 public:
  // A thread (with its own thread object). `parent` as recorded by harness::Thread.
  ThreadId Thread(std::string name, ThreadId parent = kNoThread) {
    ObjectInfo object;
    object.kind = ObjectKind::kThread;
    object.name = name;
    ObjectId id = trace_.AddObject(object);
    ThreadInfo info;
    info.name = std::move(name);
    info.parent = parent;
    info.object = id;
    return trace_.AddThread(info);
  }
  ObjectId Object(ObjectKind kind, std::string name, uint64_t address = 0, uint64_t size = 0,
                  uint32_t creation_line = 0) {
    ObjectInfo info;
    info.kind = kind;
    info.name = std::move(name);
    info.address = address;
    info.size = size;
    if (creation_line != 0) info.creation_site = Site(creation_line);
    return trace_.AddObject(info);
  }
  ObjectId Mutex(std::string name, uint32_t creation_line = 0) {
    return Object(ObjectKind::kMutex, std::move(name), 0, 0, creation_line);
  }
  // The site at `line` of "test.cc" in function "Test()", made on first use.
  SiteId Site(uint32_t line) {
    auto [it, inserted] = sites_.try_emplace(line, 0);
    if (inserted) {
      SiteInfo site;
      site.file = "test.cc";
      site.function = "Test()";
      site.line = line;
      it->second = trace_.AddSite(site);
    }
    return it->second;
  }

  // A producer event: the object's next sequence number.
  void Produce(ThreadId t, EventKind kind, ObjectId object, uint32_t line, uint8_t detail = 0) {
    Add(t, Event::Sync(kind, detail, Site(line), object, ++sequence_[object]));
  }
  // An observer event, observing the object's current sequence number.
  void Observe(ThreadId t, EventKind kind, ObjectId object, uint32_t line, uint8_t detail = 0) {
    Add(t, Event::Sync(kind, detail, Site(line), object, sequence_[object]));
  }
  void Unordered(ThreadId t, EventKind kind, ObjectId object, uint32_t line, uint8_t detail = 0) {
    Add(t, Event::Sync(kind, detail, Site(line), object, 0));
  }

  void Lock(ThreadId t, ObjectId m, uint32_t line, uint8_t detail = 0) {
    Produce(t, EventKind::kLock, m, line, detail);
  }
  void Unlock(ThreadId t, ObjectId m, uint32_t line, uint8_t detail = 0) {
    Produce(t, EventKind::kUnlock, m, line, detail);
  }
  void LockShared(ThreadId t, ObjectId m, uint32_t line) {
    Produce(t, EventKind::kLockShared, m, line);
  }
  void UnlockShared(ThreadId t, ObjectId m, uint32_t line) {
    Produce(t, EventKind::kUnlockShared, m, line);
  }
  // parent creates child; the child starts.
  void Spawn(ThreadId parent, ThreadId child, uint32_t line) {
    ObjectId object = trace_.threads()[child].object;
    Produce(parent, EventKind::kThreadCreate, object, line);
    Observe(child, EventKind::kThreadStart, object, line);
  }
  // The child ends; parent joins it.
  void Join(ThreadId parent, ThreadId child, uint32_t line) {
    ObjectId object = trace_.threads()[child].object;
    Produce(child, EventKind::kThreadEnd, object, line);
    Observe(parent, EventKind::kThreadJoin, object, line);
  }
  void Access(ThreadId t, EventKind kind, uint64_t address, uint64_t size, uint32_t line) {
    Add(t, Event::Access(kind, Site(line), address, size));
  }

  void Add(ThreadId t, Event event) {
    event.thread = t;
    trace_.AddEvent(event);
  }

  const Trace& trace() const { return trace_; }
  Trace& mutable_trace() { return trace_; }

 private:
  Trace trace_;
  absl::flat_hash_map<uint32_t, SiteId> sites_;
  absl::flat_hash_map<ObjectId, uint32_t> sequence_;
};

}  // namespace harness::trace_testing

#endif  // TESTS_TESTING_TRACE_BUILDER_H_
