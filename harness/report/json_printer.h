// harness/report/json_printer.h: reports as JSON, in a documented and versioned schema.
//
// Schema "harness-report", version 1
// ==================================
// One JSON object per report. Ids (thread, object, site) index the trace the report was
// made from and are resolved by the "threads", "objects" and "sites" tables, which hold
// every thread / object / site the findings refer to (and, transitively, their creators,
// parents and creation sites), sorted by id. A reference to nothing is null. Addresses
// and offsets are strings of hex digits ("0x7ffd1000"): 64-bit values do not fit the
// doubles many JSON readers use. Members may be added within a version; a change that
// removes or retypes a member bumps "version".
//
//   {
//     "schema": "harness-report",
//     "version": 1,
//     "test": "Suite.Name",               // "" outside GoogleTest
//     "findings": [Finding...],
//     "suppressed": 0,                    // findings removed by suppressions
//     "lock_order_cycles_truncated": false,
//     "threads": [Thread...],
//     "objects": [Object...],
//     "sites": [Site...]
//   }
//
// Finding: the members every kind has, then the kind's own:
//   "kind":  "data-race" | "lock-order-cycle" | "mutex-misuse" | "deadlock"
//   "title": the text report's words: "data race", "lock-order-inversion (potential
//            deadlock)", "unlock of an unlocked mutex" (the misuse's), "deadlock"
//   "count": how many times the same finding was seen (>= 1)
//
//   data-race:        "current": Access (the later access), "previous": Access
//   lock-order-cycle: "edges": [Edge...]  (edges[i].to == edges[i+1].from; the last edge
//                     leads back to edges[0].from)
//   mutex-misuse:     "misuse": "unlock-not-held" | "unlock-held-by-other-thread" |
//                     "relock-non-recursive" | "destroy-locked" | "wait-without-mutex" |
//                     "thread-destroyed-joinable" | "unlock-shared-not-held" |
//                     "destroyed-while-waited-on",
//                     "thread": id, "object": id, "site": id,
//                     "other_thread": id|null (the holder / waiter),
//                     "other_site": id|null (where it took the object), "event_index": n
//   deadlock:         "lost_wakeup": bool (every live thread blocked, no cycle),
//                     "blocked": [Blocked...] (in wait-for order when it is a cycle)
//
// Access:  {"thread": id, "access": "read"|"write", "atomic": bool, "address": "0x..",
//           "size": n, "object": id|null, "site": id|null, "mutexes": [Held...],
//           "event_index": n}
// Edge:    {"from": id, "to": id, "thread": id, "from_site": id|null,
//           "to_site": id|null, "held": [Held...], "event_index": n}
//           ("to" acquired at "to_site" while holding "from", taken at "from_site")
// Blocked: {"thread": id, "waits_for": id|null, "site": id|null, "holder": id|null,
//           "holder_site": id|null, "held": [Held...]}
//           (holder: the lock's holder, the joined thread, or the thread running the
//           once flag's callable; holder_site: where a lock's holder took it)
// Held:    {"mutex": id, "mode": "write"|"read", "acquired_at": id|null}
//
// Thread:  {"id": n, "label": "T2 'depositor-2'", "name": "depositor-2",
//           "parent": id|null, "creation_site": id|null, "object": id|null}
// Object:  {"id": n, "label": "M3 'accounts'", "kind": "mutex" (ObjectKindName),
//           "name": "accounts", "address": "0x..", "size": n,
//           "creation_site": id|null, "creator": id|null}
// Site:    {"id": n, "file": "examples/x.cc", "line": n, "column": n,
//           "function": "void Account::Deposit(long int)" (as recorded),
//           "stack": ["0x..", ...] (return addresses, innermost first),
//           "frames": [Frame...] (what the text report prints for the site: its own
//           frame, then the symbolized stack without harness frames)}
// Frame:   {"function": "...", "file": "...", "line": n, "column": n, "address": "0x..",
//           "module": "bank_test", "module_offset": "0x.."}, each member present only
//           when known.
#ifndef HARNESS_REPORT_JSON_PRINTER_H_
#define HARNESS_REPORT_JSON_PRINTER_H_

#include <string>

#include "harness/report/printer.h"

namespace harness {

inline constexpr absl::string_view kJsonReportSchema = "harness-report";
inline constexpr int kJsonReportVersion = 1;

class JsonPrinter final : public ReportPrinter {
 public:
  explicit JsonPrinter(const PrinterOptions& options = {}) : options_(options) {}

  void Print(const Trace& trace, const Report& report, std::string* out) override;
  absl::string_view format() const override { return "json"; }
  absl::string_view file_extension() const override { return ".json"; }

 private:
  PrinterOptions options_;
};

}  // namespace harness

#endif  // HARNESS_REPORT_JSON_PRINTER_H_
