// examples/bank_account/account.h: a bank account shared by depositor threads. The
// buggy variant reads and writes the balance with no lock (check-then-act); the fixed
// variant holds the account's mutex for the whole read-modify-write.
#ifndef EXAMPLES_BANK_ACCOUNT_ACCOUNT_H_
#define EXAMPLES_BANK_ACCOUNT_ACCOUNT_H_

#include "harness/harness.h"

namespace bank {

class Account {
 public:
  // Deposit(): adds `amount`. Racy: two depositors can read the same balance and one
  // deposit is lost.
  void Deposit(long amount) {
    long balance = balance_.load();
    balance_.store(balance + amount);
  }

  // DepositLocked(): the fix, the same read-modify-write under the account's mutex.
  void DepositLocked(long amount) {
    std::lock_guard<harness::Mutex> hold(mutex_);
    long balance = balance_.load();
    balance_.store(balance + amount);
  }

  long balance() {
    std::lock_guard<harness::Mutex> hold(mutex_);
    return balance_.load();
  }

 private:
  harness::Mutex mutex_{"account"};
  harness::Shared<long> balance_{0, "balance"};
};

}  // namespace bank

#endif  // EXAMPLES_BANK_ACCOUNT_ACCOUNT_H_
