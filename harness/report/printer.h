// harness/report/printer.h: one interface for every report format, like Google
// Benchmark's reporters. Each format lives in its own file:
//
//   text   text_printer.h    ThreadSanitizer's layout, for test logs
//   json   json_printer.h    a documented, versioned schema ("harness-report", version 1)
//   sarif  sarif_printer.h   SARIF 2.1.0, for code-scanning tools
//   dot    dot_printer.h     the lock-order graph of the reported cycles, for Graphviz
//
//   absl::StatusOr<std::unique_ptr<ReportPrinter>> printer = MakePrinter("json");
//   if (!printer.ok()) return printer.status();
//   std::string out;
//   (*printer)->Print(trace, report, &out);
//
// Printers only format: deduplicate (dedup.h) and suppress (suppressions.h) first.
#ifndef HARNESS_REPORT_PRINTER_H_
#define HARNESS_REPORT_PRINTER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "harness/report/finding.h"
#include "harness/report/symbolizer.h"
#include "harness/trace/trace.h"

namespace harness {

struct PrinterOptions {
  // Turns the stacks of call sites into frames. Null: ProcessSymbolizer(), right for a
  // trace this process recorded. For a trace read from a file pass
  // RawAddressSymbolizer(): its addresses belong to another process.
  Symbolizer* symbolizer = nullptr;
};

class ReportPrinter {
 public:
  virtual ~ReportPrinter() = default;

  // ReportPrinter::Print()
  // Appends the report to *out. `report`'s ids index `trace`. An empty report prints
  // nothing in text, and an empty but valid document in the other formats.
  virtual void Print(const Trace& trace, const Report& report, std::string* out) = 0;

  // "text", "json", "sarif", "dot": the name MakePrinter() knows it by.
  virtual absl::string_view format() const = 0;
  // ".txt", ".json", ".sarif", ".dot": for files written to undeclared test outputs.
  virtual absl::string_view file_extension() const = 0;
};

// KnownReportFormats()
// {"text", "json", "sarif", "dot"}.
const std::vector<absl::string_view>& KnownReportFormats();

// MakePrinter()
// The printer for `format` (one of KnownReportFormats()); InvalidArgument naming the
// known formats for anything else.
absl::StatusOr<std::unique_ptr<ReportPrinter>> MakePrinter(absl::string_view format,
                                                          const PrinterOptions& options = {});

// PrintReport()
// MakePrinter(format, options) and Print into a new string.
absl::StatusOr<std::string> PrintReport(absl::string_view format, const Trace& trace,
                                        const Report& report,
                                        const PrinterOptions& options = {});

}  // namespace harness

#endif  // HARNESS_REPORT_PRINTER_H_
