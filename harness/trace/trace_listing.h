// harness/trace/trace_listing.h: a readable listing of a whole trace (threads, objects,
// events), for demos, debugging and tools.
#ifndef HARNESS_TRACE_TRACE_LISTING_H_
#define HARNESS_TRACE_TRACE_LISTING_H_

#include <cstddef>
#include <string>

#include "harness/trace/trace.h"

namespace harness {

// TraceListing()
// The threads (with parents and creation sites), the objects (kind, name, creation
// site) and the first `max_events` events, one per line, followed by a count of events
// per kind. A trace with more events says how many were left out.
std::string TraceListing(const Trace& trace, size_t max_events);

}  // namespace harness

#endif  // HARNESS_TRACE_TRACE_LISTING_H_
