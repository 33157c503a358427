// examples/abba_deadlock/fixed.cc: the same two concurrent transfers, locking the
// accounts in one global order. Passes: no deadlock, no lock-order cycle.
#include "examples/abba_deadlock/abba_deadlock.h"
#include "gtest/gtest.h"

namespace abba_deadlock {
namespace {

TEST(AbbaDeadlockFixed, TransfersLockAccountsInOneOrder) {
  for (int round = 0; round < 20; ++round) EXPECT_EQ(TransferInAccountOrder(), 200);
}

}  // namespace
}  // namespace abba_deadlock
