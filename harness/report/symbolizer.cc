// harness/report/symbolizer.cc: frames for call sites and stacks; the process symbolizer
// (absl::Symbolize + addr2line) and the raw-address one.
#include "harness/report/symbolizer.h"

#include <errno.h>  // program_invocation_name (glibc)
#include <link.h>
#include <stdio.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/debugging/symbolize.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace harness {

// ---------------------------------------------------------------------------------------
// Frames as text.

std::string FrameLocation(const Frame& frame) {
  if (!frame.file.empty()) {
    if (frame.line != 0) return absl::StrCat(frame.file, ":", frame.line);
    // No line (no debug info): the module offset is what addr2line needs later.
    if (frame.module.empty()) return frame.file;
    return absl::StrFormat("%s (%s+0x%x)", frame.file, frame.module, frame.module_offset);
  }
  if (!frame.module.empty()) {
    return absl::StrFormat("(%s+0x%x)", frame.module, frame.module_offset);
  }
  if (!frame.function.empty() && frame.address != 0) {
    return absl::StrFormat("(0x%x)", frame.address);
  }
  return "";
}

std::string FormatFrame(size_t index, const Frame& frame) {
  std::string text = absl::StrCat("#", index, " ");
  std::string location = FrameLocation(frame);
  if (!frame.function.empty()) {
    absl::StrAppend(&text, frame.function);
  } else if (frame.address != 0) {
    absl::StrAppendFormat(&text, "0x%x", frame.address);
  } else if (!location.empty()) {
    return absl::StrCat(text, location);  // a location alone (an STD trace's)
  } else {
    absl::StrAppend(&text, "<null>");
  }
  if (!location.empty()) absl::StrAppend(&text, " ", location);
  return text;
}

// ---------------------------------------------------------------------------------------
// Function names.

namespace {

constexpr absl::string_view kOperator = "operator";
constexpr absl::string_view kAnonymousNamespace = "(anonymous namespace)";

bool IsIdentifierChar(char c) { return absl::ascii_isalnum(c) || c == '_'; }

// Whether `name` has the keyword `operator` at `i` (not a part of another identifier).
bool IsOperatorAt(absl::string_view name, size_t i) {
  if (!absl::StartsWith(name.substr(i), kOperator)) return false;
  if (i > 0 && IsIdentifierChar(name[i - 1])) return false;
  size_t end = i + kOperator.size();
  return end >= name.size() || !IsIdentifierChar(name[end]);
}

// The index after an operator's name: "operator()", "operator<<=", "operator->*" end after
// their symbols; "operator new" / "operator bool" end after `operator ` (the rest scans as
// an identifier).
size_t SkipOperator(absl::string_view name, size_t i) {
  i += kOperator.size();
  while (i < name.size() && name[i] == ' ') ++i;
  if (absl::StartsWith(name.substr(i), "()") || absl::StartsWith(name.substr(i), "[]")) {
    return i + 2;
  }
  constexpr absl::string_view kSymbols = "<>=!+-*/%&|^~,";
  while (i < name.size() && kSymbols.find(name[i]) != absl::string_view::npos) ++i;
  return i;
}

struct NameScan {
  size_t parameters = absl::string_view::npos;  // the top-level '(' of the parameter list
  size_t last_space = absl::string_view::npos;  // the last top-level ' ' before it
};

NameScan ScanFunctionName(absl::string_view name) {
  NameScan scan;
  int angle = 0;
  size_t i = 0;
  while (i < name.size()) {
    if (IsOperatorAt(name, i)) {
      i = SkipOperator(name, i);
      continue;
    }
    if (absl::StartsWith(name.substr(i), kAnonymousNamespace)) {
      i += kAnonymousNamespace.size();
      continue;
    }
    char c = name[i];
    if (c == '<') {
      ++angle;
    } else if (c == '>') {
      if (angle > 0) --angle;
    } else if (c == '(' && angle == 0) {
      scan.parameters = i;
      break;
    } else if (c == ' ' && angle == 0) {
      scan.last_space = i;
    }
    ++i;
  }
  return scan;
}

}  // namespace

