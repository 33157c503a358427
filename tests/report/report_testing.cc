// tests/report/report_testing.cc
#include "tests/report/report_testing.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace harness::report_testing {

namespace {

SiteInfo Site(std::string file, std::string function, uint32_t line, uint32_t column,
              std::vector<uint64_t> stack = {}) {
  SiteInfo site;
  site.file = std::move(file);
  site.function = std::move(function);
  site.line = line;
  site.column = column;
  site.stack = std::move(stack);
  return site;
}

Frame MakeFrame(uint64_t address, std::string function, std::string file, uint32_t line,
                std::string module = "", uint64_t offset = 0) {
  Frame frame;
  frame.address = address;
  frame.function = std::move(function);
  frame.file = std::move(file);
  frame.line = line;
  frame.module = std::move(module);
  frame.module_offset = offset;
  return frame;
}

constexpr char kTestFile[] = "tests/report/bank_test.cc";
constexpr char kTestBody[] = "void Bank_Transfer_Test::TestBody()";

}  // namespace

Trace BankTrace() {
  Trace trace;
  trace.AddThread({"main", kNoThread, kNoSite, kNoObject});
  trace.AddThread({"depositor-1", kMain, kCreate1, kThread1Object});
  trace.AddThread({"depositor-2", kMain, kCreate2, kThread2Object});
  trace.AddThread({"", kMain, kCreate3, kThread3Object});

  trace.AddObject({ObjectKind::kSharedVariable, "balance", 0x1000, 8, kBalanceCreated, kMain});
  trace.AddObject({ObjectKind::kMutex, "a", 0x2000, 40, kMutexACreated, kMain});
  trace.AddObject({ObjectKind::kMutex, "b", 0x2040, 40, kMutexBCreated, kMain});
  trace.AddObject({ObjectKind::kMutex, "c", 0x2080, 40, kMutexCCreated, kMain});
  trace.AddObject({ObjectKind::kConditionVariable, "cv", 0x3000, 48, kNoSite, kMain});
  trace.AddObject({ObjectKind::kSharedMutex, "", 0x3100, 56, kNoSite, kNoThread});
  trace.AddObject({ObjectKind::kThread, "depositor-1", 0x4000, 8, kCreate1, kMain});
  trace.AddObject({ObjectKind::kThread, "depositor-2", 0x4008, 8, kCreate2, kMain});
  trace.AddObject({ObjectKind::kThread, "", 0x4010, 8, kCreate3, kMain});

  trace.AddSite(Site(kTestFile, kTestBody, 40, 17));
  trace.AddSite(Site(kTestFile, kTestBody, 41, 17));
  trace.AddSite(Site(kTestFile, kTestBody, 42, 17));
  trace.AddSite(Site("examples/bank/account.h", "Account::Account()", 12, 3));
  trace.AddSite(Site("examples/bank/account.h", "Account::Account()", 13, 3));
  trace.AddSite(Site("examples/bank/account.h", "Account::Account()", 14, 3));
  trace.AddSite(Site("examples/bank/account.h", "Account::Account()", 15, 3));
  trace.AddSite(Site("examples/bank/account.cc", "void Account::Deposit(long int)", 21, 14));
  trace.AddSite(Site("examples/bank/account.cc", "long int Account::Balance() const", 30, 12));
  trace.AddSite(
      Site("examples/bank/transfer.cc", "void Transfer(Account&, Account&, long int)", 10, 5));
  trace.AddSite(
      Site("examples/bank/transfer.cc", "void Transfer(Account&, Account&, long int)", 11, 5));
  trace.AddSite(
      Site("examples/bank/transfer.cc", "void Refund(Account&, Account&, long int)", 20, 5));
  trace.AddSite(
      Site("examples/bank/transfer.cc", "void Refund(Account&, Account&, long int)", 21, 5));
  trace.AddSite(Site("/usr/include/c++/12/bits/std_mutex.h",
                     "std::lock_guard<_Mutex>::lock_guard(mutex_type&) [with _Mutex = "
                     "harness::Mutex; mutex_type = harness::Mutex]",
                     229, 19, {0x401000, 0x401100, 0x401200, 0x401300}));
  trace.AddSite(Site("examples/bank/audit.cc", "void Audit(Account&)", 9, 3));
  trace.AddSite(Site("examples/bank/audit.cc", "void Audit(Account&)", 8, 3));
  trace.AddSite(Site("examples/bank/worker.cc", "void Worker(int)", 33, 3,
                     {0x402000, 0x402100, 0x402200}));
  trace.AddSite(Site("examples/bank/account.cc", "void Account::Withdraw(long int)", 40, 5,
                     {0x7f0000001234, 0x7f0000005678}));
  trace.AddSite(Site("examples/bank/worker.cc", "void Worker(int)", 30, 3));
  trace.AddSite(Site("examples/bank/worker.cc", "void Worker(int)", 40, 8));
  trace.AddSite(Site(kTestFile, kTestBody, 60, 1));
  return trace;
}

