// examples/bank_account/main.cc: two depositors put 1000 x 1 into one account, without
// a lock (`buggy`) or holding the account's mutex (`fixed`). The harness records every
// access and lock; the program prints the final balance and the recorded trace. (The
// race analysis that turns this trace into a report lands with the analyses.)
#include <cstdio>
#include <cstring>

#include "examples/bank_account/account.h"
#include "harness/harness.h"
#include "harness/trace/trace_listing.h"

int main(int argc, char** argv) {
  bool locked = argc > 1 && std::strcmp(argv[1], "--fixed") == 0;
  bank::Account account;
  auto depositor = [&account, locked] {
    for (int i = 0; i < 1000; ++i) {
      if (locked) {
        account.DepositLocked(1);
      } else {
        account.Deposit(1);
      }
    }
  };
  harness::Thread first("depositor-1", depositor);
  harness::Thread second("depositor-2", depositor);
  first.join();
  second.join();
  std::printf("variant: %s, final balance: %ld (expected 2000)\n", locked ? "fixed" : "buggy",
              account.balance());
  harness::Trace trace = harness::CollectTrace();
  std::fputs(harness::TraceListing(trace, 24).c_str(), stdout);
  return 0;
}
