// tests/report/symbolizer_test.cc: function names, harness frames, the frames of a site,
// frame formatting, and the process symbolizer on this binary's own code.
#include "harness/report/symbolizer.h"

#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "tests/report/report_testing.h"

namespace harness {
namespace {

using namespace report_testing;  // NOLINT: fixture names

TEST(FunctionNameTest, DisplayNameDropsTheReturnType) {
  EXPECT_EQ(DisplayFunctionName("void Account::Deposit(long int)"), "Account::Deposit(long int)");
  EXPECT_EQ(DisplayFunctionName("long int Account::Balance() const"), "Account::Balance() const");
  EXPECT_EQ(DisplayFunctionName("Account::Account()"), "Account::Account()");
  EXPECT_EQ(DisplayFunctionName("static void Foo::Bar()"), "Foo::Bar()");
  EXPECT_EQ(DisplayFunctionName("const std::map<int, std::basic_string<char> >& Foo::Get() const"),
            "Foo::Get() const");
  EXPECT_EQ(DisplayFunctionName("const char* Name()"), "Name()");
  EXPECT_EQ(DisplayFunctionName("void {anonymous}::Helper(int)"), "{anonymous}::Helper(int)");
  EXPECT_EQ(DisplayFunctionName("void (anonymous namespace)::Helper(int)"),
            "(anonymous namespace)::Helper(int)");
  EXPECT_EQ(DisplayFunctionName("bool Key::operator<(const Key&) const"),
            "Key::operator<(const Key&) const");
  EXPECT_EQ(DisplayFunctionName("void Functor::operator()(int)"), "Functor::operator()(int)");
  EXPECT_EQ(DisplayFunctionName("void* operator new(std::size_t)"), "operator new(std::size_t)");
  EXPECT_EQ(DisplayFunctionName("std::lock_guard<_Mutex>::lock_guard(mutex_type&) [with _Mutex = "
                                "harness::Mutex; mutex_type = harness::Mutex]"),
            "std::lock_guard<_Mutex>::lock_guard(mutex_type&) [with _Mutex = harness::Mutex; "
            "mutex_type = harness::Mutex]");
  EXPECT_EQ(DisplayFunctionName("main"), "main");
  EXPECT_EQ(DisplayFunctionName(""), "");
}

TEST(FunctionNameTest, BaseName) {
  EXPECT_EQ(FunctionBaseName("void Account::Deposit(long int)"), "Account::Deposit");
  EXPECT_EQ(FunctionBaseName("Account::Deposit(long)"), "Account::Deposit");
  EXPECT_EQ(FunctionBaseName("Account::Deposit()"), "Account::Deposit");
  EXPECT_EQ(FunctionBaseName("std::vector<int, std::allocator<int> >::push_back(int const&)"),
            "std::vector<int, std::allocator<int> >::push_back");
  EXPECT_EQ(FunctionBaseName("bool Key::operator<(const Key&) const"), "Key::operator<");
  EXPECT_EQ(FunctionBaseName("Functor::operator()(int)"), "Functor::operator()");
  EXPECT_EQ(FunctionBaseName("(anonymous namespace)::Helper(int)"),
            "(anonymous namespace)::Helper");
  EXPECT_EQ(FunctionBaseName("main"), "main");
}

// A frame with a file from debug info (line 1), or without a file.
Frame At(std::string function, std::string file = "") {
  Frame frame;
  frame.function = std::move(function);
  frame.file = std::move(file);
  frame.line = frame.file.empty() ? 0 : 1;
  return frame;
}

TEST(HarnessFrameTest, Classification) {
  EXPECT_TRUE(IsHarnessFrame(At("harness::Mutex::lock()", "harness/sync/mutex.h")));
  EXPECT_TRUE(IsHarnessFrame(At("anything", "external/harness/harness/runtime/recorder.cc")));
  EXPECT_TRUE(IsHarnessFrame(At("x", "/home/me/src/harness/trace/trace.cc")));
  EXPECT_TRUE(IsHarnessFrame(At("harness::runtime::RecordSlow(harness::Event const&)")));
  EXPECT_TRUE(IsHarnessFrame(At("std::lock_guard<harness::Mutex>::lock_guard(harness::Mutex&)",
                                "/usr/include/c++/12/bits/std_mutex.h")));
  EXPECT_TRUE(IsHarnessFrame(At("std::unique_lock<harness::Mutex>::lock()")));
  EXPECT_TRUE(IsHarnessFrame(At("std::scoped_lock<harness::Mutex, harness::Mutex>::scoped_lock(harness::Mutex&, harness::Mutex&)")));
  EXPECT_TRUE(IsHarnessFrame(At("void std::lock(_L1&, _L2&) [with _L1 = harness::Mutex]")));
  EXPECT_TRUE(IsHarnessFrame(At("std::lock_guard<_Mutex>::~lock_guard() [with _Mutex = harness::Mutex]")));

  // Without debug info addr2line knows a bare file name and no line: the function decides.
  Frame symtab_only = At("harness::runtime::RecordSlow(harness::Event const&)", "recorder.cc");
  symtab_only.line = 0;
  EXPECT_TRUE(IsHarnessFrame(symtab_only));

  Frame user = At("Account::Deposit(long)", "examples/bank/account.cc");
  user.line = 21;
  EXPECT_FALSE(IsHarnessFrame(user));
  Frame in_tests = At("harness::Mutex::lock()", "tests/sync/mutex_test.cc");
  in_tests.line = 10;
  EXPECT_FALSE(IsHarnessFrame(in_tests)) << "a known file that is not the harness's decides";
  EXPECT_FALSE(IsHarnessFrame(At("Account::Deposit(long)", "examples/bank/account.cc")));
  EXPECT_FALSE(IsHarnessFrame(At("Account::Deposit(long)")));
  EXPECT_FALSE(IsHarnessFrame(At("harness::(anonymous namespace)::Helper()")));
  EXPECT_FALSE(IsHarnessFrame(At("harness::MutexTest_Lock_Test::TestBody()")));
  EXPECT_FALSE(IsHarnessFrame(At("x", "myharness/sync/a.cc")));
  EXPECT_FALSE(IsHarnessFrame(At("x", "harness/examples/a.cc")));
  EXPECT_FALSE(IsHarnessFrame(At("std::thread::_State_impl<Worker>::_M_run()")));
  EXPECT_FALSE(IsHarnessFrame(At("std::vector<int>::push_back(int const&)")));
}

TEST(FrameTest, Formatting) {
  Frame full = At("Account::Deposit(long)", "examples/bank/account.cc");
  full.line = 21;
  full.address = 0x401234;
  EXPECT_EQ(FormatFrame(0, full), "#0 Account::Deposit(long) examples/bank/account.cc:21");
  EXPECT_EQ(FrameLocation(full), "examples/bank/account.cc:21");

  Frame module = At("Account::Deposit()");
  module.address = 0x55d4c0a1b2c3;
  module.module = "bank_test";
  module.module_offset = 0x1a2b;
  EXPECT_EQ(FormatFrame(3, module), "#3 Account::Deposit() (bank_test+0x1a2b)");

  Frame name_only = At("Account::Deposit()");
  name_only.address = 0x1234;
  EXPECT_EQ(FormatFrame(1, name_only), "#1 Account::Deposit() (0x1234)");

  Frame raw;
  raw.address = 0x55d4c0a1b2c3;
  EXPECT_EQ(FormatFrame(12, raw), "#12 0x55d4c0a1b2c3");
  EXPECT_EQ(FrameLocation(raw), "");

  Frame no_debug_info = module;
  no_debug_info.file = "account.cc";
  EXPECT_EQ(FormatFrame(2, no_debug_info), "#2 Account::Deposit() account.cc (bank_test+0x1a2b)");

  EXPECT_EQ(FormatFrame(0, Frame{}), "#0 <null>");
  Frame no_line = At("f", "a.cc");
  no_line.line = 0;
  EXPECT_EQ(FormatFrame(0, no_line), "#0 f a.cc");
}

std::vector<std::string> Formatted(const std::vector<Frame>& frames) {
  std::vector<std::string> lines;
  for (size_t i = 0; i < frames.size(); ++i) lines.push_back(FormatFrame(i, frames[i]));
  return lines;
}

TEST(SiteFramesTest, LockGuardSiteStartsAtTheUsersFrame) {
  FakeSymbolizer fake;
  EXPECT_EQ(Formatted(SiteFrames(BankTrace(), kAuditLockGuard, &fake)),
            (std::vector<std::string>{"#0 Audit(Account&) examples/bank/audit.cc:7",
                                      "#1 main examples/bank/main.cc:30"}));
}

TEST(SiteFramesTest, StackRepeatingTheSiteIsNotPrintedTwice) {
  FakeSymbolizer fake;
  EXPECT_EQ(Formatted(SiteFrames(BankTrace(), kWorkerUnlock, &fake)),
            (std::vector<std::string>{
                "#0 Worker(int) examples/bank/worker.cc:33",
                "#1 std::thread::_State_impl<Worker>::_M_run() (libstdc++.so.6+0xd6df4)"}));
}

// Frames of a header the compiler saw as "./examples/...", and std::call_once's and
// std::invoke's plumbing between a CallOnce and its callable.
class PlumbingSymbolizer final : public Symbolizer {
 public:
  std::vector<std::vector<Frame>> Symbolize(std::span<const uint64_t> addresses) override {
    std::vector<std::vector<Frame>> result;
    for (uint64_t address : addresses) {
      Frame frame;
      frame.address = address;
      frame.line = static_cast<uint32_t>(address);
      switch (address) {
        case 1:
          frame.function = "Load()::{lambda()#1}::operator()() const";
          frame.file = "./examples/config/config.h";
          break;
        case 2:
          frame.function = "void std::call_once<Callable>(std::once_flag&, Callable&&)";
          frame.file = "/usr/include/c++/12/mutex";
          break;
        case 3:
          frame.function = "std::once_flag::_Prepare_execution::_Prepare_execution<F>(F&)";
          frame.file = "/usr/include/c++/12/mutex";
          break;
        case 4:
          frame.function = "void std::__invoke_impl<void, F>(std::__invoke_other, F&&)";
          frame.file = "/usr/include/c++/12/bits/invoke.h";
          break;
        default:
          frame.function = "Load()";
          frame.file = "./examples/config/config.h";
      }
      result.push_back({frame});
    }
    return result;
  }
};

TEST(SiteFramesTest, FramesNameWorkspacePathsWithoutStdPlumbing) {
  Trace trace;
  SiteInfo site;
  site.file = "/usr/include/c++/12/bits/std_mutex.h";  // a lock_guard's lock: a library site
  site.function = "std::lock_guard<harness::Mutex>::lock_guard(harness::Mutex&)";
  site.line = 229;
  site.stack = {1, 2, 3, 4, 5};
  const SiteId id = trace.AddSite(site);
  PlumbingSymbolizer symbolizer;
  EXPECT_EQ(Formatted(SiteFrames(trace, id, &symbolizer)),
            (std::vector<std::string>{
                "#0 Load()::{lambda()#1}::operator()() const examples/config/config.h:1",
                "#1 Load() examples/config/config.h:5"}));
}

TEST(SiteFramesTest, SiteWithoutStack) {
  FakeSymbolizer fake;
  std::vector<Frame> frames = SiteFrames(BankTrace(), kDepositWrite, &fake);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].function, "Account::Deposit(long int)");
  EXPECT_EQ(frames[0].column, 14u);
  EXPECT_EQ(fake.calls(), 0);
}

