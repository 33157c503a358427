// harness/report/sarif_printer.h: reports as SARIF 2.1.0 (OASIS Static Analysis Results
// Interchange Format), for code-scanning tools.
//
// One run; runs[0].tool.driver is {"name": "harness", "rules": [...]} with one rule per
// finding kind, in FindingKind order (so ruleIndex == the kind's index):
//
//   data-race         level "error"
//   lock-order-cycle  level "warning" (a potential deadlock: no thread had to block)
//   mutex-misuse      level "error"
//   deadlock          level "error"
//
// Each finding is one result: ruleId, ruleIndex, level, message.text (one paragraph,
// with SARIF embedded links "[text](id)" to its related locations, literal brackets and
// backslashes escaped), locations[0] (the first user frame with a file of the finding's
// main site: the current access, the first edge's acquisition, the misuse, the first
// blocked thread), relatedLocations (the other access; every edge's acquisition and the
// acquisition of the lock it held; the holder's acquisition; the other blocked threads
// and holders), and occurrenceCount (Finding::count). A physicalLocation has
// artifactLocation.uri (a relative path with uriBaseId "%SRCROOT%", or a file:// URI for
// an absolute path, percent-encoded) and region.startLine / startColumn when known; a
// logicalLocation names the function. run.properties carries the test name, the number
// of suppressed findings and whether lock-order cycles were truncated.
#ifndef HARNESS_REPORT_SARIF_PRINTER_H_
#define HARNESS_REPORT_SARIF_PRINTER_H_

#include <string>

#include "harness/report/printer.h"

namespace harness {

inline constexpr absl::string_view kSarifSchemaUri =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

class SarifPrinter final : public ReportPrinter {
 public:
  explicit SarifPrinter(const PrinterOptions& options = {}) : options_(options) {}

  void Print(const Trace& trace, const Report& report, std::string* out) override;
  absl::string_view format() const override { return "sarif"; }
  absl::string_view file_extension() const override { return ".sarif"; }

 private:
  PrinterOptions options_;
};

// SarifUri()
// A file path as a SARIF artifactLocation.uri: relative paths stay relative,
// "/usr/x.h" becomes "file:///usr/x.h"; characters a URI may not hold are percent-encoded.
std::string SarifUri(absl::string_view path);

// SarifEscape()
// Escapes '\', '[' and ']' with a backslash, as SARIF message strings with embedded
// links require of literal text.
std::string SarifEscape(absl::string_view text);

}  // namespace harness

#endif  // HARNESS_REPORT_SARIF_PRINTER_H_
