// tests/report/suppressions_test.cc: TSan's suppression syntax: parsing, errors with
// file:line, pattern matching, and which findings each type suppresses.
#include "harness/report/suppressions.h"

#include <cstdlib>
#include <fstream>
#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "tests/report/report_testing.h"

namespace harness {
namespace {

using namespace report_testing;  // NOLINT: fixture names

Suppressions Parse(absl::string_view text) {
  absl::StatusOr<Suppressions> parsed = ParseSuppressions(text, "supp.txt");
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return parsed.ok() ? *parsed : Suppressions{};
}

std::string ParseError(absl::string_view text) {
  absl::StatusOr<Suppressions> parsed = ParseSuppressions(text, "tsan.supp");
  if (parsed.ok()) return "(parsed)";
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(parsed.status().message());
}

TEST(ParseSuppressionsTest, TypesCommentsBlankLinesAndWhitespace) {
  Suppressions s = Parse(
      "# Known races.\n"
      "\n"
      "race:Account::Deposit\n"
      "   deadlock:transfer.cc  \r\n"
      "\t# indented comment\n"
      "mutex:^Worker$\n"
      "thread:depositor-*\n"
      "race: spaced pattern \n");
  ASSERT_EQ(s.entries.size(), 5u);
  EXPECT_EQ(s.entries[0], (Suppression{SuppressionType::kRace, "Account::Deposit", "supp.txt", 3}));
  EXPECT_EQ(s.entries[1], (Suppression{SuppressionType::kDeadlock, "transfer.cc", "supp.txt", 4}));
  EXPECT_EQ(s.entries[2], (Suppression{SuppressionType::kMutex, "^Worker$", "supp.txt", 6}));
  EXPECT_EQ(s.entries[3], (Suppression{SuppressionType::kThread, "depositor-*", "supp.txt", 7}));
  EXPECT_EQ(s.entries[4], (Suppression{SuppressionType::kRace, "spaced pattern", "supp.txt", 8}));
  EXPECT_TRUE(Parse("").empty());
  EXPECT_TRUE(Parse("# only a comment").empty());
  EXPECT_EQ(SuppressionTypeName(SuppressionType::kDeadlock), "deadlock");
}

TEST(ParseSuppressionsTest, ErrorsNameFileAndLine) {
  EXPECT_EQ(ParseError("race:a\n# c\nfoo:bar\n"),
            "tsan.supp:3: unknown suppression type 'foo' (known types: race, deadlock, mutex, "
            "thread)");
  EXPECT_EQ(ParseError("\n\nDeposit\n"), "tsan.supp:3: expected 'type:pattern', got 'Deposit'");
  // A pattern without its type reads as an unknown type, as in TSan.
  EXPECT_EQ(ParseError("Account::Deposit"),
            "tsan.supp:1: unknown suppression type 'Account' (known types: race, deadlock, "
            "mutex, thread)");
  EXPECT_EQ(ParseError("race:\n"), "tsan.supp:1: empty pattern after 'race:'");
  EXPECT_EQ(ParseError("race:ok\nthread:  \n"), "tsan.supp:2: empty pattern after 'thread:'");
  EXPECT_EQ(ParseError("deadlock:^$\n"), "tsan.supp:1: empty pattern after 'deadlock:'");
  // TSan's other types are not ours.
  EXPECT_EQ(ParseError("race_top:x"),
            "tsan.supp:1: unknown suppression type 'race_top' (known types: race, deadlock, "
            "mutex, thread)");
  EXPECT_EQ(ParseError("signal:x"),
            "tsan.supp:1: unknown suppression type 'signal' (known types: race, deadlock, "
            "mutex, thread)");
}

TEST(LoadSuppressionsFileTest, ReadsAndReportsErrorsWithThePath) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string dir = tmp != nullptr ? tmp : "/tmp";
  const std::string path = dir + "/harness_suppressions_test.supp";
  {
    std::ofstream out(path);
    out << "race:balance\nbogus\n";
  }
  absl::StatusOr<Suppressions> loaded = LoadSuppressionsFile(path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().message(), path + ":2: expected 'type:pattern', got 'bogus'");
  {
    std::ofstream out(path);
    out << "race:balance\n";
  }
  loaded = LoadSuppressionsFile(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->entries[0], (Suppression{SuppressionType::kRace, "balance", path, 1}));

