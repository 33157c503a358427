// Tests of trace_check (RunTraceCheck, in process) on hand-written STD traces with known
// answers: races across fork/join and locks, lock-order cycles and each lock-order
// filter, every kind of bad input with its exact FILE:LINE message and exit status 2,
// the report formats, suppressions, binary input (misuse, truncation), and conversion to
// STD (binary -> STD -> analysed gives the same findings).
#include "tools/trace_check.h"

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/check/analyze.h"
#include "harness/report/finding.h"
#include "harness/trace/std_format.h"
#include "harness/trace/trace.h"
#include "harness/trace/trace_file.h"
#include "harness/trace/trace_reader.h"
#include "tests/testing/trace_builder.h"
#include "tools/bench/trace_generator.h"

namespace harness {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

std::string Testdata(absl::string_view name) {
  return absl::StrCat("tests/tools/testdata/", name);
}

std::string TempPath(absl::string_view name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return absl::StrCat(dir != nullptr ? dir : "/tmp", "/", name);
}

std::string WriteTemp(absl::string_view name, absl::string_view content) {
  std::string path = TempPath(name);
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

struct CheckRun {
  int code = -1;
  std::string out;
  std::string err;
};

CheckRun Check(TraceCheckOptions options) {
  options.progress = ProgressMode::kNever;
  std::ostringstream out;
  std::ostringstream err;
  CheckRun run;
  run.code = RunTraceCheck(options, out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

CheckRun Check(const std::string& path) {
  TraceCheckOptions options;
  options.input = path;
  return Check(options);
}

// A trace and the report Analyze() makes of it, to assert findings exactly.
struct Analysed {
  Trace trace;
  Report report;

  std::string Site(SiteId site) const { return trace.sites().at(site).file; }
  std::string Thread(ThreadId thread) const { return trace.threads().at(thread).name; }
  std::string Object(ObjectId object) const { return trace.objects().at(object).name; }
};

Analysed AnalyseStd(const std::string& path) {
  absl::StatusOr<std::unique_ptr<TraceReader>> reader = OpenTraceReader(path, TraceFormat::kStd);
  EXPECT_TRUE(reader.ok()) << reader.status();
  absl::StatusOr<Trace> trace = ReadWholeTrace(**reader);
  EXPECT_TRUE(trace.ok()) << trace.status();
  Analysed result{*std::move(trace), {}};
  result.report = Analyze(result.trace, AnalysisOptions{});
  return result;
}

// ---- races

TEST(TraceCheckTest, RaceAfterForkIsReportedInTheFilesOwnNames) {
  CheckRun run = Check(Testdata("race_after_fork.std"));
  EXPECT_EQ(run.code, kExitFindings);
  EXPECT_EQ(run.out,
            "==================\n"
            "WARNING: harness: data race\n"
            "  Write of size 8 to 'x' by thread T0 (mutexes: none):\n"
            "    #0 main.c:3\n"
            "  Previous write of size 8 by thread T1 (mutexes: none):\n"
            "    #0 worker.c:10\n"
            "  Location is shared variable x of size 8 at 0x100000000.\n"
            "  Thread T1 created by thread T0 at:\n"
            "    #0 main.c:2\n"
            "SUMMARY: harness: data race main.c:3\n"
            "==================\n");
  EXPECT_EQ(run.err, "trace_check: tests/tools/testdata/race_after_fork.std: 8 events, "
                     "2 threads: 1 finding\n");
}

TEST(TraceCheckTest, RaceAfterForkExactFinding) {
  Analysed a = AnalyseStd(Testdata("race_after_fork.std"));
  ASSERT_EQ(a.report.findings.size(), 1u);
  const auto& race = std::get<DataRace>(a.report.findings[0].details);
  EXPECT_EQ(a.Site(race.current.site), "main.c:3");
  EXPECT_EQ(a.Site(race.previous.site), "worker.c:10");
  EXPECT_EQ(a.Thread(race.current.thread), "T0");
  EXPECT_EQ(a.Thread(race.previous.thread), "T1");
  EXPECT_EQ(a.Object(race.current.object), "x");
  EXPECT_TRUE(race.current.is_write);
  EXPECT_TRUE(race.previous.is_write);
}

TEST(TraceCheckTest, AccessesUnderTheSameLockAndAfterJoinAreClean) {
  CheckRun run = Check(Testdata("guarded.std"));
  EXPECT_EQ(run.code, kExitNothingFound) << run.out << run.err;
  EXPECT_EQ(run.out, "");
}

TEST(TraceCheckTest, AccessesUnderDifferentLocksRace) {
  Analysed a = AnalyseStd(Testdata("different_locks.std"));
  ASSERT_EQ(a.report.findings.size(), 1u);
  const auto& race = std::get<DataRace>(a.report.findings[0].details);
  EXPECT_EQ(a.Site(race.current.site), "21");
  EXPECT_EQ(a.Site(race.previous.site), "11");
  EXPECT_EQ(a.Thread(race.current.thread), "T2");
  EXPECT_EQ(a.Thread(race.previous.thread), "T1");
  EXPECT_EQ(a.Object(race.current.object), "balance");
  ASSERT_EQ(race.current.held.size(), 1u);
  EXPECT_EQ(a.Object(race.current.held[0].mutex), "L2");
  ASSERT_EQ(race.previous.held.size(), 1u);
  EXPECT_EQ(a.Object(race.previous.held[0].mutex), "L1");
  EXPECT_EQ(Check(Testdata("different_locks.std")).code, kExitFindings);
}

TEST(TraceCheckTest, ReentrantLockIsARecursiveReentryNotAMisuse) {
  CheckRun run = Check(Testdata("reentrant.std"));
  EXPECT_EQ(run.code, kExitNothingFound) << run.out << run.err;
}

TEST(TraceCheckTest, CrlfBlankLinesAndAMissingFinalNewlineAreAccepted) {
  Analysed a = AnalyseStd(Testdata("crlf_no_final_newline.std"));
  ASSERT_EQ(a.report.findings.size(), 1u);
  const auto& race = std::get<DataRace>(a.report.findings[0].details);
  EXPECT_EQ(a.Site(race.current.site), "3");
  EXPECT_EQ(a.Site(race.previous.site), "2");
}

// ---- lock order: a cycle, and one trace per filter that must not be reported

TEST(TraceCheckTest, TwoThreadCycleIsReported) {
  Analysed a = AnalyseStd(Testdata("cycle2.std"));
  ASSERT_EQ(a.report.findings.size(), 1u);
  const auto& cycle = std::get<LockOrderCycle>(a.report.findings[0].details);
  ASSERT_EQ(cycle.edges.size(), 2u);
  EXPECT_EQ(a.Object(cycle.edges[0].from), "L1");
  EXPECT_EQ(a.Object(cycle.edges[0].to), "L2");
  EXPECT_EQ(a.Thread(cycle.edges[0].thread), "T1");
  EXPECT_EQ(a.Site(cycle.edges[0].from_site), "10");
  EXPECT_EQ(a.Site(cycle.edges[0].to_site), "11");
  EXPECT_EQ(a.Object(cycle.edges[1].from), "L2");
  EXPECT_EQ(a.Object(cycle.edges[1].to), "L1");
  EXPECT_EQ(a.Thread(cycle.edges[1].thread), "T2");
  EXPECT_EQ(a.Site(cycle.edges[1].from_site), "20");
  EXPECT_EQ(a.Site(cycle.edges[1].to_site), "21");

  CheckRun run = Check(Testdata("cycle2.std"));
  EXPECT_EQ(run.code, kExitFindings);
  EXPECT_THAT(run.out, HasSubstr("Cycle in lock order graph: L1 => L2 => L1\n"));
}

TEST(TraceCheckTest, ThreeThreadCycleIsReported) {
  Analysed a = AnalyseStd(Testdata("cycle3.std"));
  ASSERT_EQ(a.report.findings.size(), 1u);
  const auto& cycle = std::get<LockOrderCycle>(a.report.findings[0].details);
  ASSERT_EQ(cycle.edges.size(), 3u);
  std::vector<std::string> threads;
  for (const LockOrderEdge& edge : cycle.edges) threads.push_back(a.Thread(edge.thread));
  EXPECT_THAT(threads, ElementsAre("A", "B", "C"));
}

// Each filter: the graph has both edges (drawn in --dot), but no cycle is reported.
void ExpectEdgesButNoCycle(absl::string_view file) {
  TraceCheckOptions options;
  options.input = Testdata(file);
  options.dot_file = TempPath(absl::StrCat(file, ".dot"));
  CheckRun run = Check(options);
  EXPECT_EQ(run.code, kExitNothingFound) << file << "\n" << run.out << run.err;
  EXPECT_EQ(run.out, "") << file;
  const std::string dot = ReadFile(options.dot_file);
  EXPECT_THAT(dot, HasSubstr("digraph")) << file;
  EXPECT_THAT(dot, HasSubstr("[label=\"L1\"]")) << dot;
  EXPECT_THAT(dot, HasSubstr("[label=\"L2\"]")) << dot;
  EXPECT_THAT(dot, Not(HasSubstr("color=red"))) << dot;
}

TEST(TraceCheckTest, CycleWithinOneThreadIsNotReported) {
  ExpectEdgesButNoCycle("cycle_same_thread.std");
}

TEST(TraceCheckTest, CycleUnderAGateLockIsNotReported) {
  ExpectEdgesButNoCycle("cycle_gate_lock.std");
}

TEST(TraceCheckTest, CycleOrderedByForkIsNotReported) {
  ExpectEdgesButNoCycle("cycle_ordered_by_fork.std");
}

TEST(TraceCheckTest, CycleOrderedByJoinIsNotReported) {
  ExpectEdgesButNoCycle("cycle_ordered_by_join.std");
}

TEST(TraceCheckTest, DotDrawsTheReportedCycleRed) {
  TraceCheckOptions options;
  options.input = Testdata("cycle2.std");
  options.dot_file = TempPath("cycle2.dot");
  EXPECT_EQ(Check(options).code, kExitFindings);
  const std::string dot = ReadFile(options.dot_file);
  EXPECT_THAT(dot, HasSubstr("color=red"));
}

// ---- bad input: FILE:LINE: what is wrong, exit 2, never a crash

struct BadInput {
  std::string text;
  std::string message;  // after "FILE:"
};

TEST(TraceCheckTest, EveryMalformedLineIsNamedWithItsLine) {
  const std::vector<BadInput> cases = {
      {"T1|foo(L1)|3\n", "1: unknown operation 'foo' (expected r, w, acq, rel, fork or join)"},
      {"T1|w(x)|1\nT1|read|2\n",
       "2: unknown operation 'read' (expected r, w, acq, rel, fork or join)"},
      {"T1|r(V1)\n",
       "1: missing location field in 'T1|r(V1)' (expected THREAD|OP(OPERAND)|LOCATION)"},
      {"T1\n", "1: missing operation field in 'T1' (expected THREAD|OP(OPERAND)|LOCATION)"},
      {"T1|r(x)|\n", "1: empty location field in 'T1|r(x)|'"},
      {"|r(x)|1\n", "1: empty thread name in '|r(x)|1'"},
      {"T1|r(x)|1|2\n",
       "1: unexpected fourth field in 'T1|r(x)|1|2' (expected THREAD|OP(OPERAND)|LOCATION)"},
      {"T1|acq(L1|3\n", "1: malformed operation 'acq(L1' (expected OP(OPERAND), e.g. acq(L1))"},
      {"T1|r()|3\n", "1: empty operand in 'r()'"},
      {"T(|w(x)|1\n",
       "1: malformed thread name 'T(' (a name may not contain '(', ')' or a carriage return)"},
      {"T1|w(x\r)|1\n", "1: malformed operand in 'w(x\r)'"},
      {"T1|w(x)|a\rb\n", "1: carriage return inside the location field in 'T1|w(x)|a\rb'"},
      {"T1|rel(L1)|4\n", "1: rel(L1) by T1, which does not hold L1"},
      {"T1|acq(L1)|1\nT2|rel(L1)|2\n",
       "2: rel(L1) by T2, which does not hold L1 (T1 holds it since line 1)"},
      {"T1|acq(L1)|1\nT2|acq(L1)|2\n",
       "2: acq(L1) by T2 while T1 holds L1 (acquired at line 1)"},
      {"T1|join(T9)|1\n", "1: join(T9) of a thread never seen"},
      {"T1|join(T1)|1\n", "1: join(T1) by T1 itself"},
      {"T1|fork(T1)|1\n", "1: fork(T1) by T1 itself"},
      {"T1|fork(T2)|1\nT2|w(x)|2\nT1|join(T2)|3\nT1|join(T2)|4\n",
       "4: join(T2) of a thread already joined at line 3"},
      {"T1|fork(T2)|1\nT1|join(T2)|2\nT2|w(x)|3\n", "3: T2 acts after it was joined at line 2"},
      {"T2|w(x)|1\nT1|fork(T2)|2\n", "2: fork(T2) of a thread already running (since line 1)"},
      {"T1|fork(T2)|1\nT1|fork(T2)|2\n", "2: fork(T2) of a thread already forked (since line 1)"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    const std::string path = WriteTemp(absl::StrCat("bad", i, ".std"), cases[i].text);
    CheckRun run = Check(path);
    EXPECT_EQ(run.code, kExitUnusableInput) << cases[i].text;
    EXPECT_EQ(run.err, absl::StrCat("trace_check: ", path, ":", cases[i].message, "\n"))
        << cases[i].text;
    EXPECT_EQ(run.out, "");
  }
}

TEST(TraceCheckTest, MissingFileIsUnusable) {
  const std::string path = TempPath("no-such-trace.std");
  CheckRun run = Check(path);
  EXPECT_EQ(run.code, kExitUnusableInput);
  EXPECT_EQ(run.err, absl::StrCat("trace_check: cannot open ", path, ": No such file or directory\n"));
  EXPECT_EQ(run.out, "");
  EXPECT_THAT(run.err, HasSubstr("cannot open"));
  EXPECT_THAT(run.err, HasSubstr("no-such-trace.std"));
}

TEST(TraceCheckTest, StdForcedToBinaryIsABadMagic) {
  TraceCheckOptions options;
  options.input = Testdata("cycle2.std");
  options.format = TraceFormat::kBinary;
  CheckRun run = Check(options);
  EXPECT_EQ(run.code, kExitUnusableInput);
  EXPECT_THAT(run.err, HasSubstr("cycle2.std: bad magic at byte offset 0"));
  EXPECT_EQ(run.err, absl::StrCat("trace_check: ", options.input, ": ",
                                  DecodeTrace(ReadFile(options.input)).status().message(), "\n"));
  EXPECT_EQ(run.out, "");
}

// ---- options

TEST(TraceCheckTest, ReportFormats) {
  TraceCheckOptions options;
  options.input = Testdata("race_after_fork.std");
  options.output = "json";
  CheckRun json = Check(options);
  EXPECT_EQ(json.code, kExitFindings);
  EXPECT_THAT(json.out, HasSubstr("\"data-race\""));
  EXPECT_THAT(json.out, HasSubstr("worker.c:10"));
  options.output = "sarif";
  CheckRun sarif = Check(options);
  EXPECT_EQ(sarif.code, kExitFindings);
  EXPECT_THAT(sarif.out, HasSubstr("\"2.1.0\""));
  options.output = "xml";
  CheckRun bad = Check(options);
  EXPECT_EQ(bad.code, kExitUnusableInput);
  EXPECT_THAT(bad.err, HasSubstr("unknown report format 'xml'"));
}

TEST(TraceCheckTest, AnalysesCanBeChosen) {
  TraceCheckOptions options;
  options.input = Testdata("different_locks.std");
  options.analyses = "lock_order,misuse";
  EXPECT_EQ(Check(options).code, kExitNothingFound);
  options.input = Testdata("cycle2.std");
  options.analyses = "races";
  EXPECT_EQ(Check(options).code, kExitNothingFound);
  options.analyses = "races,deadlocks";
  CheckRun bad = Check(options);
  EXPECT_EQ(bad.code, kExitUnusableInput);
  EXPECT_THAT(bad.err, HasSubstr("unknown analysis 'deadlocks'"));
}

TEST(TraceCheckTest, SuppressionsAreHonoured) {
  TraceCheckOptions options;
  options.input = Testdata("race_after_fork.std");
  options.suppressions_file = WriteTemp("race.supp", "# known\nrace:worker.c\n");
  CheckRun run = Check(options);
  EXPECT_EQ(run.code, kExitNothingFound);
  EXPECT_THAT(run.out, HasSubstr("1 finding suppressed"));
  EXPECT_THAT(run.err, HasSubstr("0 findings (1 suppressed)"));
  options.suppressions_file = WriteTemp("bad.supp", "racy:x\n");
  CheckRun bad = Check(options);
  EXPECT_EQ(bad.code, kExitUnusableInput);
  EXPECT_EQ(bad.err, absl::StrCat("trace_check: ", options.suppressions_file,
                                  ":1: unknown suppression type 'racy' (known types: race, "
                                  "deadlock, mutex, thread)\n"));
  EXPECT_EQ(bad.out, "");
}

// ---- binary input

using trace_testing::TraceBuilder;

TEST(TraceCheckTest, BinaryTraceWithAMisuse) {
  TraceBuilder b;
  ThreadId main = b.Thread("main");
  ObjectId m = b.Mutex("accounts");
  b.Unlock(main, m, 7);
  const std::string path = TempPath("misuse.trace");
  ASSERT_TRUE(WriteTraceFile(b.trace(), path).ok());
  CheckRun run = Check(path);
  EXPECT_EQ(run.code, kExitFindings);
  EXPECT_THAT(run.out, HasSubstr("WARNING: harness: unlock of an unlocked mutex"));
  EXPECT_THAT(run.out, HasSubstr("M1 'accounts'"));
}

TEST(TraceCheckTest, TruncatedBinaryTraceIsUnusable) {
  TraceBuilder b;
  ThreadId main = b.Thread("main");
  ObjectId m = b.Mutex("accounts");
  b.Lock(main, m, 7);
  b.Unlock(main, m, 8);
  std::string bytes = EncodeTrace(b.trace());
  bytes.resize(bytes.size() - 12);  // into the last event
  const std::string path = WriteTemp("truncated.trace", bytes);
  CheckRun run = Check(path);
  EXPECT_EQ(run.code, kExitUnusableInput);
  EXPECT_EQ(run.err, absl::StrCat("trace_check: ", path, ": ",
                                  DecodeTrace(bytes).status().message(), "\n"));
  EXPECT_THAT(run.err, HasSubstr("trace file truncated at byte offset"));
}

// ---- conversion

// What a finding is about, in words both formats share: kind and location texts.
std::vector<std::string> Normalized(const Trace& trace, const Report& report) {
  auto site = [&](SiteId s) {
    const SiteInfo& info = trace.sites().at(s);
    return info.line == 0 ? info.file : absl::StrCat(info.file, ":", info.line);
  };
  std::vector<std::string> result;
  for (const Finding& finding : report.findings) {
    if (const auto* race = std::get_if<DataRace>(&finding.details)) {
      result.push_back(absl::StrCat("race ", site(race->current.site), " ",
                                    site(race->previous.site)));
    } else if (const auto* cycle = std::get_if<LockOrderCycle>(&finding.details)) {
      std::string text = "cycle";
      for (const LockOrderEdge& edge : cycle->edges) {
        absl::StrAppend(&text, " ", site(edge.from_site), ">", site(edge.to_site));
      }
      result.push_back(text);
    } else {
      result.push_back(absl::StrCat("other ", static_cast<int>(finding.kind())));
    }
  }
  std::sort(result.begin(), result.end());
  return result;
}

Report AnalyseFile(const std::string& path, Trace* tables) {
  absl::StatusOr<std::unique_ptr<TraceReader>> reader = OpenTraceReader(path, TraceFormat::kAuto);
  EXPECT_TRUE(reader.ok()) << reader.status();
  absl::StatusOr<Trace> trace = ReadWholeTrace(**reader);
  EXPECT_TRUE(trace.ok()) << trace.status();
  *tables = *std::move(trace);
  return Analyze(*tables, AnalysisOptions{});
}

TEST(TraceCheckTest, ConvertingABinaryTraceToStdKeepsItsFindings) {
  // As the recorder would record it: named threads, a Shared<long> at a real-looking
  // address, two mutexes, a race and a lock-order cycle.
  TraceBuilder b;
  ThreadId main = b.Thread("main");
  ThreadId t1 = b.Thread("worker-1", main);
  ThreadId t2 = b.Thread("worker-2", main);
  ObjectId balance = b.Object(ObjectKind::kSharedVariable, "balance", 0x7f0012345678, 8);
  ObjectId a = b.Mutex("a");
  ObjectId m = b.Mutex("b");
  b.Spawn(main, t1, 1);
  b.Spawn(main, t2, 2);
  b.Lock(t1, a, 10);
  b.Lock(t1, m, 11);
  b.Access(t1, EventKind::kWrite, 0x7f0012345678, 8, 12);
  b.Unlock(t1, m, 13);
  b.Unlock(t1, a, 14);
  b.Access(t2, EventKind::kRead, 0x7f0012345678, 8, 24);  // unguarded: races
  b.Lock(t2, m, 20);
  b.Lock(t2, a, 21);
  b.Unlock(t2, a, 22);
  b.Unlock(t2, m, 23);
  b.Join(main, t1, 3);
  b.Join(main, t2, 4);
  b.Access(main, EventKind::kWrite, 0x7f0012345678, 8, 5);
  (void)balance;
  const std::string binary = TempPath("convert.trace");
  ASSERT_TRUE(WriteTraceFile(b.trace(), binary).ok());

  TraceCheckOptions options;
  options.input = binary;
  options.convert = "std";
  options.convert_output = TempPath("convert.std");
  CheckRun run = Check(options);
  ASSERT_EQ(run.code, kExitNothingFound) << run.err;
  EXPECT_EQ(ReadFile(options.convert_output),
            "T0|fork(T1)|test.cc:1\n"
            "T0|fork(T2)|test.cc:2\n"
            "T1|acq(M4)|test.cc:10\n"
            "T1|acq(M5)|test.cc:11\n"
            "T1|w(M3)|test.cc:12\n"
            "T1|rel(M5)|test.cc:13\n"
            "T1|rel(M4)|test.cc:14\n"
            "T2|r(M3)|test.cc:24\n"
            "T2|acq(M5)|test.cc:20\n"
            "T2|acq(M4)|test.cc:21\n"
            "T2|rel(M4)|test.cc:22\n"
            "T2|rel(M5)|test.cc:23\n"
            "T0|join(T1)|test.cc:3\n"
            "T0|join(T2)|test.cc:4\n"
            "T0|w(M3)|test.cc:5\n");

  Trace from_binary;
  Trace from_std;
  const Report binary_report = AnalyseFile(binary, &from_binary);
  const Report std_report = AnalyseFile(options.convert_output, &from_std);
  EXPECT_THAT(Normalized(from_binary, binary_report),
              ElementsAre("cycle test.cc:10>test.cc:11 test.cc:20>test.cc:21",
                          "race test.cc:24 test.cc:12"));
  EXPECT_EQ(Normalized(from_std, std_report), Normalized(from_binary, binary_report));
}

TEST(TraceCheckTest, ConvertingStdToStdIsTheIdentity) {
  for (absl::string_view file : {"cycle3.std", "guarded.std", "reentrant.std"}) {
    TraceCheckOptions options;
    options.input = Testdata(file);
    options.convert = "std";
    CheckRun run = Check(options);
    EXPECT_EQ(run.code, kExitNothingFound);
    EXPECT_EQ(run.out, ReadFile(Testdata(file))) << file;
  }
}

TEST(TraceCheckTest, UnknownConversionIsUnusable) {
  TraceCheckOptions options;
  options.input = Testdata("cycle2.std");
  options.convert = "csv";
  CheckRun run = Check(options);
  EXPECT_EQ(run.code, kExitUnusableInput);
  EXPECT_THAT(run.err, HasSubstr("unknown --convert format 'csv'"));
}

// The benchmark's generator writes one execution in both formats: both analyses agree,
// and converting the binary one to STD gives the same findings again.
TEST(TraceCheckTest, GeneratedTraceGivesTheSameFindingsInBothFormats) {
  TraceShape shape;
  shape.events = 20000;
  shape.variables = 200;
  shape.locks = 8;
  shape.racy_share = 0.02;
  const std::string std_path = TempPath("generated.std");
  const std::string binary_path = TempPath("generated.trace");
  ASSERT_TRUE(WriteGeneratedTraces(shape, std_path, binary_path).ok());
  Trace from_std;
  Trace from_binary;
  const Report std_report = AnalyseFile(std_path, &from_std);
  const Report binary_report = AnalyseFile(binary_path, &from_binary);
  const std::vector<std::string> findings = Normalized(from_std, std_report);
  EXPECT_GT(findings.size(), 1u);
  EXPECT_EQ(findings, Normalized(from_binary, binary_report));

  TraceCheckOptions options;
  options.input = binary_path;
  options.convert = "std";
  options.convert_output = TempPath("generated_converted.std");
  ASSERT_EQ(Check(options).code, kExitNothingFound);
  Trace converted;
  const Report converted_report = AnalyseFile(options.convert_output, &converted);
  EXPECT_EQ(Normalized(converted, converted_report), findings);
}

}  // namespace
}  // namespace harness