TEST(SiteFramesTest, RawAddresses) {
  EXPECT_EQ(Formatted(SiteFrames(BankTrace(), kUnknownStack, RawAddressSymbolizer())),
            (std::vector<std::string>{"#0 Account::Withdraw(long int) examples/bank/account.cc:40",
                                      "#1 0x7f0000001234", "#2 0x7f0000005678"}));
  // Null means raw addresses too.
  EXPECT_EQ(Formatted(SiteFrames(BankTrace(), kAuditLockGuard, nullptr)),
            (std::vector<std::string>{"#0 0x401000", "#1 0x401100", "#2 0x401200",
                                      "#3 0x401300"}));
}

TEST(SiteFramesTest, OnlyHarnessFramesAreShownRatherThanNothing) {
  Trace trace;
  SiteInfo site;
  site.file = "harness/sync/shared.h";
  site.function = "T harness::Shared<T>::operator T() const [with T = int]";
  site.line = 80;
  trace.AddSite(site);
  std::vector<Frame> frames = SiteFrames(trace, 0, RawAddressSymbolizer());
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].file, "harness/sync/shared.h");
}

TEST(SiteFramesTest, NoSite) {
  EXPECT_TRUE(SiteFrames(BankTrace(), kNoSite, RawAddressSymbolizer()).empty());
  EXPECT_TRUE(SiteFrames(BankTrace(), 1000, RawAddressSymbolizer()).empty());
}

