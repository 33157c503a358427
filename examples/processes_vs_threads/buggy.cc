// examples/processes_vs_threads/buggy.cc: two threads add into one shared total. This
// test FAILS by design: the harness reports data races on 'total' (load against store,
// store against store). Tagged "manual"; run it with
// `bazel test //examples/processes_vs_threads:buggy`.
#include "examples/processes_vs_threads/processes_vs_threads.h"
#include "gtest/gtest.h"

namespace processes_vs_threads {
namespace {

TEST(ProcessesVsThreadsBuggy, TwoThreadsShareOneTotal) {
  EXPECT_LE(SumInThreads(), 5050);  // a lost update is possible; the verdict is the harness's
}

}  // namespace
}  // namespace processes_vs_threads