FakeSymbolizer::FakeSymbolizer() {
  frames_[0x401000] = {
      MakeFrame(0x401000, "harness::runtime::RecordLock(unsigned int)",
                "harness/runtime/recorder.cc", 88),
      MakeFrame(0x401000, "harness::Mutex::lock(std::source_location)", "harness/sync/mutex.h",
                52),
  };
  frames_[0x401100] = {MakeFrame(0x401100,
                                 "std::lock_guard<harness::Mutex>::lock_guard(harness::Mutex&)",
                                 "/usr/include/c++/12/bits/std_mutex.h", 229)};
  frames_[0x401200] = {MakeFrame(0x401200, "Audit(Account&)", "examples/bank/audit.cc", 7)};
  frames_[0x401300] = {MakeFrame(0x401300, "main", "examples/bank/main.cc", 30)};
  frames_[0x402000] = {MakeFrame(0x402000, "harness::Mutex::unlock(std::source_location)", "", 0,
                                 "report_test", 0x2000)};
  frames_[0x402100] = {MakeFrame(0x402100, "Worker(int)", "examples/bank/worker.cc", 33)};
  frames_[0x402200] = {MakeFrame(0x402200, "std::thread::_State_impl<Worker>::_M_run()", "", 0,
                                 "libstdc++.so.6", 0xd6df4)};
}

std::vector<std::vector<Frame>> FakeSymbolizer::Symbolize(std::span<const uint64_t> addresses) {
  ++calls_;
  std::vector<std::vector<Frame>> result;
  for (uint64_t address : addresses) {
    auto it = frames_.find(address);
    if (it != frames_.end()) {
      result.push_back(it->second);
    } else {
      Frame frame;
      frame.address = address;
      result.push_back({frame});
    }
  }
  return result;
}

Finding RaceFinding() {
  DataRace race;
  race.current = {kDepositor2, true, false, 0x1000, 8, kBalance, kDepositWrite, {}, 42};
  race.previous = {kDepositor1, false, false, 0x1000, 8, kBalance, kBalanceRead,
                   {{kMutexA, false, kTransferLockA}, {kRwLock, true, kNoSite}}, 17};
  return Finding{race, 1};
}

Finding TwoLockCycleFinding() {
  LockOrderCycle cycle;
  cycle.edges.push_back({kMutexA, kMutexB, kDepositor1, kTransferLockA, kTransferLockB,
                         {{kMutexA, false, kTransferLockA}}, 30});
  cycle.edges.push_back({kMutexB, kMutexA, kDepositor2, kRefundLockB, kRefundLockA,
                         {{kMutexB, false, kRefundLockB}}, 35});
  return Finding{cycle, 1};
}

Finding ThreeLockCycleFinding() {
  LockOrderCycle cycle;
  cycle.edges.push_back({kMutexA, kMutexB, kDepositor1, kTransferLockA, kTransferLockB,
                         {{kMutexA, false, kTransferLockA}}, 30});
  cycle.edges.push_back({kMutexB, kMutexC, kDepositor2, kAuditLockB, kAuditLockC,
                         {{kMutexB, false, kAuditLockB}}, 50});
  cycle.edges.push_back({kMutexC, kMutexA, kAuditor, kAuditLockC, kAuditLockGuard,
                         {{kMutexC, false, kAuditLockC}}, 61});
  return Finding{cycle, 1};
}

std::vector<Finding> MisuseFindings() {
  std::vector<Finding> findings;
  auto add = [&](MisuseKind kind, ThreadId thread, ObjectId object, SiteId site,
                 ThreadId other_thread, SiteId other_site, size_t event) {
    findings.push_back(Finding{Misuse{kind, thread, object, site, other_thread, other_site, event}, 1});
  };
  add(MisuseKind::kUnlockNotHeld, kDepositor1, kMutexA, kWorkerUnlock, kNoThread, kNoSite, 70);
  add(MisuseKind::kUnlockHeldByOtherThread, kDepositor2, kMutexA, kRefundLockA, kDepositor1,
      kTransferLockA, 71);
  add(MisuseKind::kRelockNonRecursive, kDepositor1, kMutexA, kWorkerLockA, kDepositor1,
      kTransferLockA, 72);
  add(MisuseKind::kDestroyLocked, kMain, kMutexB, kTeardown, kDepositor2, kRefundLockB, 73);
  add(MisuseKind::kWaitWithoutMutex, kAuditor, kCondVar, kWaitSite, kNoThread, kNoSite, 74);
  add(MisuseKind::kThreadDestroyedJoinable, kMain, kThread3Object, kTeardown, kNoThread, kNoSite,
      75);
  add(MisuseKind::kUnlockSharedNotHeld, kDepositor2, kRwLock, kUnknownStack, kNoThread, kNoSite,
      76);
  add(MisuseKind::kDestroyedWhileWaitedOn, kMain, kCondVar, kTeardown, kAuditor, kWaitSite, 77);
  return findings;
}

