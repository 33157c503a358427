// examples/bank_account/fixed.cc: the same two withdrawals, each holding the account's
// mutex from the check to the debit. The harness reports nothing, and the books balance.
#include "examples/bank_account/bank_account.h"
#include "gtest/gtest.h"

namespace bank_account {
namespace {

TEST(BankAccountFixed, TwoCustomersWithdrawUnderTheAccountLock) {
  Outcome outcome = TwoCustomers(/*locked=*/true);
  EXPECT_EQ(outcome.withdrawals, 2);
  EXPECT_EQ(outcome.paid_out, 100);
  EXPECT_EQ(outcome.final_balance, 0);
}

}  // namespace
}  // namespace bank_account