// ---- the process symbolizer, on this binary

int g_call_line = 0;

__attribute__((noinline)) uint64_t ReturnAddress() {
  uint64_t address = reinterpret_cast<uint64_t>(__builtin_return_address(0));
  asm volatile("" : : "r"(address) : "memory");
  return address;
}

__attribute__((noinline)) uint64_t SymbolizerTestCaller() {
  g_call_line = __LINE__ + 1;
  uint64_t address = ReturnAddress();
  asm volatile("" : : "r"(address) : "memory");  // no tail call
  return address;
}

bool Addr2lineOnPath() {
  return std::system("command -v addr2line >/dev/null 2>&1") == 0;
}

TEST(ProcessSymbolizerTest, NamesThisBinarysFunctions) {
  const uint64_t address = SymbolizerTestCaller();
  std::vector<std::vector<Frame>> frames = ProcessSymbolizer()->Symbolize({&address, 1});
  ASSERT_EQ(frames.size(), 1u);
  ASSERT_FALSE(frames[0].empty());
  const Frame& frame = frames[0].back();  // the outermost: the function containing it
  EXPECT_EQ(frame.address, address);
  EXPECT_TRUE(absl::StrContains(frame.function, "SymbolizerTestCaller")) << frame.function;
  EXPECT_FALSE(frame.module.empty());
  if (Addr2lineOnPath()) {
    if (frame.line != 0) {  // debug info
      EXPECT_TRUE(absl::EndsWith(frame.file, "tests/report/symbolizer_test.cc")) << frame.file;
      EXPECT_EQ(frame.line, static_cast<uint32_t>(g_call_line));
    } else {  // a stripped binary: the symbol table's file name
      EXPECT_EQ(frame.file, "symbolizer_test.cc");
      EXPECT_TRUE(absl::EndsWith(FormatFrame(0, frame),
                                 absl::StrFormat("symbolizer_test.cc (%s+0x%x)", frame.module,
                                                 frame.module_offset)))
          << FormatFrame(0, frame);
    }
  }
}

