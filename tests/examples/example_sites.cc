// tests/examples/example_sites.cc: SiteOf().
#include "tests/examples/example_sites.h"

#include <cstdlib>
#include <fstream>
#include <vector>

#include "gtest/gtest.h"

namespace harness::examples_test {
namespace {

// `header` in the test's runfiles: the working directory of a Bazel test is the main
// repository's runfiles directory; TEST_SRCDIR/TEST_WORKSPACE names it explicitly.
std::ifstream OpenRunfile(const std::string& header) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  if (srcdir != nullptr && workspace != nullptr) {
    std::ifstream in(std::string(srcdir) + "/" + workspace + "/" + header);
    if (in) return in;
  }
  return std::ifstream(header);
}

}  // namespace

std::string SiteOf(const std::string& header, const std::string& name) {
  const std::string not_found = "<no site " + name + " in " + header + ">";
  std::ifstream in = OpenRunfile(header);
  if (!in) {
    ADD_FAILURE() << "cannot read " << header << " (is it in the test's data?)";
    return not_found;
  }
  const std::string marker = "(site: " + name + ")";
  std::vector<int> lines;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find(marker) != std::string::npos) lines.push_back(number);
  }
  if (lines.size() != 1) {
    ADD_FAILURE() << header << " has " << lines.size() << " lines marked \"" << marker
                  << "\"; expected exactly one";
    return not_found;
  }
  return header + ":" + std::to_string(lines[0]);
}

}  // namespace harness::examples_test
