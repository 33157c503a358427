// tests/report/printer_test.cc: the printer factory.
#include "harness/report/printer.h"

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "tests/report/report_testing.h"

namespace harness {
namespace {

using namespace report_testing;  // NOLINT: fixture names

TEST(PrinterTest, KnownFormats) {
  EXPECT_EQ(KnownReportFormats(),
            (std::vector<absl::string_view>{"text", "json", "sarif", "dot"}));
  const std::pair<absl::string_view, absl::string_view> kFormats[] = {
      {"text", ".txt"}, {"json", ".json"}, {"sarif", ".sarif"}, {"dot", ".dot"}};
  for (const auto& [format, extension] : kFormats) {
    absl::StatusOr<std::unique_ptr<ReportPrinter>> printer = MakePrinter(format);
    ASSERT_TRUE(printer.ok()) << printer.status();
    EXPECT_EQ((*printer)->format(), format);
    EXPECT_EQ((*printer)->file_extension(), extension);
  }
}

TEST(PrinterTest, UnknownFormatNamesTheKnownOnes) {
  absl::StatusOr<std::unique_ptr<ReportPrinter>> printer = MakePrinter("xml");
  ASSERT_FALSE(printer.ok());
  EXPECT_EQ(printer.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(printer.status().message(),
            "unknown report format 'xml' (known formats: text, json, sarif, dot)");
  EXPECT_FALSE(MakePrinter("").ok());
  EXPECT_FALSE(MakePrinter("TEXT").ok());
}

TEST(PrinterTest, PrintReportMatchesThePrinter) {
  FakeSymbolizer fake;
  PrinterOptions options{&fake};
  Trace trace = BankTrace();
  Report report = MakeReport({RaceFinding(), TwoLockCycleFinding()});
  for (absl::string_view format : KnownReportFormats()) {
    absl::StatusOr<std::string> printed = PrintReport(format, trace, report, options);
    ASSERT_TRUE(printed.ok()) << printed.status();
    std::string direct;
    (*MakePrinter(format, options))->Print(trace, report, &direct);
    EXPECT_EQ(*printed, direct) << format;
  }
  EXPECT_FALSE(PrintReport("yaml", trace, report, options).ok());
}

TEST(PrinterTest, PrintAppends) {
  FakeSymbolizer fake;
  std::string out = "before\n";
  (*MakePrinter("dot", PrinterOptions{&fake}))->Print(BankTrace(), Report{}, &out);
  EXPECT_EQ(out, "before\ndigraph lock_order {\n}\n");
}

// A report's stacks are symbolized in one batch first (where the real symbolizer runs
// addr2line once), then each stack-carrying site is looked up once.
TEST(PrinterTest, SymbolizesOneBatchThenEachStackOnce) {
  Report report = MakeReport({ThreeLockCycleFinding(), MisuseFindings()[0], MisuseFindings()[6]});
  for (absl::string_view format : {"text", "json", "sarif"}) {
    FakeSymbolizer counting;
    std::string out;
    (*MakePrinter(format, PrinterOptions{&counting}))->Print(BankTrace(), report, &out);
    // The batch, then the three sites with stacks.
    EXPECT_EQ(counting.calls(), 1 + 3) << format;
  }
}

}  // namespace
}  // namespace harness
