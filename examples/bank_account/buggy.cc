// examples/bank_account/buggy.cc: two customers withdraw from one account with no lock
// (check-then-act). This test FAILS by design: the harness reports two data races on
// 'balance' (the check against the other customer's debit, and the two debits), with
// both threads' stacks, as ThreadSanitizer would. It is tagged "manual", so
// `bazel test //...` leaves it out; run it with `bazel test //examples/bank_account:buggy`.
#include "examples/bank_account/bank_account.h"
#include "gtest/gtest.h"

namespace bank_account {
namespace {

TEST(BankAccountBuggy, TwoCustomersWithdrawWithoutALock) {
  Outcome outcome = TwoCustomers(/*locked=*/false);
  // What the run computed depends on timing (a lost debit leaves 50); the harness's
  // verdict does not.
  EXPECT_LE(outcome.paid_out, 100);
}

}  // namespace
}  // namespace bank_account
