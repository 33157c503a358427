// harness/gtest/gtest_main.cc: a drop-in for GoogleTest's gtest_main that also installs
// the harness listener (//harness:gtest_main).
#include <cstdio>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/gtest/listener.h"

int main(int argc, char** argv) {
  std::printf("Running main() from harness/gtest/gtest_main.cc\n");
  ::testing::InitGoogleMock(&argc, argv);
  harness::InstallHarnessListener();
  return RUN_ALL_TESTS();
}
