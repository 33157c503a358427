// harness/report/text_printer.h: reports in ThreadSanitizer's layout, for test logs.
//
//   ==================
//   WARNING: harness: data race (test BankAccount.Deposit)
//     Write of size 8 to 'balance' by thread T2 'depositor-2' (mutexes: none):
//       #0 Account::Deposit(long int) examples/bank_account/account.cc:21
//     Previous read of size 8 by thread T1 'depositor-1' (mutexes: write M1 'mu'):
//       #0 Account::Balance() const examples/bank_account/account.cc:30
//     Location is shared variable M0 'balance' of size 8 at 0x1000 created by thread T0 'main' at:
//       #0 Account::Account() examples/bank_account/account.cc:10
//     Mutex M1 'mu' created at:
//       #0 ...
//     Thread T2 'depositor-2' created by thread T0 'main' at:
//       #0 ...
//   SUMMARY: harness: data race examples/bank_account/account.cc:21 in Account::Deposit(long int)
//   ==================
//
// Every finding is framed by "==================" lines. Lock-order cycles print the
// cycle ("Cycle in lock order graph: M1 'a' => M2 'b' => M1 'a'"), for every edge where
// the second lock was taken while holding the first and where the first was taken, and
// for two-lock cycles a lockdep-style "Possible unsafe scenario" table. Misuses print the
// site and, when another thread holds the object, where it took it; deadlocks print every
// blocked thread, what it waits for and where, and who holds that and where. A finding
// seen more than once says "  (reported N times)". After the findings,
// "harness: N findings suppressed" when suppressions removed some.
// Objects are named as Trace::ObjectLabel ("M3 'accounts'"), threads as
// Trace::ThreadLabel ("T2 'depositor-2'"); unknown stacks print "<null>" as TSan does.
#ifndef HARNESS_REPORT_TEXT_PRINTER_H_
#define HARNESS_REPORT_TEXT_PRINTER_H_

#include <string>

#include "harness/report/printer.h"

namespace harness {

class TextPrinter final : public ReportPrinter {
 public:
  explicit TextPrinter(const PrinterOptions& options = {}) : options_(options) {}

  void Print(const Trace& trace, const Report& report, std::string* out) override;
  absl::string_view format() const override { return "text"; }
  absl::string_view file_extension() const override { return ".txt"; }

 private:
  PrinterOptions options_;
};

}  // namespace harness

#endif  // HARNESS_REPORT_TEXT_PRINTER_H_
