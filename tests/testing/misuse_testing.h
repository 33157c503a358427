// tests/testing/misuse_testing.h: helpers for tests of misused wrappers: the misuse
// findings of a recorded trace, and waiting until another thread is blocked on an object.
#ifndef TESTS_TESTING_MISUSE_TESTING_H_
#define TESTS_TESTING_MISUSE_TESTING_H_

#include <chrono>
#include <thread>
#include <variant>
#include <vector>

#include "harness/check/misuse_detector.h"
#include "harness/runtime/blocking.h"
#include "harness/trace/trace.h"

namespace harness::trace_testing {

// The misuse analysis's findings of `trace`, in trace order.
inline std::vector<Misuse> Misuses(const Trace& trace) {
  std::vector<Misuse> result;
  for (const Finding& finding : FindMisuse(trace)) {
    result.push_back(std::get<Misuse>(finding.details));
  }
  return result;
}

// Returns once some thread other than the caller is blocked on `object` (a global id:
// the wrapper's object_id()).
inline void AwaitBlockedOn(ObjectId object) {
  while (runtime::ThreadsBlockedOn(object).empty()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

}  // namespace harness::trace_testing

#endif  // TESTS_TESTING_MISUSE_TESTING_H_
