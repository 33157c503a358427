// examples/bank_account/bank_account.h: check-then-act on a bank balance.
//
// Two customers withdraw from one account at the same time. Withdraw() checks that the
// balance covers the amount, then debits it. Without a lock (the buggy variant) both
// customers can read the balance before either writes it back: with 100 in the account
// and two withdrawals of 50, both read 100 and both write 50, so the bank pays out 100
// and the account still shows 50 (with two withdrawals of 80, both pass the check and
// the account is overdrawn). WithdrawLocked() (the fixed variant) holds the account's
// mutex from the check to the debit.
//
// What the harness reports for the buggy variant, on every run, whether or not the two
// withdrawals overlapped in time (it compares happens-before, not timing):
//   WARNING: harness: data race   on 'balance', the check in one customer thread against
//                                 the debit in the other (sites "check" and "debit")
//   WARNING: harness: data race   on 'balance', the two debits (site "debit" twice)
// For the fixed variant: nothing.
//
// The amounts are chosen so that every customer reads and writes the balance in any
// order (100 covers both withdrawals), so each run records the same accesses.
#ifndef EXAMPLES_BANK_ACCOUNT_BANK_ACCOUNT_H_
#define EXAMPLES_BANK_ACCOUNT_BANK_ACCOUNT_H_

#include <mutex>

#include "harness/harness.h"

namespace bank_account {

class Account {
 public:
  explicit Account(long initial) : balance_(initial, "balance") {}

  // Withdraw(): the bug. Checks, then acts, with nothing keeping another thread from
  // changing the balance in between.
  bool Withdraw(long amount) {
    long balance = balance_.load();  // the check reads the balance (site: check)
    if (balance < amount) return false;
    balance_.store(balance - amount);  // the act writes it back (site: debit)
    return true;
  }

  // WithdrawLocked(): the fix. The same check and act, under the account's mutex.
  bool WithdrawLocked(long amount) {
    std::lock_guard<harness::Mutex> hold(mutex_);
    long balance = balance_.load();
    if (balance < amount) return false;
    balance_.store(balance - amount);
    return true;
  }

  long Balance() {
    std::lock_guard<harness::Mutex> hold(mutex_);
    return balance_.load();
  }

 private:
  harness::Mutex mutex_{"account"};
  harness::Shared<long> balance_;
};

struct Outcome {
  int withdrawals = 0;      // how many succeeded
  long paid_out = 0;        // what the customers received
  long final_balance = 0;   // what the account shows afterwards
};

// TwoCustomers(locked)
// Threads "customer-1" and "customer-2" each withdraw 50 from an account holding 100,
// with Withdraw() (locked == false) or WithdrawLocked(). Correct: 2 withdrawals, 100
// paid out, final balance 0.
inline Outcome TwoCustomers(bool locked) {
  constexpr long kAmount = 50;
  Account account(100);
  bool succeeded[2] = {false, false};
  auto customer = [&](int i) {
    succeeded[i] = locked ? account.WithdrawLocked(kAmount) : account.Withdraw(kAmount);
  };
  harness::Thread first("customer-1", customer, 0);
  harness::Thread second("customer-2", customer, 1);
  first.join();
  second.join();

  Outcome outcome;
  for (bool ok : succeeded) {
    if (ok) {
      ++outcome.withdrawals;
      outcome.paid_out += kAmount;
    }
  }
  outcome.final_balance = account.Balance();
  return outcome;
}

}  // namespace bank_account

#endif  // EXAMPLES_BANK_ACCOUNT_BANK_ACCOUNT_H_