std::string DisplayFunctionName(absl::string_view function) {
  NameScan scan = ScanFunctionName(function);
  if (scan.last_space == absl::string_view::npos) return std::string(function);
  return std::string(function.substr(scan.last_space + 1));
}

std::string FunctionBaseName(absl::string_view function) {
  std::string display = DisplayFunctionName(function);
  NameScan scan = ScanFunctionName(display);
  if (scan.parameters != absl::string_view::npos) display.resize(scan.parameters);
  return display;
}

// ---------------------------------------------------------------------------------------
// Harness frames.

namespace {

bool IsHarnessSourceFile(absl::string_view file) {
  static constexpr absl::string_view kLayers[] = {"sync/",  "runtime/", "trace/",
                                                  "check/", "report/",  "gtest/"};
  constexpr absl::string_view kRoot = "harness/";
  for (size_t at = file.find(kRoot); at != absl::string_view::npos;
       at = file.find(kRoot, at + 1)) {
    if (at != 0 && file[at - 1] != '/') continue;
    absl::string_view rest = file.substr(at + kRoot.size());
    for (absl::string_view layer : kLayers) {
      if (absl::StartsWith(rest, layer)) return true;
    }
  }
  return false;
}

bool IsStdLockHelper(absl::string_view function) {
  static constexpr absl::string_view kPrefixes[] = {
      "std::lock_guard<",
      "std::unique_lock<",
      "std::scoped_lock<",
      "std::shared_lock<",
      "std::lock<",
      "std::lock(",
      "std::try_lock<",
      "std::try_lock(",
      "std::__lock_impl",
      "std::__try_lock_impl",
      "std::__detail::__lock_impl",
      "std::__detail::__try_lock_impl",
      "std::condition_variable_any::",
      "std::_V2::condition_variable_any::",
  };
  for (absl::string_view prefix : kPrefixes) {
    if (absl::StartsWith(function, prefix)) return true;
  }
  return false;
}

bool IsHarnessFunction(absl::string_view function) {
  return absl::StartsWith(function, "harness::") &&
         !absl::StartsWith(function, "harness::(anonymous namespace)::") &&
         !absl::StrContains(function, "_Test::");
}

}  // namespace

bool IsHarnessFrame(const Frame& frame) {
  // A file without a line comes from the symbol table, not debug info: a bare file name
  // (and none at all for inline functions), which cannot tell where the code lives.
  const bool file_known = !frame.file.empty() && frame.line != 0;
  if (file_known && IsHarnessSourceFile(frame.file)) return true;
  std::string function = DisplayFunctionName(frame.function);
  if (IsStdLockHelper(function)) return true;
  return !file_known && IsHarnessFunction(function);
}

// ---------------------------------------------------------------------------------------
// Frames of a site.

namespace {

bool SameFile(absl::string_view a, absl::string_view b) {
  if (a == b) return true;
  if (a.size() < b.size()) std::swap(a, b);
  return absl::EndsWith(a, b) && a[a.size() - b.size() - 1] == '/';
}

// Whether a stack frame is the call site's own frame seen from the stack.
bool SameCallSite(const Frame& site, const Frame& frame) {
  if (!site.file.empty() && !frame.file.empty() && site.line != 0 && frame.line != 0) {
    return site.line == frame.line && SameFile(site.file, frame.file);
  }
  if (!site.function.empty() && !frame.function.empty()) {
    return FunctionBaseName(site.function) == FunctionBaseName(frame.function);
  }
  return false;
}

}  // namespace

