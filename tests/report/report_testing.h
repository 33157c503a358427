// tests/report/report_testing.h: a hand-built trace (a bank: threads, an account's
// shared balance, mutexes, call sites with and without stacks), the findings the report
// tests print, a fake symbolizer with fixed frames, and a strict minimal JSON parser for
// checking the JSON and SARIF outputs.
#ifndef TESTS_REPORT_REPORT_TESTING_H_
#define TESTS_REPORT_REPORT_TESTING_H_

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "harness/report/finding.h"
#include "harness/report/symbolizer.h"
#include "harness/trace/trace.h"

namespace harness::report_testing {

// Threads.
inline constexpr ThreadId kMain = 0;        // T0 'main'
inline constexpr ThreadId kDepositor1 = 1;  // T1 'depositor-1', created by T0
inline constexpr ThreadId kDepositor2 = 2;  // T2 'depositor-2', created by T0
inline constexpr ThreadId kAuditor = 3;     // T3 (unnamed), created by T0

// Objects.
inline constexpr ObjectId kBalance = 0;  // M0 'balance', shared variable at 0x1000, 8 bytes
inline constexpr ObjectId kMutexA = 1;   // M1 'a'
inline constexpr ObjectId kMutexB = 2;   // M2 'b'
inline constexpr ObjectId kMutexC = 3;   // M3 'c'
inline constexpr ObjectId kCondVar = 4;  // M4 'cv', no creation site
inline constexpr ObjectId kRwLock = 5;   // M5, an unnamed shared mutex, no creation site
inline constexpr ObjectId kThread1Object = 6;  // M6 'depositor-1', T1's Thread object
inline constexpr ObjectId kThread2Object = 7;  // M7 'depositor-2'
inline constexpr ObjectId kThread3Object = 8;  // M8, T3's

// Sites.
inline constexpr SiteId kCreate1 = 0;         // bank_test.cc:40, creates T1
inline constexpr SiteId kCreate2 = 1;         // bank_test.cc:41, creates T2
inline constexpr SiteId kCreate3 = 2;         // bank_test.cc:42, creates T3
inline constexpr SiteId kBalanceCreated = 3;  // account.h:12 Account::Account()
inline constexpr SiteId kMutexACreated = 4;   // account.h:13
inline constexpr SiteId kMutexBCreated = 5;   // account.h:14
inline constexpr SiteId kMutexCCreated = 6;   // account.h:15
inline constexpr SiteId kDepositWrite = 7;    // account.cc:21 Account::Deposit(long int)
inline constexpr SiteId kBalanceRead = 8;     // account.cc:30 Account::Balance() const
inline constexpr SiteId kTransferLockA = 9;   // transfer.cc:10 Transfer(...)
inline constexpr SiteId kTransferLockB = 10;  // transfer.cc:11
inline constexpr SiteId kRefundLockB = 11;    // transfer.cc:20 Refund(...)
inline constexpr SiteId kRefundLockA = 12;    // transfer.cc:21
// A std::lock_guard site (std_mutex.h:229) whose stack leads through the harness and
// lock_guard's constructor to Audit(Account&) audit.cc:7 and main.cc:30.
inline constexpr SiteId kAuditLockGuard = 13;
inline constexpr SiteId kAuditLockB = 14;     // audit.cc:9 Audit(Account&)
inline constexpr SiteId kAuditLockC = 15;     // audit.cc:8
// Worker(int) worker.cc:33 with a stack: a harness frame, Worker itself again (left
// out), and a libstdc++ frame known only by module + offset.
inline constexpr SiteId kWorkerUnlock = 16;
// A site whose stack the fake symbolizer does not know (raw addresses only).
inline constexpr SiteId kUnknownStack = 17;
inline constexpr SiteId kWorkerLockA = 18;    // worker.cc:30 Worker(int)
inline constexpr SiteId kWaitSite = 19;       // worker.cc:40 Worker(int)
inline constexpr SiteId kTeardown = 20;       // bank_test.cc:60 TestBody()

// The trace above (Trace::Validate() OK).
Trace BankTrace();

// The symbolizer of BankTrace()'s stacks: fixed frames for the addresses it knows,
// raw addresses for the others.
class FakeSymbolizer final : public Symbolizer {
 public:
  FakeSymbolizer();
  std::vector<std::vector<Frame>> Symbolize(std::span<const uint64_t> addresses) override;

  int calls() const { return calls_; }

 private:
  std::map<uint64_t, std::vector<Frame>> frames_;
  int calls_ = 0;
};

// Findings on BankTrace().
// T2 writes 'balance' at account.cc:21 holding nothing; T1 read it before at
// account.cc:30 holding M1 'a' (write) and M5 (read).
Finding RaceFinding();
// T1: Transfer locks a then b; T2: Refund locks b then a.
Finding TwoLockCycleFinding();
// T1: a -> b (Transfer), T2: b -> c (audit.cc:8 while holding b from audit.cc:9),
// T3: c -> a (the lock_guard site with a stack, holding c).
Finding ThreeLockCycleFinding();
// One finding of each MisuseKind, in enum order.
std::vector<Finding> MisuseFindings();
// T1 blocks on b (held by T2), T2 blocks on a (held by T1).
Finding DeadlockFinding();

// A report of `findings` for test "Bank.Transfer".
Report MakeReport(std::vector<Finding> findings);

// ExpectGolden()
// Expects `actual` to equal tests/report/testdata/<name> exactly. Under
// `HARNESS_UPDATE_GOLDENS=1 bazel run //tests/report:<test>` it rewrites the file in the
// workspace instead (review the diff before keeping it).
void ExpectGolden(absl::string_view name, const std::string& actual);

// A JSON value, as the strict parser below reads it.
struct JsonValue {
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  Type type = Type::kNull;
  bool boolean = false;
  double number = 0;
  std::string string;
  std::vector<JsonValue> array;
  std::vector<std::pair<std::string, JsonValue>> members;  // in document order

  bool Has(absl::string_view key) const;
  // The member / element, or a null value when absent.
  const JsonValue& operator[](absl::string_view key) const;
  const JsonValue& operator[](const char* key) const { return (*this)[absl::string_view(key)]; }
  const JsonValue& operator[](size_t index) const;
  const JsonValue& operator[](int index) const { return (*this)[static_cast<size_t>(index)]; }
  size_t size() const { return type == Type::kArray ? array.size() : members.size(); }
};

// ParseJson()
// RFC 8259 JSON, strictly: no trailing commas, comments, unescaped control characters,
// bad escapes, invalid UTF-8, duplicate member names or trailing text.
// InvalidArgument with the offset of the first error.
absl::StatusOr<JsonValue> ParseJson(absl::string_view text);

}  // namespace harness::report_testing

#endif  // TESTS_REPORT_REPORT_TESTING_H_
