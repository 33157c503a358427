// harness/trace/merge.h: merging per-thread event streams into one trace order, using
// only the per-object sequence numbers the primitives recorded (no global clock).
#ifndef HARNESS_TRACE_MERGE_H_
#define HARNESS_TRACE_MERGE_H_

#include <cstdint>
#include <vector>

#include "harness/trace/event.h"

namespace harness {

struct MergeResult {
  std::vector<Event> events;
  // Sync operations the merge had to assume happened outside the streams (for example
  // before the recording started). Zero for a complete recording.
  uint64_t ordering_gaps = 0;
};

// MergeThreadStreams()
// streams[t] holds thread t's events in program order, their object ids already dense
// (< object_count). Returns all events, each with `thread` set to its stream index, in an
// order that keeps program order, puts each object's producers in sequence order, and
// puts every observer after the producer whose sequence it observed. Runs in time linear
// in the number of events (times log of the waiting threads). Never fails: a missing
// producer (a gap) is stepped over and counted.
MergeResult MergeThreadStreams(std::vector<std::vector<Event>> streams, size_t object_count);

}  // namespace harness

#endif  // HARNESS_TRACE_MERGE_H_