std::vector<Frame> SiteFrames(const Trace& trace, SiteId site_id, Symbolizer* symbolizer) {
  if (site_id >= trace.sites().size()) return {};
  const SiteInfo& site = trace.sites()[site_id];
  if (symbolizer == nullptr) symbolizer = RawAddressSymbolizer();

  // "./examples/x.h": a header's path as the compiler saw it (in the site and in the
  // debug info of the frames); reports name it as the workspace does.
  auto workspace_path = [](std::string& file) {
    if (absl::StartsWith(file, "./")) file.erase(0, 2);
  };
  Frame own;
  own.function = DisplayFunctionName(site.function);
  own.file = site.file;
  workspace_path(own.file);
  own.line = site.line;
  own.column = site.column;
  const bool own_known = !own.function.empty() || !own.file.empty();

  std::vector<Frame> stack;
  if (!site.stack.empty()) {
    for (std::vector<Frame>& frames : symbolizer->Symbolize(site.stack)) {
      for (Frame& frame : frames) {
        workspace_path(frame.file);
        stack.push_back(std::move(frame));
      }
    }
  }

  std::vector<Frame> shown;
  const bool own_shown = own_known && !IsHarnessFrame(own);
  if (own_shown) shown.push_back(own);
  bool first_user_frame = true;
  for (const Frame& frame : stack) {
    std::string function = DisplayFunctionName(frame.function);
    // Below a harness::Thread's entry lies only the thread launch: the user's frames
    // are all above it.
    if (absl::StrContains(function, "harness::Thread::Start") && !shown.empty()) break;
    // std::invoke's plumbing between a thread's entry and the user's callable, and
    // std::call_once's between CallOnce and its callable.
    if (absl::StartsWith(function, "std::__invoke") || absl::StartsWith(function, "std::invoke") ||
        absl::StartsWith(function, "void std::__invoke") ||
        absl::StartsWith(function, "std::call_once<") ||
        absl::StartsWith(function, "void std::call_once<") ||
        absl::StartsWith(function, "std::once_flag::")) {
      continue;
    }
    if (IsHarnessFrame(frame)) continue;
    bool duplicate = first_user_frame && own_shown && SameCallSite(own, frame);
    first_user_frame = false;
    if (!duplicate) shown.push_back(frame);
  }
  if (shown.empty()) {
    // Nothing but harness frames: better all of them than none.
    if (own_known) shown.push_back(own);
    shown.insert(shown.end(), stack.begin(), stack.end());
  }
  return shown;
}

// ---------------------------------------------------------------------------------------
// The symbolizers.

namespace {

class RawAddresses final : public Symbolizer {
 public:
  std::vector<std::vector<Frame>> Symbolize(std::span<const uint64_t> addresses) override {
    std::vector<std::vector<Frame>> result;
    result.reserve(addresses.size());
    for (uint64_t address : addresses) {
      Frame frame;
      frame.address = address;
      result.push_back({frame});
    }
    return result;
  }
};

// A loaded ELF object: the executable or a shared library.
struct Module {
  std::string path;  // what addr2line reads (/proc/<pid>/exe for the executable)
  std::string name;  // file name, for display
  uint64_t bias = 0;
  std::vector<std::pair<uint64_t, uint64_t>> ranges;  // [begin, end) of its segments

  bool Contains(uint64_t address) const {
    for (const auto& [begin, end] : ranges) {
      if (address >= begin && address < end) return true;
    }
    return false;
  }
};

std::string BaseName(absl::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == absl::string_view::npos ? path : path.substr(slash + 1));
}

std::string ExecutablePath() {
  char buffer[4096];
  ssize_t length = readlink("/proc/self/exe", buffer, sizeof(buffer) - 1);
  if (length <= 0) return "";
  return std::string(buffer, static_cast<size_t>(length));
}

int AddModule(struct dl_phdr_info* info, size_t /*size*/, void* data) {
  auto* modules = static_cast<std::vector<Module>*>(data);
  Module module;
  module.bias = info->dlpi_addr;
  const char* name = info->dlpi_name;
  if (name == nullptr || name[0] == '\0') {
    // Not /proc/self/exe: addr2line runs in a child process, where that is addr2line.
    module.path = absl::StrCat("/proc/", getpid(), "/exe");
    module.name = BaseName(ExecutablePath());
    if (module.name.empty()) module.name = "exe";
  } else {
    module.path = name;
    module.name = BaseName(name);
  }
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const auto& header = info->dlpi_phdr[i];
    if (header.p_type != PT_LOAD) continue;
    uint64_t begin = info->dlpi_addr + header.p_vaddr;
    module.ranges.emplace_back(begin, begin + header.p_memsz);
  }
  modules->push_back(std::move(module));
  return 0;
}