  absl::StatusOr<Suppressions> missing = LoadSuppressionsFile(dir + "/no/such.supp");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(),
            "cannot read suppressions file '" + dir + "/no/such.supp': No such file or directory");
}

TEST(SuppressionPatternTest, TsanSemantics) {
  // Unanchored: anywhere in the text.
  EXPECT_TRUE(SuppressionPatternMatches("Deposit", "Account::Deposit(long)"));
  EXPECT_FALSE(SuppressionPatternMatches("Withdraw", "Account::Deposit(long)"));
  // Wildcards.
  EXPECT_TRUE(SuppressionPatternMatches("Account::*(long)", "Account::Deposit(long)"));
  EXPECT_TRUE(SuppressionPatternMatches("A*D*t", "Account::Deposit(long)"));
  EXPECT_TRUE(SuppressionPatternMatches("*", "x"));
  EXPECT_TRUE(SuppressionPatternMatches("a**b", "a--b"));
  EXPECT_FALSE(SuppressionPatternMatches("Dep*Acc", "Account::Deposit"));
  // Anchors.
  EXPECT_TRUE(SuppressionPatternMatches("^Account::", "Account::Deposit(long)"));
  EXPECT_FALSE(SuppressionPatternMatches("^Deposit", "Account::Deposit(long)"));
  EXPECT_TRUE(SuppressionPatternMatches("(long)$", "Account::Deposit(long)"));
  EXPECT_FALSE(SuppressionPatternMatches("Deposit$", "Account::Deposit(long)"));
  EXPECT_TRUE(SuppressionPatternMatches("^main$", "main"));
  EXPECT_FALSE(SuppressionPatternMatches("^main$", "domain"));
  EXPECT_TRUE(SuppressionPatternMatches("^a*b$", "abab"));
  EXPECT_TRUE(SuppressionPatternMatches("account.cc$", "/src/examples/bank/account.cc"));
  // Never an empty text.
  EXPECT_FALSE(SuppressionPatternMatches("*", ""));
}

// The first finding of `report` after applying `text`; returns how many were suppressed.
uint64_t Suppressed(absl::string_view text, Report report, Symbolizer* symbolizer = nullptr) {
  ApplySuppressions(Parse(text), BankTrace(), &report, symbolizer);
  return report.suppressed;
}

TEST(ApplySuppressionsTest, RaceByFunctionFileSuffixAndObjectName) {
  const Report race = MakeReport({RaceFinding()});
  EXPECT_EQ(Suppressed("race:Account::Deposit", race), 1u);
  EXPECT_EQ(Suppressed("race:^Account::Balance() const$", race), 1u) << "the other access";
  EXPECT_EQ(Suppressed("race:account.cc", race), 1u) << "file suffix";
  EXPECT_EQ(Suppressed("race:bank/account.cc", race), 1u);
  EXPECT_EQ(Suppressed("race:^examples/bank/account.cc$", race), 1u) << "full path";
  EXPECT_EQ(Suppressed("race:balance", race), 1u) << "object name";
  EXPECT_EQ(Suppressed("race:bal*ce", race), 1u);
  EXPECT_EQ(Suppressed("race:^Account::Account", race), 1u) << "where the object was created";
  EXPECT_EQ(Suppressed("race:bank_test.cc", race), 1u) << "where its threads were created";

  EXPECT_EQ(Suppressed("race:Withdraw", race), 0u);
  EXPECT_EQ(Suppressed("race:^Deposit", race), 0u);
  EXPECT_EQ(Suppressed("race:transfer.cc", race), 0u) << "held locks' sites are not matched";
  EXPECT_EQ(Suppressed("race:depositor", race), 0u) << "thread names need thread:";
  EXPECT_EQ(Suppressed("deadlock:Deposit", race), 0u) << "wrong type";
  EXPECT_EQ(Suppressed("mutex:balance", race), 0u) << "wrong type";
}