TEST(ProcessSymbolizerTest, CachesAndIsThreadSafe) {
  const uint64_t address = SymbolizerTestCaller();
  const std::vector<std::vector<Frame>> first = ProcessSymbolizer()->Symbolize({&address, 1});
  std::vector<std::thread> threads;
  std::vector<std::vector<std::vector<Frame>>> results(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const uint64_t addresses[] = {address, address + 1, 0x10};
      results[t] = ProcessSymbolizer()->Symbolize(addresses);
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const auto& result : results) {
    ASSERT_EQ(result.size(), 3u);
    EXPECT_EQ(result[0], first[0]);
  }
}

TEST(ProcessSymbolizerTest, UnknownAddressesKeepTheirAddress) {
  const uint64_t addresses[] = {0x10, 0};
  std::vector<std::vector<Frame>> frames = ProcessSymbolizer()->Symbolize(addresses);
  ASSERT_EQ(frames.size(), 2u);
  ASSERT_EQ(frames[0].size(), 1u);
  EXPECT_EQ(frames[0][0].address, 0x10u);
  EXPECT_TRUE(frames[0][0].file.empty());
  EXPECT_EQ(FormatFrame(0, frames[0][0]), "#0 0x10");
  EXPECT_EQ(FormatFrame(0, frames[1][0]), "#0 <null>");
}

TEST(RawAddressSymbolizerTest, OneFramePerAddress) {
  const uint64_t addresses[] = {0x401000, 0x402000};
  std::vector<std::vector<Frame>> frames = RawAddressSymbolizer()->Symbolize(addresses);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(FormatFrame(0, frames[0][0]), "#0 0x401000");
  EXPECT_EQ(FormatFrame(1, frames[1][0]), "#1 0x402000");
}

}  // namespace
}  // namespace harness
