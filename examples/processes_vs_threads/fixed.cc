// examples/processes_vs_threads/fixed.cc: the same work in two forked child processes,
// each on its own copy of the total. The harness reports nothing: the children's
// accesses are in other address spaces, and none of them reaches this process's
// recording (checked below).
#include "examples/processes_vs_threads/processes_vs_threads.h"
#include "gtest/gtest.h"

namespace processes_vs_threads {
namespace {

TEST(ProcessesVsThreadsFixed, TwoChildProcessesEachWithTheirOwnCopy) {
  ProcessSums sums = SumInChildProcesses();
  EXPECT_EQ(sums.total, 5050);
  EXPECT_EQ(sums.parent_total, 0);  // the children changed their copies, not ours

  // This process recorded no write at all: the children's 100 stores stayed in theirs.
  harness::Trace trace = harness::CollectTrace();
  int writes = 0;
  for (const harness::Event& event : trace.events()) {
    if (event.kind == harness::EventKind::kWrite) ++writes;
  }
  EXPECT_EQ(writes, 0);
}

}  // namespace
}  // namespace processes_vs_threads
