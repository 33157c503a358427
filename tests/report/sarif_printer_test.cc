// tests/report/sarif_printer_test.cc: SARIF 2.1.0 output: goldens, a strict JSON parse,
// and the structure the SARIF 2.1.0 specification requires of what the printer emits.
#include "harness/report/sarif_printer.h"

#include <set>
#include <string>

#include "absl/strings/numbers.h"
#include "gtest/gtest.h"
#include "tests/report/report_testing.h"

namespace harness {
namespace {

using namespace report_testing;  // NOLINT: fixture names

std::string Print(const Report& report) {
  FakeSymbolizer fake;
  std::string out;
  SarifPrinter(PrinterOptions{&fake}).Print(BankTrace(), report, &out);
  return out;
}

// The embedded link targets "[text](N)" of a SARIF message (skipping escaped brackets).
std::set<int> LinkTargets(absl::string_view text) {
  std::set<int> targets;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
      continue;
    }
    if (text[i] != ']' || i + 1 >= text.size() || text[i + 1] != '(') continue;
    size_t close = text.find(')', i + 2);
    int id;
    if (close != absl::string_view::npos &&
        absl::SimpleAtoi(text.substr(i + 2, close - i - 2), &id)) {
      targets.insert(id);
    }
  }
  return targets;
}

void ExpectValidLocation(const JsonValue& location) {
  ASSERT_EQ(location.type, JsonValue::Type::kObject);
  if (location.Has("physicalLocation")) {
    const JsonValue& physical = location["physicalLocation"];
    const std::string& uri = physical["artifactLocation"]["uri"].string;
    EXPECT_FALSE(uri.empty());
    EXPECT_EQ(uri.find(' '), std::string::npos);
    if (physical.Has("region")) {
      EXPECT_GE(physical["region"]["startLine"].number, 1);
      if (physical["region"].Has("startColumn")) {
        EXPECT_GE(physical["region"]["startColumn"].number, 1);
      }
    }
  }
  for (const JsonValue& logical : location["logicalLocations"].array) {
    EXPECT_FALSE(logical["fullyQualifiedName"].string.empty());
    EXPECT_EQ(logical["kind"].string, "function");
  }
}

