// tests/testing/child_process.h: runs a program as a child process and captures what
// it prints, its exit status and how long it took. For tests of programs that end
// their own process (the deadlock watchdog exits with `exitcode`).
#ifndef TESTS_TESTING_CHILD_PROCESS_H_
#define TESTS_TESTING_CHILD_PROCESS_H_

#include <string>

namespace harness::testing_child {

struct ChildRun {
  int exit_status = -1;  // -1 when it did not exit normally (a signal)
  std::string output;    // stdout and stderr together
  double seconds = 0;    // wall time
};

// RunChild()
// Runs `command` through /bin/sh (so it may set environment variables first) under
// `timeout 60`, a backstop against hangs: a hung child gives exit status 124.
ChildRun RunChild(const std::string& command);

}  // namespace harness::testing_child

#endif  // TESTS_TESTING_CHILD_PROCESS_H_
