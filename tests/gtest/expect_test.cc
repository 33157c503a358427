// Tests of the finding expectations under //harness:gtest_main: expected findings do not
// fail the test and are matched by kind, site, object and thread.
#include "harness/gtest/expect.h"

#include "gmock/gmock.h"
#include "gtest/gtest-spi.h"
#include "gtest/gtest.h"
#include "harness/harness.h"

namespace harness {
namespace {

using ::testing::AllOf;

Shared<long>* Balance() {
  static Shared<long>* balance = new Shared<long>(0, "expect.balance");
  return balance;
}

void Deposit() {
  long old = Balance()->load(); const int read_line = __LINE__;
  Balance()->store(old + 1);
  (void)read_line;
}

void TwoDepositors() {
  Thread first("depositor-1", Deposit);
  Thread second("depositor-2", Deposit);
  first.join();
  second.join();
}

TEST(ExpectTest, ExpectRaceExcusesTheRace) { EXPECT_RACE(TwoDepositors()); }

TEST(ExpectTest, ScopedExpectationMatchesSitesObjectsAndThreads) {
  // Two races: the load (line 21) against the other thread's store (line 22), and the
  // two stores. Each expectation must be met; together they excuse both.
  ScopedFindingExpectation read_write(AllOf(IsDataRace(), HasSite("expect_test.cc:21"),
                                            HasSite("expect_test.cc:22"),
                                            InvolvesObject("expect.balance"),
                                            InvolvesThread("depositor-2")));
  ScopedFindingExpectation any_on_balance(
      AllOf(IsDataRace(), HasSite("gtest/expect_test.cc:22"), InvolvesThread("depositor-1")));
  TwoDepositors();
}

TEST(ExpectTest, ExpectLockOrderCycle) {
  EXPECT_LOCK_ORDER_CYCLE({
    // The two threads run concurrently (neither is joined before the other starts), but
    // "ba" waits for "ab" to finish, so the inversion never actually deadlocks.
    Mutex a("expect.a");
    Mutex b("expect.b");
    Latch ab_done(1);
    Thread first("ab", [&] {
      {
        std::scoped_lock<Mutex> hold_a(a);
        std::lock_guard<Mutex> hold_b(b);
      }
      ab_done.count_down();
    });
    Thread second("ba", [&] {
      ab_done.wait();
      b.lock();
      a.lock();
      a.unlock();
      b.unlock();
    });
    first.join();
    second.join();
  });
}

TEST(ExpectTest, ExpectMisuse) {
  EXPECT_MISUSE(MisuseKind::kUnlockNotHeld, {
    Mutex mu("expect.unlocked");
    mu.unlock();
  });
}

TEST(ExpectTest, UnmetExpectationFails) {
  EXPECT_NONFATAL_FAILURE(
      {
        ScopedFindingExpectation expect(IsDataRace());
      },
      "expected a finding that");
}

}  // namespace
}  // namespace harness
