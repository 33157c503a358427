// tests/report/dot_printer_test.cc: the lock-order graph as DOT.
#include "harness/report/dot_printer.h"

#include <string>
#include <variant>
#include <vector>

#include "gtest/gtest.h"
#include "tests/report/report_testing.h"

namespace harness {
namespace {

using namespace report_testing;  // NOLINT: fixture names

std::string Print(const Report& report) {
  FakeSymbolizer fake;
  std::string out;
  DotPrinter(PrinterOptions{&fake}).Print(BankTrace(), report, &out);
  return out;
}

TEST(DotPrinterTest, TwoLockCycle) {
  EXPECT_EQ(Print(MakeReport({TwoLockCycleFinding()})), R"(digraph lock_order {
  // harness lock-order graph (test Bank.Transfer)
  node [shape=box, fontname="monospace"];
  M1 [label="M1 'a'"];
  M2 [label="M2 'b'"];
  M1 -> M2 [label="T1 'depositor-1'\nexamples/bank/transfer.cc:11", color=red, penwidth=2];
  M2 -> M1 [label="T2 'depositor-2'\nexamples/bank/transfer.cc:21", color=red, penwidth=2];
}
)");
}

TEST(DotPrinterTest, ThreeLockCycleLabelsTheUsersFrame) {
  ExpectGolden("dot/cycle3.dot", Print(MakeReport({ThreeLockCycleFinding()})));
}

TEST(DotPrinterTest, EdgesSharedByCyclesAreDrawnOnce) {
  Report report = MakeReport({TwoLockCycleFinding(), ThreeLockCycleFinding(), RaceFinding(),
                              DeadlockFinding()});
  std::string out = Print(report);
  ExpectGolden("dot/all.dot", out);
  size_t count = 0;
  for (size_t at = out.find("M1 -> M2"); at != std::string::npos; at = out.find("M1 -> M2", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 1u);
}

TEST(DotPrinterTest, NoCyclesIsAnEmptyDigraph) {
  EXPECT_EQ(Print(Report{}), "digraph lock_order {\n}\n");
  EXPECT_EQ(Print(MakeReport({RaceFinding(), DeadlockFinding()})), "digraph lock_order {\n}\n");
}

TEST(DotPrinterTest, WholeGraphEdgesOutsideCyclesAreBlack) {
  FakeSymbolizer fake;
  std::vector<LockOrderEdge> graph = std::get<LockOrderCycle>(TwoLockCycleFinding().details).edges;
  graph.push_back({kMutexC, kMutexA, kAuditor, kAuditLockC, kAuditLockGuard, {}, 0});
  std::string out;
  DotPrinter(PrinterOptions{&fake})
      .PrintLockOrderGraph(BankTrace(), MakeReport({TwoLockCycleFinding()}), graph, &out);
  EXPECT_EQ(out, R"(digraph lock_order {
  // harness lock-order graph (test Bank.Transfer)
  node [shape=box, fontname="monospace"];
  M1 [label="M1 'a'"];
  M2 [label="M2 'b'"];
  M3 [label="M3 'c'"];
  M1 -> M2 [label="T1 'depositor-1'\nexamples/bank/transfer.cc:11", color=red, penwidth=2];
  M2 -> M1 [label="T2 'depositor-2'\nexamples/bank/transfer.cc:21", color=red, penwidth=2];
  M3 -> M1 [label="T3\nexamples/bank/audit.cc:7"];
}
)");
}

TEST(DotPrinterTest, Quoting) {
  EXPECT_EQ(DotQuote("plain"), "\"plain\"");
  EXPECT_EQ(DotQuote("a \"b\" c\\d\ne"), R"("a \"b\" c\\d\ne")");
}

}  // namespace
}  // namespace harness
