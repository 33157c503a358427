// harness/gtest/listener.h: the GoogleTest integration. A listener starts a fresh
// recording when each TEST starts and analyses it when the test ends: any finding fails
// the test, with the full text report in its log, and the JSON, SARIF, DOT reports and
// the binary trace go to Bazel's undeclared test outputs.
#ifndef HARNESS_GTEST_LISTENER_H_
#define HARNESS_GTEST_LISTENER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "harness/check/analyze.h"
#include "harness/report/suppressions.h"
#include "harness/runtime/options.h"

namespace harness {

class HarnessListener : public ::testing::EmptyTestEventListener {
 public:
  // HarnessListener::Create()
  // A listener for `options` (normally GetOptions(), i.e. HARNESS_OPTIONS). Fails with
  // the loader's error when the suppressions file cannot be read or parsed.
  static absl::StatusOr<std::unique_ptr<HarnessListener>> Create(const Options& options);

  void OnTestStart(const ::testing::TestInfo& test) override;
  void OnTestEnd(const ::testing::TestInfo& test) override;

  // Analyses what the current test recorded so far, with this listener's options.
  Report AnalyzeCurrentTest(Trace* trace) const;

  // HarnessListener::OnDeadlock()
  // The watchdog's handler while this listener is installed: the current test can
  // never finish, so this prints its report (the deadlock first) as the test's failure,
  // writes the undeclared outputs, and exits with `exitcode` (66 by default).
  [[noreturn]] void OnDeadlock(const Trace& trace, const Deadlock& deadlock) const;

 private:
  HarnessListener(const Options& options, Suppressions suppressions);

  Options options_;
  Suppressions suppressions_;
  AnalysisOptions analysis_;
};

// InstallHarnessListener()
// For test binaries with their own main(): call after InitGoogleTest() and before
// RUN_ALL_TESTS(). A bad HARNESS_OPTIONS or suppressions file prints the error and
// exits with status 2. //harness:gtest_main calls it for you.
void InstallHarnessListener();

// The installed listener, or null.
HarnessListener* InstalledHarnessListener();

}  // namespace harness

#endif  // HARNESS_GTEST_LISTENER_H_
