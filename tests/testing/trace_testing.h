// tests/testing/trace_testing.h: helpers for tests that check what the harness recorded.
// Traces number objects densely (not with the wrappers' global object_id()), so tests
// find objects by their (unique) name or address, and compare short renderings:
//
//   EXPECT_THAT(BriefEvents(trace, FindObject(trace, "mu")),
//               ElementsAre("T0 object_create", "T0 lock #1", "T1 lock #3 detail=1"));
#ifndef TESTS_TESTING_TRACE_TESTING_H_
#define TESTS_TESTING_TRACE_TESTING_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "harness/trace/trace.h"

namespace harness::trace_testing {

// StartTestRecording()
// Registers the calling thread (so its kThreadStart is not part of the recording, however
// the tests are ordered or filtered), then harness::StartRecording().
void StartTestRecording();

// The object named `name`, or kNoObject when no object, or more than one, has that name.
ObjectId FindObject(const Trace& trace, absl::string_view name);
// The newest object whose recorded address is `address`, or kNoObject.
ObjectId FindObjectAt(const Trace& trace, const void* address);
// The thread named `name`, or kNoThread when none or several have that name.
ThreadId FindThread(const Trace& trace, absl::string_view name);

// Events on `object`, in merged order: sync events naming it, and memory accesses that
// start inside [address, address + size) of the object.
std::vector<Event> EventsOn(const Trace& trace, ObjectId object);
// Events of `thread`, in merged (= program) order.
std::vector<Event> EventsOf(const Trace& trace, ThreadId thread);

// "T1 unlock #2 detail=2": thread, kind, "#sequence" for ordered kinds, "detail=N" when
// not zero; memory accesses render as "T0 write size=4" (" offset=N" when the access
// does not start at `base`).
std::string Brief(const Event& event, uint64_t base = 0);
std::vector<std::string> BriefEvents(const Trace& trace, ObjectId object);

// One thread's events without the thread: "lock 'mu' #3 detail=1", "write 'x' size=4".
// Objects are named by their name (nothing for an unnamed one); accesses by the
// shared variable they fall in, if any.
std::vector<std::string> ThreadEvents(const Trace& trace, ThreadId thread);

// The site an event or object was recorded at (a static empty site for kNoSite).
const SiteInfo& SiteOf(const Trace& trace, SiteId site);

// Index in trace.events() of the first event matching thread, kind and object (and
// sequence, unless kAnySequence); -1 if none. For "A comes before B" assertions.
inline constexpr uint64_t kAnySequence = ~uint64_t{0};
int IndexOf(const Trace& trace, ThreadId thread, EventKind kind, ObjectId object,
            uint64_t sequence = kAnySequence);

}  // namespace harness::trace_testing

#endif  // TESTS_TESTING_TRACE_TESTING_H_
