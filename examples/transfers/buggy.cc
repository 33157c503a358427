// examples/transfers/buggy.cc: two opposite transfers lock the two accounts in opposite
// orders (ABBA). This test FAILS by design: the harness reports the lock-order cycle
// alice => bob => alice (a potential deadlock), although this run never deadlocks.
// Tagged "manual"; run it with `bazel test //examples/transfers:buggy`.
#include "examples/transfers/transfers.h"
#include "gtest/gtest.h"

namespace transfers {
namespace {

TEST(TransfersBuggy, OppositeTransfersLockInOppositeOrders) {
  Balances balances = OppositeTransfers();
  EXPECT_EQ(balances.alice, 90);
  EXPECT_EQ(balances.bob, 110);
}

}  // namespace
}  // namespace transfers
