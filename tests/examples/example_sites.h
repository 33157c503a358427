// tests/examples/example_sites.h: where an example's reported accesses and locks are,
// found in the example's header at run time, so the tests below assert exact lines
// without hard-coding them. The examples mark each line a report names with a comment
// "(site: NAME)".
#ifndef TESTS_EXAMPLES_EXAMPLE_SITES_H_
#define TESTS_EXAMPLES_EXAMPLE_SITES_H_

#include <string>

#include "gmock/gmock.h"
#include "harness/gtest/finding_matchers.h"

namespace harness::examples_test {

// SiteOf(header, name)
// "examples/x/x.h:LINE" for the one line of `header` (a path from the workspace root,
// which must be in the test's data) carrying the marker "(site: NAME)". Adds a test
// failure and returns a string no site ends with when the file cannot be read or the
// marker is not on exactly one line.
std::string SiteOf(const std::string& header, const std::string& name);

// HasSiteTimes(site, n): exactly `n` of the finding's sites are `site` (a race between
// two executions of one line names it twice; a cycle names every edge's two sites).
inline ::testing::Matcher<const FindingSummary&> HasSiteTimes(const std::string& site, int n) {
  return ::testing::Field("sites", &FindingSummary::sites,
                          ::testing::Contains(::testing::EndsWith(site)).Times(n));
}

// ObjectsAre(...) / ThreadsAre(...): the finding's objects / threads, in any order.
template <class... Names>
::testing::Matcher<const FindingSummary&> ObjectsAre(Names... names) {
  return ::testing::Field("objects", &FindingSummary::objects,
                          ::testing::UnorderedElementsAre(std::string(names)...));
}
template <class... Names>
::testing::Matcher<const FindingSummary&> ThreadsAre(Names... names) {
  return ::testing::Field("threads", &FindingSummary::threads,
                          ::testing::UnorderedElementsAre(std::string(names)...));
}

// ThreadsMatch(m...): the same, with a matcher per thread (for pool workers, whose
// numbering depends on the run).
template <class... Matchers>
::testing::Matcher<const FindingSummary&> ThreadsMatch(Matchers... matchers) {
  return ::testing::Field("threads", &FindingSummary::threads,
                          ::testing::UnorderedElementsAre(matchers...));
}

}  // namespace harness::examples_test

#endif  // TESTS_EXAMPLES_EXAMPLE_SITES_H_
