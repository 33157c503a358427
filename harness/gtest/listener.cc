// harness/gtest/listener.cc: HarnessListener.
#include "harness/gtest/listener.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "harness/gtest/expect.h"
#include "harness/gtest/finding_matchers.h"
#include "harness/report/printer.h"
#include "harness/runtime/recorder.h"
#include "harness/runtime/watchdog.h"
#include "harness/trace/trace_file.h"

namespace harness {
namespace {

HarnessListener* g_installed = nullptr;

// Test names may hold '/' (parameterized tests): keep file names flat.
std::string OutputStem(const std::string& test_name) {
  return absl::StrReplaceAll(test_name, {{"/", "_"}});
}

void WriteFile(const std::string& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary);
  out << contents;
  if (!out) std::fprintf(stderr, "harness: could not write %s\n", path.c_str());
}

// The machine-readable copies of a failing test's report, and its trace, where Bazel
// collects undeclared test outputs.
void WriteUndeclaredOutputs(const Trace& trace, const Report& report) {
  const char* directory = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR");
  if (directory == nullptr || *directory == '\0') return;
  std::string stem = absl::StrCat(directory, "/", OutputStem(report.test_name), ".harness");
  for (absl::string_view format : KnownReportFormats()) {
    absl::StatusOr<std::unique_ptr<ReportPrinter>> printer = MakePrinter(format);
    if (!printer.ok()) continue;
    std::string contents;
    (*printer)->Print(trace, report, &contents);
    WriteFile(absl::StrCat(stem, (*printer)->file_extension()), contents);
  }
  absl::Status status = WriteTraceFile(trace, stem + ".trace");
  if (!status.ok()) {
    std::fprintf(stderr, "harness: %s\n", std::string(status.message()).c_str());
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<HarnessListener>> HarnessListener::Create(const Options& options) {
  Suppressions suppressions;
  if (!options.suppressions.empty()) {
    absl::StatusOr<Suppressions> loaded = LoadSuppressionsFile(options.suppressions);
    if (!loaded.ok()) return loaded.status();
    suppressions = *std::move(loaded);
  }
  return std::unique_ptr<HarnessListener>(new HarnessListener(options, std::move(suppressions)));
}

HarnessListener::HarnessListener(const Options& options, Suppressions suppressions)
    : options_(options),
      suppressions_(std::move(suppressions)),
      analysis_(AnalysisOptionsFrom(options)) {
  analysis_.suppressions = &suppressions_;
}

void HarnessListener::OnTestStart(const ::testing::TestInfo& /*test*/) {
  ClearExpectationsForCurrentTest();
  runtime::StartRecording();
}

Report HarnessListener::AnalyzeCurrentTest(Trace* trace) const {
  *trace = runtime::CollectTrace();
  return Analyze(*trace, analysis_);
}

void HarnessListener::OnTestEnd(const ::testing::TestInfo& test) {
  Trace trace;
  Report report = AnalyzeCurrentTest(&trace);
  report.test_name = absl::StrCat(test.test_suite_name(), ".", test.name());
  // Findings a finding expectation asked for are what the test wanted.
  std::erase_if(report.findings, [&](const Finding& finding) {
    return IsExpectedInCurrentTest(Summarize(trace, finding));
  });
  ClearExpectationsForCurrentTest();
  if (report.findings.empty()) {
    if (report.suppressed > 0) {
      std::printf("harness: %llu finding(s) suppressed\n",
                  static_cast<unsigned long long>(report.suppressed));
    }
    return;
  }
  WriteUndeclaredOutputs(trace, report);
  absl::StatusOr<std::string> text = PrintReport("text", trace, report);
  std::string message = text.ok() ? *text : std::string(text.status().message());
  if (options_.fail_on_findings) {
    // OnTestEnd runs before GoogleTest's own printer (end events go to listeners in
    // reverse order), so the failure is counted and printed as the test's.
    ADD_FAILURE() << "harness found " << report.findings.size()
                  << " problem(s) in this test:\n" << message;
  } else {
    std::fputs(message.c_str(), stdout);
  }
  if (options_.halt_on_error) {
    std::fflush(stdout);
    std::fflush(stderr);
    std::_Exit(options_.exitcode);
  }
}

void HarnessListener::OnDeadlock(const Trace& trace, const Deadlock& deadlock) const {
  const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
  Report report = DeadlockReport(trace, deadlock, analysis_);
  if (test != nullptr) report.test_name = absl::StrCat(test->test_suite_name(), ".", test->name());
  WriteUndeclaredOutputs(trace, report);
  absl::StatusOr<std::string> text = PrintReport("text", trace, report);
  std::string message = text.ok() ? *text : std::string(text.status().message());
  const std::string name = report.test_name.empty() ? "(outside a test)" : report.test_name;
  std::printf("harness: %s deadlocked: it can never finish, so it fails now with this "
              "report:\n%s[  FAILED  ] %s (deadlock: exiting with status %d)\n",
              name.c_str(), message.c_str(), name.c_str(), options_.exitcode);
  std::fflush(stdout);
  std::fflush(stderr);
  std::_Exit(options_.exitcode);
}

void InstallHarnessListener() {
  if (g_installed != nullptr) return;
  absl::StatusOr<std::unique_ptr<HarnessListener>> listener = HarnessListener::Create(GetOptions());
  if (!listener.ok()) {
    std::fprintf(stderr, "harness: %s\n", std::string(listener.status().message()).c_str());
    std::exit(2);
  }
  g_installed = listener->get();
  SetDeadlockHandler([installed = g_installed](const Trace& trace, const Deadlock& deadlock) {
    installed->OnDeadlock(trace, deadlock);
  });
  ::testing::UnitTest::GetInstance()->listeners().Append(listener->release());
}

HarnessListener* InstalledHarnessListener() { return g_installed; }

}  // namespace harness
