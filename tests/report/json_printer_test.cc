// tests/report/json_printer_test.cc: the "harness-report" JSON schema: goldens, a strict
// parse of every output, references that resolve, and string escaping.
#include "harness/report/json_printer.h"

#include <set>
#include <string>

#include "gtest/gtest.h"
#include "tests/report/report_testing.h"

namespace harness {
namespace {

using namespace report_testing;  // NOLINT: fixture names

std::string Print(const Trace& trace, const Report& report) {
  FakeSymbolizer fake;
  std::string out;
  JsonPrinter(PrinterOptions{&fake}).Print(trace, report, &out);
  return out;
}

JsonValue Parse(const std::string& text) {
  absl::StatusOr<JsonValue> value = ParseJson(text);
  EXPECT_TRUE(value.ok()) << value.status() << "\n" << text;
  return value.ok() ? *value : JsonValue{};
}

// Every thread / object / site id the findings name is in the report's tables.
void ExpectReferencesResolve(const JsonValue& root) {
  std::set<double> threads, objects, sites;
  for (const JsonValue& t : root["threads"].array) threads.insert(t["id"].number);
  for (const JsonValue& o : root["objects"].array) objects.insert(o["id"].number);
  for (const JsonValue& s : root["sites"].array) sites.insert(s["id"].number);
  auto check = [&](const JsonValue& v, const std::set<double>& table, absl::string_view what) {
    if (v.type == JsonValue::Type::kNull) return;
    ASSERT_EQ(v.type, JsonValue::Type::kNumber) << what;
    EXPECT_TRUE(table.contains(v.number)) << what << " " << v.number;
  };
  auto held = [&](const JsonValue& list) {
    for (const JsonValue& h : list.array) {
      check(h["mutex"], objects, "held mutex");
      check(h["acquired_at"], sites, "acquired_at");
    }
  };
  for (const JsonValue& f : root["findings"].array) {
    for (const char* side : {"current", "previous"}) {
      if (!f.Has(side)) continue;
      check(f[side]["thread"], threads, "access thread");
      check(f[side]["object"], objects, "access object");
      check(f[side]["site"], sites, "access site");
      held(f[side]["mutexes"]);
    }
    for (const JsonValue& e : f["edges"].array) {
      check(e["from"], objects, "from");
      check(e["to"], objects, "to");
      check(e["thread"], threads, "edge thread");
      check(e["from_site"], sites, "from_site");
      check(e["to_site"], sites, "to_site");
      held(e["held"]);
    }
    if (f.Has("misuse")) {
      check(f["thread"], threads, "misuse thread");
      check(f["object"], objects, "misuse object");
      check(f["site"], sites, "misuse site");
      check(f["other_thread"], threads, "other_thread");
      check(f["other_site"], sites, "other_site");
    }
    for (const JsonValue& b : f["blocked"].array) {
      check(b["thread"], threads, "blocked thread");
      check(b["waits_for"], objects, "waits_for");
      check(b["site"], sites, "blocked site");
      check(b["holder"], threads, "holder");
      check(b["holder_site"], sites, "holder_site");
      held(b["held"]);
    }
  }
  for (const JsonValue& t : root["threads"].array) {
    check(t["parent"], threads, "parent");
    check(t["creation_site"], sites, "thread creation_site");
  }
  for (const JsonValue& o : root["objects"].array) {
    check(o["creation_site"], sites, "object creation_site");
    check(o["creator"], threads, "creator");
  }
}

void CheckGolden(absl::string_view name, const Report& report) {
  std::string out = Print(BankTrace(), report);
  ExpectGolden(name, out);
  JsonValue root = Parse(out);
  EXPECT_EQ(root["schema"].string, "harness-report");
  EXPECT_EQ(root["version"].number, 1);
  EXPECT_EQ(root["findings"].size(), report.findings.size());
  ExpectReferencesResolve(root);
}

TEST(JsonPrinterTest, DataRace) { CheckGolden("json/race.json", MakeReport({RaceFinding()})); }

TEST(JsonPrinterTest, TwoLockCycle) {
  CheckGolden("json/cycle2.json", MakeReport({TwoLockCycleFinding()}));
}

TEST(JsonPrinterTest, ThreeLockCycleWithSymbolizedStack) {
  CheckGolden("json/cycle3.json", MakeReport({ThreeLockCycleFinding()}));
}

TEST(JsonPrinterTest, EveryMisuseKind) {
  Report report = MakeReport(MisuseFindings());
  CheckGolden("json/misuse.json", report);
  JsonValue root = Parse(Print(BankTrace(), report));
  std::vector<std::string> kinds;
  for (const JsonValue& f : root["findings"].array) kinds.push_back(f["misuse"].string);
  EXPECT_EQ(kinds, (std::vector<std::string>{
                       "unlock-not-held", "unlock-held-by-other-thread", "relock-non-recursive",
                       "destroy-locked", "wait-without-mutex", "thread-destroyed-joinable",
                       "unlock-shared-not-held", "destroyed-while-waited-on"}));
}

TEST(JsonPrinterTest, Deadlock) {
  CheckGolden("json/deadlock.json", MakeReport({DeadlockFinding()}));
}

TEST(JsonPrinterTest, CountAndSuppressed) {
  Report report = MakeReport({RaceFinding()});
  report.test_name.clear();
  report.findings[0].count = 3;
  report.suppressed = 2;
  report.lock_order_cycles_truncated = true;
  CheckGolden("json/suppressed.json", report);
}

TEST(JsonPrinterTest, EmptyReport) {
  EXPECT_EQ(Print(BankTrace(), Report{}), R"({
  "schema": "harness-report",
  "version": 1,
  "test": "",
  "findings": [],
  "suppressed": 0,
  "lock_order_cycles_truncated": false,
  "threads": [],
  "objects": [],
  "sites": []
}
)");
}

TEST(JsonPrinterTest, EscapesStrings) {
  Trace trace = BankTrace();
  // Quotes, backslash, control characters, DEL, valid UTF-8 (2, 3 and 4 bytes), then
  // invalid UTF-8 (a lone continuation byte, a truncated sequence, an overlong '/').
  const std::string name =
      "q\"b\\s/n\nt\tc\x01\x1f" "d\x7f" "\xc3\xa9\xe2\x82\xac\xf0\x9f\x94\x92"
      "\x80" "\xe2\x82" "\xc0\xaf";
  trace.AddObject({ObjectKind::kMutex, name, 0, 0, kNoSite, kNoThread});
  const ObjectId odd = static_cast<ObjectId>(trace.objects().size() - 1);
  Misuse misuse{MisuseKind::kUnlockNotHeld, kMain, odd, kTeardown, kNoThread, kNoSite, 0};
  Report report = MakeReport({Finding{misuse, 1}});
  report.test_name = "Suite.\"Name\"";
  std::string out = Print(trace, report);
  EXPECT_NE(out.find(R"("name": "q\"b\\s/n\nt\tc\u0001\u001fd\u007f)"
                     "\xc3\xa9\xe2\x82\xac\xf0\x9f\x94\x92"
                     R"(\ufffd\ufffd\ufffd\ufffd\ufffd")"),
            std::string::npos)
      << out;
  JsonValue root = Parse(out);
  EXPECT_EQ(root["test"].string, "Suite.\"Name\"");
  const JsonValue& object = root["objects"][0];
  EXPECT_EQ(object["name"].string,
            "q\"b\\s/n\nt\tc\x01\x1f" "d\x7f" "\xc3\xa9\xe2\x82\xac\xf0\x9f\x94\x92"
            "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
}

TEST(JsonParserTest, RejectsInvalidJson) {
  for (const char* bad : {"", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{\"a\":1,\"a\":2}",
                          "\"\x01\"", "\"\\x\"", "01", "1.", "[1] x", "{'a':1}", "nul",
                          "\"\\ud800\"", "\"\xff\""}) {
    EXPECT_FALSE(ParseJson(bad).ok()) << bad;
  }
  absl::StatusOr<JsonValue> good = ParseJson(R"( {"a": [1, -2.5e3, true, null, "\u00e9\ud83d\udd12"]} )");
  ASSERT_TRUE(good.ok()) << good.status();
  EXPECT_EQ((*good)["a"][1].number, -2500);
  EXPECT_EQ((*good)["a"][4].string, "\xc3\xa9\xf0\x9f\x94\x92");
}

}  // namespace
}  // namespace harness
