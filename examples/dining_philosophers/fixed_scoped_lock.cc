// examples/dining_philosophers/fixed_scoped_lock.cc: every philosopher takes both forks
// with std::scoped_lock (std::lock: lock the first, try_lock the rest, back off and
// retry). Try-locks add no lock-order edge, so the harness reports nothing.
#include "examples/dining_philosophers/dining_philosophers.h"
#include "gtest/gtest.h"

namespace dining_philosophers {
namespace {

TEST(DiningPhilosophersFixed, EveryoneTakesBothForksWithScopedLock) {
  EXPECT_EQ(Dine(Fix::kScopedLock, /*rounds=*/20), 3 * 20);
}

}  // namespace
}  // namespace dining_philosophers
