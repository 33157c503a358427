// harness/report/dedup.h: merging findings that are the same.
//
// Two findings are the same when they have the same kind and the same sites and objects,
// whichever threads and iteration produced them:
//
//   data race        the same unordered pair of access sites, on the same object(s)
//   lock-order cycle the same set of (from, to, acquisition site) edges, in any rotation
//   misuse           the same misuse kind, object and site
//   deadlock         the same set of (awaited object, blocking site) pairs, and the same
//                    lost-wakeup flag
//
// Objects are compared by identity across iterations: two objects are the same when
// they have the same kind, name and creation site (an unnamed object without a creation
// site is only itself). A test that runs 1,000 iterations, each with a new
// Shared<long> 'balance', so gets one race with count 1,000.
#ifndef HARNESS_REPORT_DEDUP_H_
#define HARNESS_REPORT_DEDUP_H_

#include <string>

#include "harness/report/finding.h"
#include "harness/trace/trace.h"

namespace harness {

// Deduplicate()
// Merges the same findings into the first of them, in place, adding their counts;
// the findings keep the order of their first occurrence.
void Deduplicate(const Trace& trace, Report* report);

// FindingIdentity()
// The key Deduplicate() compares: equal for the same findings.
std::string FindingIdentity(const Trace& trace, const Finding& finding);

}  // namespace harness

#endif  // HARNESS_REPORT_DEDUP_H_
