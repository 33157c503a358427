// harness/report/printer.cc: the printer factory.
#include "harness/report/printer.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "harness/report/dot_printer.h"
#include "harness/report/json_printer.h"
#include "harness/report/sarif_printer.h"
#include "harness/report/text_printer.h"

namespace harness {

const std::vector<absl::string_view>& KnownReportFormats() {
  static const auto* formats = new std::vector<absl::string_view>{"text", "json", "sarif", "dot"};
  return *formats;
}

absl::StatusOr<std::unique_ptr<ReportPrinter>> MakePrinter(absl::string_view format,
                                                          const PrinterOptions& options) {
  if (format == "text") return std::make_unique<TextPrinter>(options);
  if (format == "json") return std::make_unique<JsonPrinter>(options);
  if (format == "sarif") return std::make_unique<SarifPrinter>(options);
  if (format == "dot") return std::make_unique<DotPrinter>(options);
  return absl::InvalidArgumentError(absl::StrCat("unknown report format '", format,
                                                 "' (known formats: ",
                                                 absl::StrJoin(KnownReportFormats(), ", "), ")"));
}

absl::StatusOr<std::string> PrintReport(absl::string_view format, const Trace& trace,
                                        const Report& report, const PrinterOptions& options) {
  absl::StatusOr<std::unique_ptr<ReportPrinter>> printer = MakePrinter(format, options);
  if (!printer.ok()) return printer.status();
  std::string out;
  (*printer)->Print(trace, report, &out);
  return out;
}

}  // namespace harness