bool Addr2lineInstalled() {
  const char* path = std::getenv("PATH");
  if (path == nullptr || path[0] == '\0') path = "/usr/local/bin:/usr/bin:/bin";
  for (absl::string_view dir : absl::StrSplit(path, ':', absl::SkipEmpty())) {
    std::string candidate = absl::StrCat(dir, "/addr2line");
    if (access(candidate.c_str(), X_OK) == 0) return true;
  }
  return false;
}

std::string ShellQuote(absl::string_view text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  quoted += "'";
  return quoted;
}

bool IsAddressLine(absl::string_view line) {
  if (!absl::StartsWith(line, "0x") || line.size() == 2) return false;
  for (char c : line.substr(2)) {
    if (!absl::ascii_isxdigit(c)) return false;
  }
  return true;
}

// One (function, file:line) pair of addr2line's output.
struct Addr2lineFrame {
  std::string function;  // empty for "??"
  std::string file;      // empty for "??"
  uint32_t line = 0;
};

Addr2lineFrame ParseAddr2lineFrame(absl::string_view function, absl::string_view location) {
  Addr2lineFrame frame;
  if (function != "??") frame.function = std::string(function);
  if (size_t paren = location.find(" ("); paren != absl::string_view::npos) {
    location = location.substr(0, paren);  // " (discriminator 2)"
  }
  size_t colon = location.rfind(':');
  absl::string_view file = location.substr(0, colon);
  // Bazel compiles in a sandbox whose path debug info records as /proc/self/cwd/.
  absl::ConsumePrefix(&file, "/proc/self/cwd/");
  if (file != "??" && !file.empty()) frame.file = std::string(file);
  if (colon != absl::string_view::npos) {
    uint32_t line = 0;
    if (absl::SimpleAtoi(location.substr(colon + 1), &line)) frame.line = line;
  }
  return frame;
}

// Runs addr2line on `offsets` of `module`: one group of frames (innermost first) per
// offset, or an empty result when it fails.
std::vector<std::vector<Addr2lineFrame>> RunAddr2line(const Module& module,
                                                      const std::vector<uint64_t>& offsets) {
  std::string command = absl::StrCat("addr2line -a -f -C -i -e ", ShellQuote(module.path));
  for (uint64_t offset : offsets) absl::StrAppendFormat(&command, " 0x%x", offset);
  absl::StrAppend(&command, " 2>/dev/null");
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return {};
  std::string output;
  char buffer[4096];
  size_t got;
  while ((got = fread(buffer, 1, sizeof(buffer), pipe)) > 0) output.append(buffer, got);
  if (pclose(pipe) != 0) return {};

  std::vector<std::vector<Addr2lineFrame>> groups;
  std::string function;
  bool expect_function = true;
  for (absl::string_view line : absl::StrSplit(output, '\n', absl::SkipEmpty())) {
    if (expect_function && IsAddressLine(line)) {
      groups.emplace_back();
      continue;
    }
    if (groups.empty()) return {};
    if (expect_function) {
      function = std::string(line);
    } else {
      groups.back().push_back(ParseAddr2lineFrame(function, line));
    }
    expect_function = !expect_function;
  }
  if (groups.size() != offsets.size()) return {};
  return groups;
}

class ProcessSymbolizerImpl final : public Symbolizer {
 public:
  ProcessSymbolizerImpl() {
    // absl's symbolizer wants to be initialised once, before its first use.
    absl::InitializeSymbolizer(program_invocation_name);
    addr2line_ = Addr2lineInstalled();
  }