Finding DeadlockFinding() {
  Deadlock deadlock;
  deadlock.threads.push_back({kDepositor1, kMutexB, kTransferLockB, kDepositor2, kRefundLockB,
                              {{kMutexA, false, kTransferLockA}}});
  deadlock.threads.push_back({kDepositor2, kMutexA, kRefundLockA, kDepositor1, kTransferLockA,
                              {{kMutexB, false, kRefundLockB}}});
  return Finding{deadlock, 1};
}

Report MakeReport(std::vector<Finding> findings) {
  Report report;
  report.test_name = "Bank.Transfer";
  report.findings = std::move(findings);
  return report;
}

void ExpectGolden(absl::string_view name, const std::string& actual) {
  const std::string relative = absl::StrCat("tests/report/testdata/", name);
  const char* update = std::getenv("HARNESS_UPDATE_GOLDENS");
  const char* workspace = std::getenv("BUILD_WORKSPACE_DIRECTORY");
  if (update != nullptr && std::string(update) == "1" && workspace != nullptr) {
    std::ofstream out(absl::StrCat(workspace, "/", relative), std::ios::binary);
    out << actual;
    ASSERT_TRUE(out.good()) << "cannot write " << relative;
    return;
  }
  std::ifstream in(relative, std::ios::binary);
  ASSERT_TRUE(in.good()) << "missing golden file " << relative;
  std::ostringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str()) << "output differs from " << relative;
}

// ---------------------------------------------------------------------------------------
// JSON

bool JsonValue::Has(absl::string_view key) const {
  for (const auto& [name, value] : members) {
    if (name == key) return true;
  }
  return false;
}

const JsonValue& JsonValue::operator[](absl::string_view key) const {
  static const JsonValue* const kNull = new JsonValue;
  for (const auto& [name, value] : members) {
    if (name == key) return value;
  }
  return *kNull;
}

const JsonValue& JsonValue::operator[](size_t index) const {
  static const JsonValue* const kNull = new JsonValue;
  return index < array.size() ? array[index] : *kNull;
}

namespace {

class JsonParser {
 public:
  explicit JsonParser(absl::string_view text) : text_(text) {}

  absl::StatusOr<JsonValue> ParseDocument() {
    JsonValue value;
    if (!Value(&value, 0)) return Error();
    SkipSpace();
    if (pos_ != text_.size()) {
      Fail("trailing text");
      return Error();
    }
    return value;
  }

 private:
  absl::Status Error() const {
    return absl::InvalidArgumentError(absl::StrCat("JSON error at offset ", error_at_, ": ",
                                                   error_));
  }
  bool Fail(absl::string_view message) {
    if (error_.empty()) {
      error_ = std::string(message);
      error_at_ = pos_;
    }
    return false;
  }