// What SARIF 2.1.0 requires of the parts the printer writes.
void ExpectValidSarif(const std::string& text, size_t results) {
  absl::StatusOr<JsonValue> parsed = ParseJson(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const JsonValue& log = *parsed;
  EXPECT_EQ(log["$schema"].string, kSarifSchemaUri);
  EXPECT_EQ(log["version"].string, "2.1.0");
  ASSERT_EQ(log["runs"].size(), 1u);
  const JsonValue& run = log["runs"][0];
  const JsonValue& driver = run["tool"]["driver"];
  EXPECT_EQ(driver["name"].string, "harness");
  std::vector<std::string> rule_ids;
  for (const JsonValue& rule : driver["rules"].array) {
    rule_ids.push_back(rule["id"].string);
    EXPECT_FALSE(rule["shortDescription"]["text"].string.empty());
    EXPECT_FALSE(rule["fullDescription"]["text"].string.empty());
  }
  EXPECT_EQ(rule_ids, (std::vector<std::string>{"data-race", "lock-order-cycle", "mutex-misuse",
                                                "deadlock"}));
  ASSERT_EQ(run["results"].size(), results);
  for (const JsonValue& result : run["results"].array) {
    const int index = static_cast<int>(result["ruleIndex"].number);
    ASSERT_TRUE(index >= 0 && index < 4);
    EXPECT_EQ(result["ruleId"].string, rule_ids[index]);
    const std::string& level = result["level"].string;
    EXPECT_TRUE(level == "error" || level == "warning") << level;
    EXPECT_EQ(level, driver["rules"][index]["defaultConfiguration"]["level"].string);
    EXPECT_FALSE(result["message"]["text"].string.empty());
    EXPECT_GE(result["occurrenceCount"].number, 1);
    for (const JsonValue& location : result["locations"].array) ExpectValidLocation(location);
    std::set<int> ids;
    for (const JsonValue& related : result["relatedLocations"].array) {
      ExpectValidLocation(related);
      ASSERT_EQ(related["id"].type, JsonValue::Type::kNumber);
      EXPECT_TRUE(ids.insert(static_cast<int>(related["id"].number)).second) << "duplicate id";
    }
    EXPECT_EQ(LinkTargets(result["message"]["text"].string), ids)
        << "every embedded link names a related location, and each is linked";
  }
}

TEST(SarifPrinterTest, DataRace) {
  std::string out = Print(MakeReport({RaceFinding()}));
  ExpectGolden("sarif/race.sarif", out);
  ExpectValidSarif(out, 1);
}

TEST(SarifPrinterTest, TwoLockCycleIsAWarning) {
  std::string out = Print(MakeReport({TwoLockCycleFinding()}));
  ExpectGolden("sarif/cycle2.sarif", out);
  ExpectValidSarif(out, 1);
}

TEST(SarifPrinterTest, ThreeLockCycleLocatesTheUsersFrame) {
  std::string out = Print(MakeReport({ThreeLockCycleFinding()}));
  ExpectGolden("sarif/cycle3.sarif", out);
  ExpectValidSarif(out, 1);
  // The lock_guard edge points at Audit(Account&), not at <mutex>.
  EXPECT_EQ(out.find("std_mutex.h"), std::string::npos);
}

TEST(SarifPrinterTest, EveryMisuseKind) {
  std::string out = Print(MakeReport(MisuseFindings()));
  ExpectGolden("sarif/misuse.sarif", out);
  ExpectValidSarif(out, 8);
}

TEST(SarifPrinterTest, Deadlock) {
  std::string out = Print(MakeReport({DeadlockFinding()}));
  ExpectGolden("sarif/deadlock.sarif", out);
  ExpectValidSarif(out, 1);
}

// A CallOnce waiting for the thread running the callable, and a join: neither is
// "held" or "acquired" like a lock.
TEST(SarifPrinterTest, DeadlockOnAOnceFlagAndAJoin) {
  Trace trace;
  SiteInfo site;
  site.file = "config.cc";
  site.line = 12;
  const SiteId at = trace.AddSite(site);
  ObjectInfo thread_object;
  thread_object.kind = ObjectKind::kThread;
  auto add_thread = [&](const char* name) {
    thread_object.name = name;
    ThreadInfo thread;
    thread.name = name;
    thread.object = trace.AddObject(thread_object);
    return trace.AddThread(thread);
  };
  const ThreadId main = add_thread("main");
  const ThreadId loader = add_thread("loader");
  const ThreadId joiner = add_thread("joiner");
  ObjectInfo flag_info;
  flag_info.kind = ObjectKind::kOnceFlag;
  flag_info.name = "loaded";
  const ObjectId flag = trace.AddObject(flag_info);
  ObjectInfo mutex_info;
  mutex_info.name = "config";
  const ObjectId mutex = trace.AddObject(mutex_info);
  Deadlock deadlock;
  deadlock.threads.push_back({main, flag, at, loader, kNoSite, {{mutex, false, at}}});
  deadlock.threads.push_back({loader, mutex, at, main, at, {}});
  deadlock.threads.push_back({joiner, trace.threads()[loader].object, at, loader, kNoSite, {}});
  FakeSymbolizer fake;
  std::string out;
  SarifPrinter(PrinterOptions{&fake}).Print(trace, MakeReport({Finding{deadlock, 1}}), &out);
  EXPECT_NE(out.find("blocks on once flag M3 'loaded'](1), whose callable is running on "
                     "thread T1 'loader'."),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("blocks on mutex M4 'config'](2), held by thread T0 'main' (acquired "
                     "[here](3))."),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("[blocks on thread T1 'loader'](4)."), std::string::npos) << out;
  ExpectValidSarif(out, 1);
}

TEST(SarifPrinterTest, CountAndSuppressed) {
  Report report = MakeReport({RaceFinding()});
  report.findings[0].count = 3;
  report.suppressed = 2;
  std::string out = Print(report);
  ExpectGolden("sarif/suppressed.sarif", out);
  ExpectValidSarif(out, 1);
  JsonValue log = *ParseJson(out);
  EXPECT_EQ(log["runs"][0]["results"][0]["occurrenceCount"].number, 3);
  EXPECT_EQ(log["runs"][0]["properties"]["suppressed"].number, 2);
}

TEST(SarifPrinterTest, EmptyReportIsAValidLog) {
  std::string out = Print(Report{});
  ExpectValidSarif(out, 0);
}

TEST(SarifPrinterTest, Uris) {
  EXPECT_EQ(SarifUri("examples/bank/account.cc"), "examples/bank/account.cc");
  EXPECT_EQ(SarifUri("/usr/include/c++/12/mutex"), "file:///usr/include/c++/12/mutex");
  EXPECT_EQ(SarifUri("my dir/a%b.cc"), "my%20dir/a%25b.cc");
  EXPECT_EQ(SarifUri("c:x.cc"), "c%3Ax.cc");
  EXPECT_EQ(SarifUri("caf\xc3\xa9.cc"), "caf%C3%A9.cc");
}

TEST(SarifPrinterTest, EscapesBracketsInMessages) {
  EXPECT_EQ(SarifEscape(R"(f<int>() [with T = int] a\b)"), R"(f<int>() \[with T = int\] a\\b)");
  Trace trace = BankTrace();
  trace.AddObject({ObjectKind::kMutex, "m[0]", 0, 0, kNoSite, kNoThread});
  const ObjectId odd = static_cast<ObjectId>(trace.objects().size() - 1);
  Misuse misuse{MisuseKind::kUnlockHeldByOtherThread, kDepositor1, odd, kTeardown,
                kDepositor2, kRefundLockB, 0};
  std::string out;
  FakeSymbolizer fake;
  SarifPrinter(PrinterOptions{&fake}).Print(trace, MakeReport({Finding{misuse, 1}}), &out);
  ExpectValidSarif(out, 1);
  EXPECT_NE(out.find(R"(mutex M9 'm\\[0\\]' by thread T1 'depositor-1'. Thread T2 'depositor-2' holds it, acquired [here](1).)"),
            std::string::npos)
      << out;
}

}  // namespace
}  // namespace harness
