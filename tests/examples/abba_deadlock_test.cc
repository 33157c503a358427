// The exact finding of //examples/abba_deadlock:buggy, which really deadlocks: run as a
// child process (the watchdog ends the process it runs in), it must end within 5 s of
// wall time with exit status 66 and a deadlock report naming both threads, each
// blocked at "take-second" on the account the other took at "take-first", and leave
// the report's machine-readable copies in the undeclared outputs.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/examples/example_sites.h"
#include "tests/testing/child_process.h"

namespace harness::examples_test {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;

const char kHeader[] = "examples/abba_deadlock/abba_deadlock.h";
const char kTestName[] = "AbbaDeadlockBuggy.TransfersInOppositeDirectionsDeadlock";

using testing_child::ChildRun;
using testing_child::RunChild;

TEST(AbbaDeadlockExample, BuggyEndsWithinFiveSecondsWithTheDeadlock) {
  const std::filesystem::path outputs =
      std::filesystem::path(std::getenv("TEST_TMPDIR")) / "abba_outputs";
  std::filesystem::create_directories(outputs);
  ChildRun run = RunChild("env TEST_UNDECLARED_OUTPUTS_DIR=" + outputs.string() +
                     " HARNESS_OPTIONS= examples/abba_deadlock/buggy");
  SCOPED_TRACE(run.output);
  EXPECT_EQ(run.exit_status, 66);
  EXPECT_LT(run.seconds, 5.0);
  EXPECT_THAT(run.output, HasSubstr(absl::StrCat("WARNING: harness: deadlock (test ", kTestName,
                                                 ")")));
  EXPECT_THAT(run.output, HasSubstr(absl::StrCat("[  FAILED  ] ", kTestName)));

  // Each blocked thread: the lock it waits for, where, and who holds it, where taken.
  const std::string take_first = SiteOf(kHeader, "take-first");
  const std::string take_second = SiteOf(kHeader, "take-second");
  std::vector<std::string> lines = absl::StrSplit(run.output, '\n');
  int blocked = 0;
  int held = 0;
  std::vector<std::string> blocked_lines;
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    if (lines[i].find(" blocks on mutex ") != std::string::npos) {
      ++blocked;
      blocked_lines.push_back(lines[i]);
      EXPECT_THAT(lines[i + 1], EndsWith(take_second));
    }
    if (lines[i].find(" is held by thread ") != std::string::npos) {
      ++held;
      EXPECT_THAT(lines[i + 1], EndsWith(take_first));
    }
  }
  EXPECT_EQ(blocked, 2);
  EXPECT_EQ(held, 2);
  EXPECT_THAT(blocked_lines,
              ::testing::UnorderedElementsAre(
                  ::testing::MatchesRegex(".*Thread T[0-9] 'transfer-a-to-b' \\(mutexes: write "
                                          "M[0-9] 'account-a'\\) blocks on mutex M[0-9] "
                                          "'account-b' here:"),
                  ::testing::MatchesRegex(".*Thread T[0-9] 'transfer-b-to-a' \\(mutexes: write "
                                          "M[0-9] 'account-b'\\) blocks on mutex M[0-9] "
                                          "'account-a' here:")));
  EXPECT_THAT(run.output, ::testing::ContainsRegex("Cycle in wait-for graph: T[0-9] "
                                                   "'transfer-[ab]-to-[ab]' => T[0-9] "
                                                   "'transfer-[ab]-to-[ab]' => T[0-9]"));

  // The machine-readable copies and the trace.
  for (const char* extension : {".json", ".sarif", ".txt", ".trace"}) {
    EXPECT_TRUE(std::filesystem::exists(outputs / absl::StrCat(kTestName, ".harness", extension)))
        << extension;
  }
  std::ifstream json(outputs / absl::StrCat(kTestName, ".harness.json"));
  std::stringstream contents;
  contents << json.rdbuf();
  EXPECT_THAT(contents.str(), HasSubstr("\"deadlock\""));
}

}  // namespace
}  // namespace harness::examples_test
