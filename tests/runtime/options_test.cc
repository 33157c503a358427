// Tests of ParseOptions / DescribeOptions / GetOptions (HARNESS_OPTIONS).
#include "harness/runtime/options.h"

#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace harness {
namespace {

using ::testing::HasSubstr;

TEST(OptionsTest, EmptyTextGivesDefaults) {
  for (const char* text : {"", "   ", " , : "}) {
    absl::StatusOr<Options> options = ParseOptions(text);
    ASSERT_TRUE(options.ok()) << text << ": " << options.status();
    EXPECT_EQ(options->stack_depth, Options{}.stack_depth);
    EXPECT_EQ(options->trace_file, Options{}.trace_file);
  }
}

TEST(OptionsTest, GoodValues) {
  absl::StatusOr<Options> options = ParseOptions("stack_depth=16 trace_file=/tmp/run.trace");
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->stack_depth, 16);
  EXPECT_EQ(options->trace_file, "/tmp/run.trace");
}

TEST(OptionsTest, RangeBoundsAreAccepted) {
  absl::StatusOr<Options> low = ParseOptions("stack_depth=0");
  ASSERT_TRUE(low.ok()) << low.status();
  EXPECT_EQ(low->stack_depth, 0);
  absl::StatusOr<Options> high = ParseOptions("stack_depth=64");
  ASSERT_TRUE(high.ok()) << high.status();
  EXPECT_EQ(high->stack_depth, 64);
}

TEST(OptionsTest, SeparatorsSpaceColonComma) {
  for (const char* text :
       {"stack_depth=3 trace_file=out", "stack_depth=3:trace_file=out",
        "stack_depth=3,trace_file=out", "  stack_depth=3 ,: trace_file=out  ",
        "stack_depth=3\ttrace_file=out\n"}) {
    absl::StatusOr<Options> options = ParseOptions(text);
    ASSERT_TRUE(options.ok()) << text << ": " << options.status();
    EXPECT_EQ(options->stack_depth, 3) << text;
    EXPECT_EQ(options->trace_file, "out") << text;
  }
}

TEST(OptionsTest, LaterValueWinsAndEmptyStringIsAllowed) {
  absl::StatusOr<Options> options = ParseOptions("stack_depth=2 stack_depth=5 trace_file=x trace_file=");
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->stack_depth, 5);
  EXPECT_EQ(options->trace_file, "");
}

TEST(OptionsTest, UnknownOptionIsNamedAndKnownOnesListed) {
  absl::StatusOr<Options> options = ParseOptions("stack_depth=1 no_such_option=3");
  ASSERT_FALSE(options.ok());
  EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(options.status().message(), HasSubstr("no_such_option"));
  for (const OptionHelp& option : DescribeOptions()) {
    EXPECT_THAT(options.status().message(), HasSubstr(option.name));
  }
}

TEST(OptionsTest, BadValuesAreRejected) {
  for (const char* text : {"stack_depth=abc", "stack_depth=", "stack_depth=1.5",
                           "stack_depth=65", "stack_depth=-1", "stack_depth=99999999999"}) {
    absl::StatusOr<Options> options = ParseOptions(text);
    ASSERT_FALSE(options.ok()) << text;
    EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(options.status().message(), HasSubstr("stack_depth")) << text;
    EXPECT_THAT(options.status().message(), HasSubstr("0 to 64")) << text;
  }
}

TEST(OptionsTest, MissingEqualsIsRejected) {
  absl::StatusOr<Options> options = ParseOptions("stack_depth");
  ASSERT_FALSE(options.ok());
  EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(options.status().message(), HasSubstr("stack_depth"));
  EXPECT_THAT(options.status().message(), HasSubstr("name=value"));
}

TEST(OptionsTest, DescribedDefaultsEqualOptionsInitializers) {
  std::vector<OptionHelp> described = DescribeOptions();
  ASSERT_EQ(described.size(), 11u);
  EXPECT_EQ(described[0].name, "stack_depth");
  EXPECT_EQ(described[1].name, "trace_file");
  EXPECT_EQ(described[8].name, "analyses");
  std::set<std::string> names;
  std::string all_defaults;
  for (const OptionHelp& option : described) {
    EXPECT_TRUE(names.insert(option.name).second) << "duplicate " << option.name;
    EXPECT_FALSE(option.help.empty()) << option.name;
    all_defaults += option.name + "=" + option.default_value + " ";
  }
  // Setting every option to its described default gives Options{}.
  absl::StatusOr<Options> parsed = ParseOptions(all_defaults);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, Options{});
}

TEST(OptionsTest, BooleansAndAnalyses) {
  absl::StatusOr<Options> parsed =
      ParseOptions("fail_on_findings=0 halt_on_error=true lock_classes=1 analyses=races+misuse");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_FALSE(parsed->fail_on_findings);
  EXPECT_TRUE(parsed->halt_on_error);
  EXPECT_TRUE(parsed->lock_classes);
  EXPECT_TRUE(parsed->races);
  EXPECT_FALSE(parsed->lock_order);
  EXPECT_TRUE(parsed->misuse);

  absl::StatusOr<Options> bad_bool = ParseOptions("halt_on_error=yes");
  ASSERT_FALSE(bad_bool.ok());
  EXPECT_EQ(bad_bool.status().message(), "option halt_on_error=yes: expected 0, 1, true or false");
  absl::StatusOr<Options> bad_analysis = ParseOptions("analyses=races+speed");
  ASSERT_FALSE(bad_analysis.ok());
  EXPECT_EQ(bad_analysis.status().message(),
            "option analyses=races+speed: unknown analysis 'speed' (known: races, lock_order, "
            "misuse)");
}

TEST(OptionsDeathTest, BadEnvironmentExitsWithStatus2) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        setenv("HARNESS_OPTIONS", "bogus=1", 1);
        GetOptions();
      },
      ::testing::ExitedWithCode(2), "unknown option 'bogus'.*\n.*options:");
}

TEST(OptionsDeathTest, GoodEnvironmentIsParsedOnce) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        setenv("HARNESS_OPTIONS", "stack_depth=7", 1);
        int first = GetOptions().stack_depth;
        setenv("HARNESS_OPTIONS", "stack_depth=9", 1);
        std::exit(first == 7 && GetOptions().stack_depth == 7 ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace harness
