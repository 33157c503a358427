// tests/report/dedup_test.cc: merging the same findings and adding their counts.
#include "harness/report/dedup.h"

#include <algorithm>
#include <utility>
#include <variant>

#include "gtest/gtest.h"
#include "tests/report/report_testing.h"

namespace harness {
namespace {

using namespace report_testing;  // NOLINT: fixture names

std::vector<uint64_t> Counts(const Report& report) {
  std::vector<uint64_t> counts;
  for (const Finding& f : report.findings) counts.push_back(f.count);
  return counts;
}

TEST(DeduplicateTest, RacesIrrespectiveOfThreadsAndOrder) {
  Finding a = RaceFinding();
  Finding b = RaceFinding();  // other threads, other events
  std::get<DataRace>(b.details).current.thread = kAuditor;
  std::get<DataRace>(b.details).current.event_index = 1000;
  Finding swapped = RaceFinding();  // the same two sites, the other way round
  std::swap(std::get<DataRace>(swapped.details).current,
            std::get<DataRace>(swapped.details).previous);
  Finding other_site = RaceFinding();
  std::get<DataRace>(other_site.details).current.site = kUnknownStack;

  Report report = MakeReport({a, other_site, b, swapped});
  Deduplicate(BankTrace(), &report);
  ASSERT_EQ(report.findings.size(), 2u);
  EXPECT_EQ(report.findings[0].details, a.details) << "the first occurrence is kept";
  EXPECT_EQ(report.findings[1].details, other_site.details);
  EXPECT_EQ(Counts(report), (std::vector<uint64_t>{3, 1}));
}

TEST(DeduplicateTest, ObjectsOfDifferentIterationsAreTheSame) {
  Trace trace = BankTrace();
  // A second iteration's 'balance': same kind, name and creation site, another id.
  ObjectInfo again = trace.objects()[kBalance];
  again.address = 0x9000;
  const ObjectId balance2 = trace.AddObject(again);
  // Two unnamed objects without creation sites are only themselves.
  const ObjectId anon1 = trace.AddObject({ObjectKind::kMemory, "", 0xa000, 8, kNoSite, kNoThread});
  const ObjectId anon2 = trace.AddObject({ObjectKind::kMemory, "", 0xb000, 8, kNoSite, kNoThread});

  auto race_on = [](ObjectId object) {
    Finding f = RaceFinding();
    std::get<DataRace>(f.details).current.object = object;
    std::get<DataRace>(f.details).previous.object = object;
    return f;
  };
  Report report = MakeReport({race_on(kBalance), race_on(balance2), race_on(anon1),
                              race_on(anon2), race_on(anon1)});
  Deduplicate(trace, &report);
  EXPECT_EQ(Counts(report), (std::vector<uint64_t>{2, 2, 1}));
}

TEST(DeduplicateTest, CyclesInAnyRotation) {
  Finding cycle = ThreeLockCycleFinding();
  Finding rotated = ThreeLockCycleFinding();
  auto& edges = std::get<LockOrderCycle>(rotated.details).edges;
  std::rotate(edges.begin(), edges.begin() + 1, edges.end());
  edges[0].thread = kMain;  // other threads do not matter
  Finding other_site = ThreeLockCycleFinding();
  std::get<LockOrderCycle>(other_site.details).edges[2].to_site = kWorkerLockA;
  Finding two = TwoLockCycleFinding();
  Finding two_rotated = TwoLockCycleFinding();
  auto& two_edges = std::get<LockOrderCycle>(two_rotated.details).edges;
  std::swap(two_edges[0], two_edges[1]);

  Report report = MakeReport({cycle, two, rotated, other_site, two_rotated, rotated});
  Deduplicate(BankTrace(), &report);
  ASSERT_EQ(report.findings.size(), 3u);
  EXPECT_EQ(report.findings[0].details, cycle.details);
  EXPECT_EQ(report.findings[1].details, two.details);
  EXPECT_EQ(report.findings[2].details, other_site.details);
  EXPECT_EQ(Counts(report), (std::vector<uint64_t>{3, 2, 1}));
}

TEST(DeduplicateTest, MisusesByKindObjectAndSite) {
  std::vector<Finding> misuses = MisuseFindings();
  std::vector<Finding> findings = misuses;
  Finding by_other_thread = misuses[0];
  std::get<Misuse>(by_other_thread.details).thread = kDepositor2;
  findings.push_back(by_other_thread);
  Finding other_site = misuses[0];
  std::get<Misuse>(other_site.details).site = kTeardown;
  findings.push_back(other_site);
  Finding other_kind = misuses[0];
  std::get<Misuse>(other_kind.details).kind = MisuseKind::kDestroyLocked;
  findings.push_back(other_kind);
  findings.insert(findings.end(), misuses.begin(), misuses.end());

  Report report = MakeReport(findings);
  Deduplicate(BankTrace(), &report);
  EXPECT_EQ(Counts(report), (std::vector<uint64_t>{3, 2, 2, 2, 2, 2, 2, 2, 1, 1}));
}

TEST(DeduplicateTest, DeadlocksBySetOfWaits) {
  Finding deadlock = DeadlockFinding();
  Finding reordered = DeadlockFinding();
  auto& threads = std::get<Deadlock>(reordered.details).threads;
  std::swap(threads[0], threads[1]);
  Finding lost = DeadlockFinding();
  std::get<Deadlock>(lost.details).lost_wakeup = true;
  Report report = MakeReport({deadlock, reordered, lost});
  Deduplicate(BankTrace(), &report);
  EXPECT_EQ(Counts(report), (std::vector<uint64_t>{2, 1}));
}

TEST(DeduplicateTest, CountsAddUpAndKindsStayApart) {
  Finding race = RaceFinding();
  race.count = 2;
  Finding race_again = RaceFinding();
  race_again.count = 3;
  Report report = MakeReport({race, TwoLockCycleFinding(), race_again, DeadlockFinding()});
  report.suppressed = 7;
  Deduplicate(BankTrace(), &report);
  EXPECT_EQ(Counts(report), (std::vector<uint64_t>{5, 1, 1}));
  EXPECT_EQ(report.suppressed, 7u);
  EXPECT_EQ(report.test_name, "Bank.Transfer");
}

TEST(DeduplicateTest, Identity) {
  EXPECT_EQ(FindingIdentity(BankTrace(), TwoLockCycleFinding()),
            FindingIdentity(BankTrace(), TwoLockCycleFinding()));
  EXPECT_NE(FindingIdentity(BankTrace(), TwoLockCycleFinding()),
            FindingIdentity(BankTrace(), ThreeLockCycleFinding()));
  EXPECT_NE(FindingIdentity(BankTrace(), RaceFinding()),
            FindingIdentity(BankTrace(), DeadlockFinding()));
  Report empty;
  Deduplicate(BankTrace(), &empty);
  EXPECT_TRUE(empty.findings.empty());
}

}  // namespace
}  // namespace harness
