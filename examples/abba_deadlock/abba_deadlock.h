// examples/abba_deadlock/abba_deadlock.h: two transfers between two bank accounts that
// really deadlock. Each account is guarded by its own harness::Mutex.
//
// TransferBothWays() (buggy): one thread moves money from A to B (locks A, then B), the
// other from B to A (locks B, then A). A harness::Latch makes each thread hold its first
// lock before either asks for its second, so every run deadlocks: each thread waits
// forever for the lock the other holds. Without the harness the test would hang until
// Bazel kills it; the harness's watchdog sees the cycle in the wait-for graph and, within
// a second, fails the test with:
//   WARNING: harness: deadlock
//     Cycle in wait-for graph: transfer-a-to-b => transfer-b-to-a => transfer-a-to-b
//     each thread blocked at "take-second" on the account the other took at "take-first"
// (no lock-order cycle is reported beside it: neither second lock is ever acquired).
// TransferInAccountOrder() (fixed): both threads still meet at the latch and transfer
// at the same time, but lock the two accounts in one global order (by account number),
// so neither can hold the lock the other needs while waiting for its own.
#ifndef EXAMPLES_ABBA_DEADLOCK_ABBA_DEADLOCK_H_
#define EXAMPLES_ABBA_DEADLOCK_ABBA_DEADLOCK_H_

#include <mutex>

#include "harness/harness.h"

namespace abba_deadlock {

struct Account {
  Account(int number, const char* name, int balance)
      : number(number), mutex(name), balance(balance) {}

  const int number;
  harness::Mutex mutex;
  harness::Shared<int> balance;
};

// Moves `amount` from `from` to `to`, locking `from` first: the bug, when two threads
// transfer in opposite directions. `both_hold_first` makes the deadlock certain: the
// thread waits there, holding its first lock, until the other holds its own.
inline void TransferFromFirst(Account& from, Account& to, int amount,
                              harness::Latch& both_hold_first) {
  std::lock_guard<harness::Mutex> first(from.mutex);  // (site: take-first)
  both_hold_first.arrive_and_wait();
  std::lock_guard<harness::Mutex> second(to.mutex);  // (site: take-second)
  from.balance -= amount;
  to.balance += amount;
}

// The fix: always lock the lower-numbered account first, whichever way money moves.
inline void TransferInOrder(Account& from, Account& to, int amount) {
  Account& lower = from.number < to.number ? from : to;
  Account& higher = from.number < to.number ? to : from;
  std::lock_guard<harness::Mutex> first(lower.mutex);
  std::lock_guard<harness::Mutex> second(higher.mutex);
  from.balance -= amount;
  to.balance += amount;
}

// TransferBothWays(): the buggy program. Never returns: the harness ends the test.
inline int TransferBothWays() {
  Account a(1, "account-a", 100);
  Account b(2, "account-b", 100);
  harness::Latch both_hold_first(2, "both-hold-first");
  harness::Thread a_to_b("transfer-a-to-b", [&] { TransferFromFirst(a, b, 10, both_hold_first); });
  harness::Thread b_to_a("transfer-b-to-a", [&] { TransferFromFirst(b, a, 20, both_hold_first); });
  a_to_b.join();
  b_to_a.join();
  return a.balance.load() + b.balance.load();
}

// TransferInAccountOrder(): the fixed program; returns the total, always 200.
inline int TransferInAccountOrder() {
  Account a(1, "account-a", 100);
  Account b(2, "account-b", 100);
  harness::Latch start_together(2, "start-together");
  harness::Thread a_to_b("transfer-a-to-b", [&] {
    start_together.arrive_and_wait();
    TransferInOrder(a, b, 10);
  });
  harness::Thread b_to_a("transfer-b-to-a", [&] {
    start_together.arrive_and_wait();
    TransferInOrder(b, a, 20);
  });
  a_to_b.join();
  b_to_a.join();
  return a.balance.load() + b.balance.load();
}

}  // namespace abba_deadlock

#endif  // EXAMPLES_ABBA_DEADLOCK_ABBA_DEADLOCK_H_
