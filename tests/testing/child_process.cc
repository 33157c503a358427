// tests/testing/child_process.cc: RunChild().
#include "tests/testing/child_process.h"

#include <sys/wait.h>

#include <chrono>
#include <cstdio>

namespace harness::testing_child {

ChildRun RunChild(const std::string& command) {
  ChildRun run;
  const auto start = std::chrono::steady_clock::now();
  FILE* pipe = popen(("timeout 60 sh -c '" + command + "' 2>&1").c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) run.output.append(buffer, n);
  const int status = pclose(pipe);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (WIFEXITED(status)) run.exit_status = WEXITSTATUS(status);
  return run;
}

}  // namespace harness::testing_child