  std::vector<std::vector<Frame>> Symbolize(std::span<const uint64_t> addresses) override {
    std::lock_guard<std::mutex> hold(mutex_);
    std::vector<uint64_t> missing;
    for (uint64_t address : addresses) {
      if (!cache_.contains(address)) {
        cache_[address];  // reserve the slot; filled below
        missing.push_back(address);
      }
    }
    if (!missing.empty()) Resolve(missing);
    std::vector<std::vector<Frame>> result;
    result.reserve(addresses.size());
    for (uint64_t address : addresses) result.push_back(cache_[address]);
    return result;
  }

 private:
  static constexpr size_t kAddressesPerRun = 128;  // keeps the command line short

  void Resolve(const std::vector<uint64_t>& addresses) {
    std::vector<Module> modules;
    dl_iterate_phdr(AddModule, &modules);

    // The fallback first: absl's name and the module offset.
    std::vector<std::pair<int, uint64_t>> located;  // module index, offset
    for (uint64_t address : addresses) {
      Frame frame;
      frame.address = address;
      uint64_t pc = address == 0 ? 0 : address - 1;  // inside the call instruction
      char name[1024];
      if (address != 0 && absl::Symbolize(reinterpret_cast<const void*>(pc), name, sizeof(name))) {
        frame.function = name;
      }
      int module_index = -1;
      for (size_t m = 0; m < modules.size(); ++m) {
        if (modules[m].Contains(pc)) {
          module_index = static_cast<int>(m);
          break;
        }
      }
      if (module_index >= 0) {
        frame.module = modules[module_index].name;
        frame.module_offset = pc - modules[module_index].bias;
      }
      located.emplace_back(module_index, frame.module_offset);
      cache_[address] = {std::move(frame)};
    }
    if (!addr2line_) return;

    // Then addr2line, one run per module (and per kAddressesPerRun addresses).
    for (size_t m = 0; m < modules.size(); ++m) {
      if (access(modules[m].path.c_str(), R_OK) != 0) continue;  // [vdso]
      std::vector<uint64_t> batch;
      std::vector<uint64_t> offsets;
      auto flush = [&] {
        if (batch.empty()) return;
        std::vector<std::vector<Addr2lineFrame>> groups = RunAddr2line(modules[m], offsets);
        for (size_t i = 0; i < groups.size(); ++i) Merge(batch[i], groups[i]);
        batch.clear();
        offsets.clear();
      };
      for (size_t i = 0; i < addresses.size(); ++i) {
        if (located[i].first != static_cast<int>(m)) continue;
        batch.push_back(addresses[i]);
        offsets.push_back(located[i].second);
        if (batch.size() == kAddressesPerRun) flush();
      }
      flush();
    }
  }

  // Replaces the fallback frame of `address` with addr2line's frames, where it knew them.
  void Merge(uint64_t address, const std::vector<Addr2lineFrame>& found) {
    std::vector<Frame>& frames = cache_[address];
    const Frame fallback = frames.front();
    bool any = false;
    for (const Addr2lineFrame& f : found) any = any || !f.function.empty() || !f.file.empty();
    if (!any) return;
    frames.clear();
    for (size_t i = 0; i < found.size(); ++i) {
      Frame frame = fallback;
      if (!found[i].function.empty()) {
        frame.function = found[i].function;
      } else if (i + 1 != found.size()) {
        frame.function.clear();  // absl's name is the outermost function's
      }
      frame.file = found[i].file;
      frame.line = found[i].line;
      frames.push_back(std::move(frame));
    }
  }

  std::mutex mutex_;
  bool addr2line_ = false;
  absl::flat_hash_map<uint64_t, std::vector<Frame>> cache_;
};

}  // namespace

Symbolizer* ProcessSymbolizer() {
  static Symbolizer* symbolizer = new ProcessSymbolizerImpl;
  return symbolizer;
}

Symbolizer* RawAddressSymbolizer() {
  static Symbolizer* symbolizer = new RawAddresses;
  return symbolizer;
}

}  // namespace harness
