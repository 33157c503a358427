// harness/report/symbolizer.h: turning a call site (and the return addresses of its
// stack) into the frames a report prints: "#0 Account::Deposit(long) account.cc:21".
//
// A site's own frame comes from std::source_location (function, file, line, column). A
// site's stack holds return addresses, innermost first, recorded when stack_depth > 0 or
// when the site lies in a library header (std::lock_guard calling Mutex::lock). Those
// addresses mean something only in the process that recorded them: ProcessSymbolizer()
// resolves them there (absl::Symbolize for names, `addr2line` for file:line when it is
// installed); for a trace read from a file, RawAddressSymbolizer() prints them as they are.
#ifndef HARNESS_REPORT_SYMBOLIZER_H_
#define HARNESS_REPORT_SYMBOLIZER_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "harness/trace/trace.h"

namespace harness {

// One line of a printed stack. Every field but one of `function` / `address` may be
// unknown (empty or zero).
struct Frame {
  std::string function;  // as reports show it: no return type; empty when unknown
  std::string file;      // empty when unknown
  uint32_t line = 0;     // 0 when unknown
  uint32_t column = 0;   // known for a call site's own frame only
  uint64_t address = 0;  // the return address; 0 for a call site's own frame
  std::string module;    // the executable's or shared library's file name, if known
  uint64_t module_offset = 0;  // address - 1 relative to the module's load address

  friend bool operator==(const Frame&, const Frame&) = default;
};

// FormatFrame()
// "#3 Account::Deposit(long) examples/bank/account.cc:21"; without file:line
// "#3 Account::Deposit(long) (bank_test+0x1a2b)"; a raw address "#3 0x55d4c0a1b2c3"; a
// location without a function (an STD trace's) "#3 42".
std::string FormatFrame(size_t index, const Frame& frame);

// FrameLocation()
// Where a frame is, as FormatFrame prints it after the function: "account.cc:21",
// "account.cc (bank_test+0x1a2b)" (a file but no line: a binary without debug info),
// "(bank_test+0x1a2b)", "(0x55d4c0a1b2c3)", or "" when nothing is known.
std::string FrameLocation(const Frame& frame);

class Symbolizer {
 public:
  virtual ~Symbolizer() = default;

  // Symbolizer::Symbolize()
  // The frames of each return address: result[i] belongs to addresses[i] and holds one
  // frame per function inlined at that address, innermost first; never empty. Resolve a
  // whole report's addresses in one call: implementations batch the expensive work.
  virtual std::vector<std::vector<Frame>> Symbolize(std::span<const uint64_t> addresses) = 0;
};

// ProcessSymbolizer()
// The symbolizer for addresses recorded by this process. Thread-safe; results are cached
// for the life of the process. Initialises absl's symbolizer on first use. Each batch of
// new addresses runs `addr2line -a -f -C -i -e <module>` once per module (the executable
// is this process's /proc/<pid>/exe) when addr2line is on PATH, for file:line and inlined frames;
// otherwise frames carry absl::Symbolize's function name and the module offset.
Symbolizer* ProcessSymbolizer();

// RawAddressSymbolizer()
// Frames that only carry their address: for traces read from a file, whose addresses
// belong to another process.
Symbolizer* RawAddressSymbolizer();

// DisplayFunctionName()
// A std::source_location::function_name() as reports show it, without the return type:
// "void Account::Deposit(long int)" -> "Account::Deposit(long int)". Demangled names
// (which have no return type) come back unchanged.
std::string DisplayFunctionName(absl::string_view function);

// FunctionBaseName()
// The qualified name alone: "void Account::Deposit(long int) const" -> "Account::Deposit".
std::string FunctionBaseName(absl::string_view function);

// IsHarnessFrame()
// Whether a frame is inside the harness rather than the user's code: a file under
// harness/{sync,runtime,trace,check,report,gtest}/, a function in namespace harness::
// when the file is unknown or has no line (without debug info addr2line only knows the
// symbol table's bare file name; gtest test bodies and anonymous namespaces, where the
// harness's own tests live, are not harness frames), or the standard library's lock
// helpers that call
// Mutex::lock/unlock for the user (std::lock_guard, std::unique_lock, std::scoped_lock,
// std::shared_lock members, std::lock, std::try_lock).
bool IsHarnessFrame(const Frame& frame);

// SiteFrames()
// The frames a report prints for `site`: the site's own frame (from source_location),
// then its stack symbolized by `symbolizer` (RawAddressSymbolizer() when null), with
// harness frames left out so that the first frame is the user's, and the stack's first
// user frame left out when it is the site itself. When every frame is a harness frame,
// all of them. Empty for kNoSite or a site the trace does not have.
std::vector<Frame> SiteFrames(const Trace& trace, SiteId site, Symbolizer* symbolizer);

}  // namespace harness

#endif  // HARNESS_REPORT_SYMBOLIZER_H_
