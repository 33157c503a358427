// examples/transfers/transfers.h: money transfers between two accounts, each with its
// own mutex; a transfer holds both accounts' mutexes while it moves the money.
//
// Transfer() locks the source account, then the destination. Two opposite transfers
// (alice to bob, bob to alice) therefore take the two mutexes in opposite orders
// (ABBA): if both take their first lock at once, each waits forever for the other's.
// OppositeTransfers() (buggy) runs the two in two threads that are not ordered by
// create/join; the second waits for the first to finish (a Latch) only so that this
// run never deadlocks. What the harness reports, on every run:
//   WARNING: harness: lock-order-inversion (potential deadlock)
//       Cycle in lock order graph: alice => bob => alice, the edge alice => bob taken
//       by "alice-to-bob" and bob => alice by "bob-to-alice", both at sites
//       "lock-from" then "lock-to"
// OppositeTransfersUnderBankLock() (fixed): the same Transfer(), nested inside a common
// "bank" gate lock that every transfer takes first. The inversion is still there, but
// the gate makes it impossible for two transfers to hold one account each, so it cannot
// deadlock, and the harness reports nothing (its cycle check skips cycles whose edges
// all hold a common lock). The fixed variant needs no Latch: it runs both transfers
// at once, many times.
#ifndef EXAMPLES_TRANSFERS_TRANSFERS_H_
#define EXAMPLES_TRANSFERS_TRANSFERS_H_

#include <mutex>
#include <string>
#include <string_view>

#include "harness/harness.h"

namespace transfers {

struct Account {
  Account(std::string_view name, long initial)
      : mutex(name), balance(initial, std::string(name) + ".balance") {}

  harness::Mutex mutex;
  harness::Shared<long> balance;  // guarded by mutex
};

// Transfer(from, to, amount): the nested locking, source account first.
inline void Transfer(Account& from, Account& to, long amount) {
  from.mutex.lock();  // the source account (site: lock-from)
  to.mutex.lock();    // the destination, while holding the source (site: lock-to)
  from.balance.store(from.balance.load() - amount);
  to.balance.store(to.balance.load() + amount);
  to.mutex.unlock();
  from.mutex.unlock();
}

// TransferUnderBankLock(bank, from, to, amount): the fix. The same Transfer(), inside
// the bank-wide gate lock.
inline void TransferUnderBankLock(harness::Mutex& bank, Account& from, Account& to,
                                  long amount) {
  std::lock_guard<harness::Mutex> gate(bank);
  Transfer(from, to, amount);
}

struct Balances {
  long alice = 0;
  long bob = 0;
};

// One account at a time: no nesting, so no lock-order edge of its own.
inline long BalanceOf(Account& account) {
  std::lock_guard<harness::Mutex> hold(account.mutex);
  return account.balance.load();
}

// OppositeTransfers(): the bug. "alice-to-bob" moves 30, then "bob-to-alice" moves 20.
// Both start at 100: afterwards alice 90, bob 110.
inline Balances OppositeTransfers() {
  Account alice("alice", 100);
  Account bob("bob", 100);
  harness::Latch first_done(1, "first-transfer-done");
  harness::Thread alice_to_bob("alice-to-bob", [&] {
    Transfer(alice, bob, 30);
    first_done.count_down();
  });
  harness::Thread bob_to_alice("bob-to-alice", [&] {
    first_done.wait();  // only so that this run never deadlocks
    Transfer(bob, alice, 20);
  });
  alice_to_bob.join();
  bob_to_alice.join();
  return Balances{BalanceOf(alice), BalanceOf(bob)};
}

// OppositeTransfersUnderBankLock(rounds): the fix. The same two threads, running at
// once, each making `rounds` transfers under the "bank" gate lock. Afterwards alice has
// 100 - 10 * rounds, bob 100 + 10 * rounds.
inline Balances OppositeTransfersUnderBankLock(int rounds) {
  harness::Mutex bank("bank");
  Account alice("alice", 100);
  Account bob("bob", 100);
  harness::Thread alice_to_bob("alice-to-bob", [&] {
    for (int i = 0; i < rounds; ++i) TransferUnderBankLock(bank, alice, bob, 30);
  });
  harness::Thread bob_to_alice("bob-to-alice", [&] {
    for (int i = 0; i < rounds; ++i) TransferUnderBankLock(bank, bob, alice, 20);
  });
  alice_to_bob.join();
  bob_to_alice.join();
  return Balances{BalanceOf(alice), BalanceOf(bob)};
}

}  // namespace transfers

#endif  // EXAMPLES_TRANSFERS_TRANSFERS_H_
