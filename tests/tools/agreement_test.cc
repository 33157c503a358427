// Agreement of the race analysis with a plain vector-clock detector on random STD traces
// (seeded), where happens-before alone decides: forks, joins and locks. The brute-force
// detector here computes every event's vector clock and compares every pair of
// accesses. The analyzer (FastTrack) must find exactly the same set of racing variables
// (it reports at least the first race on each), and every pair of locations it reports
// must be a racing pair of the brute-force detector.
#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "harness/check/analyze.h"
#include "harness/trace/std_format.h"

namespace harness {
namespace {

struct Access {
  int thread;
  int variable;
  bool write;
  std::string location;
  std::vector<int> clock;
};

struct RandomTrace {
  std::string text;
  std::vector<Access> accesses;  // with their vector clocks, in trace order
};

// A random well-formed STD trace and, computed along, every access's vector clock.
RandomTrace Generate(uint64_t seed) {
  std::mt19937_64 random(seed);
  auto below = [&](int n) { return static_cast<int>(random() % static_cast<uint64_t>(n)); };
  const int threads = 2 + below(4);
  const int locks = below(4);
  const int variables = 1 + below(4);
  const int steps = 20 + below(120);

  RandomTrace result;
  std::vector<std::vector<int>> clock(threads, std::vector<int>(threads, 0));
  std::vector<std::vector<int>> released(locks, std::vector<int>(threads, 0));
  std::vector<int> holder(locks, -1);
  std::vector<std::vector<int>> held(threads);
  // 0: not forked yet, 1: running, 2: joined. Thread 0 runs from the start.
  std::vector<int> state(threads, 0);
  state[0] = 1;
  clock[0][0] = 1;
  int line = 0;
  auto emit = [&](int t, const std::string& op) {
    const std::string location = absl::StrCat(++line);
    absl::StrAppend(&result.text, "T", t, "|", op, "|", location, "\n");
    return location;
  };
  auto join_clock = [](std::vector<int>& into, const std::vector<int>& from) {
    for (size_t i = 0; i < into.size(); ++i) into[i] = std::max(into[i], from[i]);
  };

  for (int step = 0; step < steps; ++step) {
    std::vector<int> running;
    for (int t = 0; t < threads; ++t) {
      if (state[t] == 1) running.push_back(t);
    }
    const int t = running[below(static_cast<int>(running.size()))];
    const int what = below(100);
    if (what < 10) {  // fork a thread not yet forked
      int child = -1;
      for (int c = 1; c < threads; ++c) {
        if (state[c] == 0) {
          child = c;
          break;
        }
      }
      if (child < 0) continue;
      emit(t, absl::StrCat("fork(T", child, ")"));
      clock[child] = clock[t];
      clock[child][child] = 1;
      ++clock[t][t];
      state[child] = 1;
    } else if (what < 15) {  // join a running thread that holds no lock
      if (t != 0) continue;
      int child = -1;
      for (int c = 1; c < threads; ++c) {
        if (state[c] == 1 && held[c].empty()) child = c;
      }
      if (child < 0) continue;
      emit(t, absl::StrCat("join(T", child, ")"));
      join_clock(clock[t], clock[child]);
      state[child] = 2;
    } else if (what < 35 && locks > 0) {  // acquire a free lock
      const int l = below(locks);
      if (holder[l] != -1) continue;
      emit(t, absl::StrCat("acq(L", l, ")"));
      join_clock(clock[t], released[l]);
      holder[l] = t;
      held[t].push_back(l);
    } else if (what < 55 && !held[t].empty()) {  // release a held lock (any order)
      const int k = below(static_cast<int>(held[t].size()));
      const int l = held[t][k];
      held[t].erase(held[t].begin() + k);
      emit(t, absl::StrCat("rel(L", l, ")"));
      released[l] = clock[t];
      holder[l] = -1;
      ++clock[t][t];
    } else {  // access
      const int v = below(variables);
      const bool write = below(2) == 0;
      const std::string location = emit(t, absl::StrCat(write ? "w" : "r", "(V", v, ")"));
      result.accesses.push_back(Access{t, v, write, location, clock[t]});
    }
  }
  return result;
}

bool HappensBefore(const Access& a, const Access& b) {
  return a.clock[a.thread] <= b.clock[a.thread];
}

TEST(AgreementTest, RacingVariablesEqualThoseOfAPlainVectorClockDetector) {
  int traces_with_races = 0;
  int traces_without = 0;
  for (uint64_t seed = 1; seed <= 400; ++seed) {
    const RandomTrace generated = Generate(seed);
    // Brute force: every pair.
    std::set<std::string> racing_variables;
    std::set<std::pair<std::string, std::string>> racing_pairs;
    for (size_t j = 0; j < generated.accesses.size(); ++j) {
      for (size_t i = 0; i < j; ++i) {
        const Access& a = generated.accesses[i];
        const Access& b = generated.accesses[j];
        if (a.variable != b.variable || a.thread == b.thread || (!a.write && !b.write)) continue;
        if (HappensBefore(a, b)) continue;
        racing_variables.insert(absl::StrCat("V", a.variable));
        racing_pairs.insert({a.location, b.location});
      }
    }

    absl::StatusOr<Trace> trace = ParseStdTrace(generated.text, "random.std");
    ASSERT_TRUE(trace.ok()) << trace.status() << "\n" << generated.text;
    AnalysisOptions options;
    options.lock_order = false;
    options.misuse = false;
    const Report report = Analyze(*trace, options);
    std::set<std::string> reported_variables;
    for (const Finding& finding : report.findings) {
      const auto& race = std::get<DataRace>(finding.details);
      const std::string variable = trace->objects().at(race.current.object).name;
      EXPECT_EQ(trace->objects().at(race.previous.object).name, variable);
      reported_variables.insert(variable);
      const std::string earlier = trace->sites().at(race.previous.site).file;
      const std::string later = trace->sites().at(race.current.site).file;
      EXPECT_TRUE(racing_pairs.contains({earlier, later}))
          << "seed " << seed << ": reported " << earlier << " / " << later
          << " is no race\n" << generated.text;
    }
    EXPECT_EQ(reported_variables, racing_variables) << "seed " << seed << "\n" << generated.text;
    (racing_variables.empty() ? traces_without : traces_with_races)++;
  }
  // The generator makes both kinds, so the comparison means something.
  EXPECT_GT(traces_with_races, 50);
  EXPECT_GT(traces_without, 20);
}

}  // namespace
}  // namespace harness