TEST(ApplySuppressionsTest, ThreadNamesWithWildcards) {
  const Report race = MakeReport({RaceFinding()});
  EXPECT_EQ(Suppressed("thread:depositor-*", race), 1u);
  EXPECT_EQ(Suppressed("thread:^depositor-2$", race), 1u);
  EXPECT_EQ(Suppressed("thread:^main$", race), 0u) << "T0 only created the threads";
  EXPECT_EQ(Suppressed("thread:auditor", race), 0u);
  // Any kind of finding.
  EXPECT_EQ(Suppressed("thread:depositor-1", MakeReport({TwoLockCycleFinding()})), 1u);
  EXPECT_EQ(Suppressed("thread:depositor-1", MakeReport({DeadlockFinding()})), 1u);
  EXPECT_EQ(Suppressed("thread:depositor-1", MakeReport(MisuseFindings())), 3u)
      << "the misuses by or involving T1";
}

TEST(ApplySuppressionsTest, DeadlockCoversCyclesAndDeadlocks) {
  EXPECT_EQ(Suppressed("deadlock:Refund", MakeReport({TwoLockCycleFinding()})), 1u);
  EXPECT_EQ(Suppressed("deadlock:transfer.cc", MakeReport({DeadlockFinding()})), 1u);
  EXPECT_EQ(Suppressed("deadlock:^c$", MakeReport({ThreeLockCycleFinding()})), 1u) << "mutex name";
  EXPECT_EQ(Suppressed("deadlock:^c$", MakeReport({TwoLockCycleFinding()})), 0u);
  EXPECT_EQ(Suppressed("race:Refund", MakeReport({TwoLockCycleFinding()})), 0u);
}

TEST(ApplySuppressionsTest, StackFramesMatchOnlyWithASymbolizer) {
  const Report cycle = MakeReport({ThreeLockCycleFinding()});
  FakeSymbolizer fake;
  // main() appears only in the stack of the lock_guard site.
  EXPECT_EQ(Suppressed("deadlock:^main$", cycle), 0u);
  EXPECT_EQ(Suppressed("deadlock:^main$", cycle, &fake), 1u);
  EXPECT_EQ(Suppressed("deadlock:main.cc", cycle, &fake), 1u);
  // Harness frames are not the user's: they never match.
  EXPECT_EQ(Suppressed("deadlock:recorder.cc", cycle, &fake), 0u);
  EXPECT_EQ(Suppressed("deadlock:harness::", cycle, &fake), 0u);
}

TEST(ApplySuppressionsTest, MutexCoversEveryMisuse) {
  Report report = MakeReport(MisuseFindings());
  ApplySuppressions(Parse("mutex:^a$\nmutex:^cv$"), BankTrace(), &report);
  EXPECT_EQ(report.suppressed, 5u) << "three on 'a', two on 'cv'";
  ASSERT_EQ(report.findings.size(), 3u);
  EXPECT_EQ(std::get<Misuse>(report.findings[0].details).kind, MisuseKind::kDestroyLocked);
  EXPECT_EQ(std::get<Misuse>(report.findings[1].details).kind,
            MisuseKind::kThreadDestroyedJoinable);
  EXPECT_EQ(std::get<Misuse>(report.findings[2].details).kind, MisuseKind::kUnlockSharedNotHeld);
}

TEST(ApplySuppressionsTest, CountsOccurrencesAndKeepsOrder) {
  Finding race = RaceFinding();
  race.count = 4;
  Report report = MakeReport({TwoLockCycleFinding(), race, DeadlockFinding()});
  report.suppressed = 1;
  ApplySuppressions(Parse("race:Deposit"), BankTrace(), &report);
  EXPECT_EQ(report.suppressed, 5u);
  ASSERT_EQ(report.findings.size(), 2u);
  EXPECT_EQ(report.findings[0], TwoLockCycleFinding());
  EXPECT_EQ(report.findings[1], DeadlockFinding());
}

TEST(MatchSuppressionTest, ReturnsTheFirstMatch) {
  Suppressions s = Parse("race:nothing\nrace:Deposit\nrace:balance");
  const Suppression* match = MatchSuppression(s, BankTrace(), RaceFinding());
  ASSERT_NE(match, nullptr);
  EXPECT_EQ(match->line, 2);
  EXPECT_EQ(MatchSuppression(Suppressions{}, BankTrace(), RaceFinding()), nullptr);
}

}  // namespace
}  // namespace harness