  void SkipSpace() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\n' || text_[pos_] == '\r' ||
            text_[pos_] == '\t')) {
      ++pos_;
    }
  }

  bool Literal(absl::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return Fail("bad literal");
    pos_ += word.size();
    return true;
  }

  bool Value(JsonValue* value, int depth) {
    if (depth > 100) return Fail("too deep");
    SkipSpace();
    if (pos_ >= text_.size()) return Fail("unexpected end");
    char c = text_[pos_];
    switch (c) {
      case '{': return Object(value, depth);
      case '[': return Array(value, depth);
      case '"': value->type = JsonValue::Type::kString; return String(&value->string);
      case 't': value->type = JsonValue::Type::kBool; value->boolean = true; return Literal("true");
      case 'f': value->type = JsonValue::Type::kBool; return Literal("false");
      case 'n': value->type = JsonValue::Type::kNull; return Literal("null");
      default: return Number(value);
    }
  }

  bool Number(JsonValue* value) {
    size_t start = pos_;
    auto digits = [&] {
      size_t begin = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      return pos_ > begin;
    };
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '0') {
      ++pos_;
    } else if (!digits()) {
      return Fail("bad value");
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (!digits()) return Fail("bad fraction");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (!digits()) return Fail("bad exponent");
    }
    value->type = JsonValue::Type::kNumber;
    value->number = std::stod(std::string(text_.substr(start, pos_ - start)));
    return true;
  }

  static void AppendUtf8(uint32_t code, std::string* out) {
    if (code < 0x80) {
      out->push_back(static_cast<char>(code));
    } else if (code < 0x800) {
      out->push_back(static_cast<char>(0xc0 | (code >> 6)));
      out->push_back(static_cast<char>(0x80 | (code & 0x3f)));
    } else if (code < 0x10000) {
      out->push_back(static_cast<char>(0xe0 | (code >> 12)));
      out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3f)));
      out->push_back(static_cast<char>(0x80 | (code & 0x3f)));
    } else {
      out->push_back(static_cast<char>(0xf0 | (code >> 18)));
      out->push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3f)));
      out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3f)));
      out->push_back(static_cast<char>(0x80 | (code & 0x3f)));
    }
  }

  bool Hex4(uint32_t* code) {
    if (pos_ + 4 > text_.size()) return Fail("short \\u escape");
    *code = 0;
    for (int i = 0; i < 4; ++i) {
      char c = text_[pos_++];
      *code <<= 4;
      if (c >= '0' && c <= '9') {
        *code |= c - '0';
      } else if (c >= 'a' && c <= 'f') {
        *code |= c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        *code |= c - 'A' + 10;
      } else {
        return Fail("bad \\u escape");
      }
    }
    return true;
  }

  bool String(std::string* out) {
    ++pos_;  // '"'
    while (true) {
      if (pos_ >= text_.size()) return Fail("unterminated string");
      unsigned char c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return Fail("control character in string");
      if (c == '\\') {
        ++pos_;
        if (pos_ >= text_.size()) return Fail("unterminated escape");
        char e = text_[pos_++];
        switch (e) {
          case '"': out->push_back('"'); break;
          case '\\': out->push_back('\\'); break;
          case '/': out->push_back('/'); break;
          case 'b': out->push_back('\b'); break;
          case 'f': out->push_back('\f'); break;
          case 'n': out->push_back('\n'); break;
          case 'r': out->push_back('\r'); break;
          case 't': out->push_back('\t'); break;
          case 'u': {
            uint32_t code;
            if (!Hex4(&code)) return false;
            if (code >= 0xd800 && code <= 0xdbff) {
              uint32_t low;
              if (text_.substr(pos_, 2) != "\\u") return Fail("lone high surrogate");
              pos_ += 2;
              if (!Hex4(&low)) return false;
              if (low < 0xdc00 || low > 0xdfff) return Fail("bad low surrogate");
              code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
            } else if (code >= 0xdc00 && code <= 0xdfff) {
              return Fail("lone low surrogate");
            }
            AppendUtf8(code, out);
            break;
          }
          default: --pos_; return Fail("bad escape");
        }
        continue;
      }
      // A UTF-8 sequence.
      size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
      if (length == 0 || pos_ + length > text_.size()) return Fail("invalid UTF-8");
      for (size_t i = 1; i < length; ++i) {
        if ((static_cast<unsigned char>(text_[pos_ + i]) & 0xc0) != 0x80) {
          return Fail("invalid UTF-8");
        }
      }
      out->append(text_.data() + pos_, length);
      pos_ += length;
    }
  }

  bool Array(JsonValue* value, int depth) {
    value->type = JsonValue::Type::kArray;
    ++pos_;  // '['
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return true;
    }
    while (true) {
      JsonValue element;
      if (!Value(&element, depth + 1)) return false;
      value->array.push_back(std::move(element));
      SkipSpace();
      if (pos_ >= text_.size()) return Fail("unterminated array");
      if (text_[pos_] == ']') {
        ++pos_;
        return true;
      }
      if (text_[pos_] != ',') return Fail("expected ',' or ']'");
      ++pos_;
    }
  }

  bool Object(JsonValue* value, int depth) {
    value->type = JsonValue::Type::kObject;
    ++pos_;  // '{'
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '"') return Fail("expected a member name");
      std::string name;
      if (!String(&name)) return false;
      if (value->Has(name)) return Fail("duplicate member name");
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != ':') return Fail("expected ':'");
      ++pos_;
      JsonValue member;
      if (!Value(&member, depth + 1)) return false;
      value->members.emplace_back(std::move(name), std::move(member));
      SkipSpace();
      if (pos_ >= text_.size()) return Fail("unterminated object");
      if (text_[pos_] == '}') {
        ++pos_;
        return true;
      }
      if (text_[pos_] != ',') return Fail("expected ',' or '}'");
      ++pos_;
    }
  }

  absl::string_view text_;
  size_t pos_ = 0;
  std::string error_;
  size_t error_at_ = 0;
};

}  // namespace

absl::StatusOr<JsonValue> ParseJson(absl::string_view text) {
  return JsonParser(text).ParseDocument();
}

}  // namespace harness::report_testing
