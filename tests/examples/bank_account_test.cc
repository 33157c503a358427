// The exact findings of //examples/bank_account:buggy: two data races on 'balance'
// between the two customers, the check against the debit and the debit against the
// debit. Any other finding, or a missing one, fails the test.
#include "examples/bank_account/bank_account.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/gtest/expect.h"
#include "tests/examples/example_sites.h"

namespace harness::examples_test {
namespace {

using ::testing::AllOf;

const char kHeader[] = "examples/bank_account/bank_account.h";

TEST(BankAccountExample, BuggyRacesOnTheBalance) {
  const std::string check = SiteOf(kHeader, "check");
  const std::string debit = SiteOf(kHeader, "debit");
  ScopedFindingExpectation check_against_debit(
      AllOf(IsDataRace(), HasSite(check), HasSite(debit), ObjectsAre("balance", "balance"),
            ThreadsAre("customer-1", "customer-2")));
  ScopedFindingExpectation debit_against_debit(
      AllOf(IsDataRace(), HasSiteTimes(debit, 2), ObjectsAre("balance", "balance"),
            ThreadsAre("customer-1", "customer-2")));
  bank_account::TwoCustomers(/*locked=*/false);
}

}  // namespace
}  // namespace harness::examples_test
