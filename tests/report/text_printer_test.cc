// tests/report/text_printer_test.cc: the ThreadSanitizer-style text report, compared
// whole against goldens.
#include "harness/report/text_printer.h"

#include <string>

#include "gtest/gtest.h"
#include "tests/report/report_testing.h"

namespace harness {
namespace {

using namespace report_testing;  // NOLINT: fixture names

std::string Print(const Report& report, Symbolizer* symbolizer = nullptr) {
  FakeSymbolizer fake;
  PrinterOptions options;
  options.symbolizer = symbolizer != nullptr ? symbolizer : &fake;
  std::string out;
  TextPrinter(options).Print(BankTrace(), report, &out);
  return out;
}

TEST(TextPrinterTest, DataRace) {
  EXPECT_EQ(Print(MakeReport({RaceFinding()})),
            R"(==================
WARNING: harness: data race (test Bank.Transfer)
  Write of size 8 to 'balance' by thread T2 'depositor-2' (mutexes: none):
    #0 Account::Deposit(long int) examples/bank/account.cc:21
  Previous read of size 8 by thread T1 'depositor-1' (mutexes: write M1 'a', read M5):
    #0 Account::Balance() const examples/bank/account.cc:30
  Location is shared variable M0 'balance' of size 8 at 0x1000 created by thread T0 'main' at:
    #0 Account::Account() examples/bank/account.h:12
  Mutex M1 'a' created at:
    #0 Account::Account() examples/bank/account.h:13
  Thread T2 'depositor-2' created by thread T0 'main' at:
    #0 Bank_Transfer_Test::TestBody() tests/report/bank_test.cc:41
  Thread T1 'depositor-1' created by thread T0 'main' at:
    #0 Bank_Transfer_Test::TestBody() tests/report/bank_test.cc:40
SUMMARY: harness: data race examples/bank/account.cc:21 in Account::Deposit(long int)
==================
)");
}

TEST(TextPrinterTest, TwoLockCycleWithUnsafeScenario) {
  ExpectGolden("text/cycle2.txt", Print(MakeReport({TwoLockCycleFinding()})));
}

TEST(TextPrinterTest, ThreeLockCycleSkipsHarnessFramesOfLockGuardSite) {
  std::string out = Print(MakeReport({ThreeLockCycleFinding()}));
  ExpectGolden("text/cycle3.txt", out);
  EXPECT_EQ(out.find("Possible unsafe scenario"), std::string::npos);
  EXPECT_EQ(out.find("lock_guard"), std::string::npos);
}

TEST(TextPrinterTest, EveryMisuseKind) {
  ExpectGolden("text/misuse.txt", Print(MakeReport(MisuseFindings())));
}

TEST(TextPrinterTest, Deadlock) {
  ExpectGolden("text/deadlock.txt", Print(MakeReport({DeadlockFinding()})));
}

TEST(TextPrinterTest, CountAndSuppressedWithoutTestName) {
  Report report = MakeReport({RaceFinding()});
  report.test_name.clear();
  report.findings[0].count = 3;
  report.suppressed = 2;
  ExpectGolden("text/suppressed.txt", Print(report));
}

TEST(TextPrinterTest, EmptyReportPrintsNothing) {
  EXPECT_EQ(Print(Report{}), "");
}

TEST(TextPrinterTest, OnlySuppressedAndTruncated) {
  Report report;
  report.suppressed = 1;
  report.lock_order_cycles_truncated = true;
  EXPECT_EQ(Print(report),
            "harness: 1 finding suppressed\n"
            "harness: lock-order cycles longer than the search limit were not reported\n");
}

TEST(TextPrinterTest, LostWakeup) {
  Deadlock deadlock;
  deadlock.lost_wakeup = true;
  deadlock.threads.push_back({kAuditor, kCondVar, kWaitSite, kNoThread, kNoSite, {}});
  Report report = MakeReport({Finding{deadlock, 1}});
  EXPECT_EQ(Print(report), R"(==================
WARNING: harness: deadlock (test Bank.Transfer)
  Every live thread is blocked and none is left to wake the others:
  Thread T3 (mutexes: none) blocks on condition variable M4 'cv' here:
    #0 Worker(int) examples/bank/worker.cc:40
  Thread T3 created by thread T0 'main' at:
    #0 Bank_Transfer_Test::TestBody() tests/report/bank_test.cc:42
SUMMARY: harness: deadlock examples/bank/worker.cc:40 in Worker(int)
==================
)");
}

// A trace read from a file: its stacks print as raw addresses, and the std::lock_guard
// site's own frame (a harness frame) is left out.
TEST(TextPrinterTest, RawAddressesForTraceFromFile) {
  Misuse misuse{MisuseKind::kUnlockNotHeld, kMain, kMutexC, kAuditLockGuard,
                kNoThread,                  kNoSite, 0};
  Report report = MakeReport({Finding{misuse, 1}});
  EXPECT_EQ(Print(report, RawAddressSymbolizer()), R"(==================
WARNING: harness: unlock of an unlocked mutex (test Bank.Transfer)
  Unlock of mutex M3 'c' by thread T0 'main':
    #0 0x401000
    #1 0x401100
    #2 0x401200
    #3 0x401300
  Mutex M3 'c' created at:
    #0 Account::Account() examples/bank/account.h:15
SUMMARY: harness: unlock of an unlocked mutex 0x401000
==================
)");
}

TEST(TextPrinterTest, UnknownSitesPrintNull) {
  Trace trace;
  trace.AddThread({"main", kNoThread, kNoSite, kNoObject});
  trace.AddThread({"", 0, kNoSite, kNoObject});
  trace.AddObject({ObjectKind::kMutex, "", 0, 0, kNoSite, kNoThread});
  Misuse misuse{MisuseKind::kUnlockHeldByOtherThread, 1, 0, kNoSite, 0, kNoSite, 0};
  Report report;
  report.findings.push_back(Finding{misuse, 1});
  std::string out;
  TextPrinter(PrinterOptions{RawAddressSymbolizer()}).Print(trace, report, &out);
  EXPECT_EQ(out, R"(==================
WARNING: harness: unlock of a mutex held by another thread
  Unlock of mutex M0 by thread T1:
    <null>
  Mutex M0 is held by thread T0 'main', which acquired it here:
    <null>
  Thread T1 created by thread T0 'main' at:
    <null>
SUMMARY: harness: unlock of a mutex held by another thread
==================
)");
}

TEST(TextPrinterTest, ScenarioColumnsWidenForLongLabels) {
  Trace trace = BankTrace();
  trace.AddObject({ObjectKind::kMutex, "accounts-registry-lock", 0, 0, kNoSite, kNoThread});
  const ObjectId registry = static_cast<ObjectId>(trace.objects().size() - 1);
  LockOrderCycle cycle;
  cycle.edges.push_back({registry, kMutexB, kDepositor1, kTransferLockA, kTransferLockB, {}, 0});
  cycle.edges.push_back({kMutexB, registry, kAuditor, kRefundLockB, kRefundLockA, {}, 0});
  Report report = MakeReport({Finding{cycle, 1}});
  FakeSymbolizer fake;
  std::string out;
  TextPrinter(PrinterOptions{&fake}).Print(trace, report, &out);
  EXPECT_NE(out.find(R"(  Possible unsafe scenario:
        T1 'depositor-1'               T3
        ----                           ----
   lock(M9 'accounts-registry-lock');
                                       lock(M2 'b');
                                       lock(M9 'accounts-registry-lock');
   lock(M2 'b');
   *** DEADLOCK ***
)"),
            std::string::npos)
      << out;
}

}  // namespace
}  // namespace harness
