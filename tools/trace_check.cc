// tools/trace_check.cc: RunTraceCheck().
#include "tools/trace_check.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "harness/check/analyze.h"
#include "harness/check/race_detector.h"
#include "harness/check/streaming_analyzer.h"
#include "harness/report/dot_printer.h"
#include "harness/report/printer.h"
#include "harness/report/suppressions.h"
#include "harness/report/symbolizer.h"
#include "harness/trace/std_format.h"

namespace harness {
namespace {

// Inputs at least this large get a progress bar (in kAuto mode, on a terminal).
constexpr uint64_t kLargeInputBytes = uint64_t{64} << 20;

absl::StatusOr<AnalysisOptions> ParseAnalyses(const TraceCheckOptions& options) {
  AnalysisOptions analysis;
  analysis.races = analysis.lock_order = analysis.misuse = false;
  for (absl::string_view name : absl::StrSplit(options.analyses, ',', absl::SkipWhitespace())) {
    if (name == "all") {
      analysis.races = analysis.lock_order = analysis.misuse = true;
    } else if (name == "races") {
      analysis.races = true;
    } else if (name == "lock_order") {
      analysis.lock_order = true;
    } else if (name == "misuse") {
      analysis.misuse = true;
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown analysis '", name, "' in --analyses (known: races, lock_order, misuse, all)"));
    }
  }
  if (!analysis.races && !analysis.lock_order && !analysis.misuse) {
    return absl::InvalidArgumentError("--analyses names no analysis");
  }
  if (options.max_cycle_length < 2) {
    return absl::InvalidArgumentError("--max_cycle_length must be at least 2");
  }
  analysis.lock_order_options.max_cycle_length = options.max_cycle_length;
  analysis.lock_order_options.lock_classes_by_site = options.lock_classes;
  return analysis;
}

// A progress bar on stderr: "[=====>    ]  52%  61.2M events  14.1M events/s".
class ProgressBar {
 public:
  ProgressBar(std::ostream& err, bool enabled) : err_(err), enabled_(enabled) {}

  void Update(const TraceReader& reader, uint64_t events) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    std::string line = "\r";
    if (std::optional<uint64_t> total = reader.total_bytes(); total.has_value() && *total > 0) {
      constexpr int kWidth = 30;
      const double done = static_cast<double>(reader.bytes_read()) / static_cast<double>(*total);
      const int filled = static_cast<int>(done * kWidth);
      line += "[";
      for (int i = 0; i < kWidth; ++i) line += i < filled ? '=' : (i == filled ? '>' : ' ');
      absl::StrAppendFormat(&line, "] %3d%%", static_cast<int>(done * 100));
    }
    absl::StrAppendFormat(&line, "  %.1fM events  %.1fM events/s ", events / 1e6,
                          seconds > 0 ? events / 1e6 / seconds : 0.0);
    err_ << line << std::flush;
    shown_ = true;
  }

  void Done() {
    if (shown_) err_ << "\r\033[K" << std::flush;
  }

 private:
  std::ostream& err_;
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_ = start_;
};

bool WantProgress(const TraceCheckOptions& options, const TraceReader& reader) {
  switch (options.progress) {
    case ProgressMode::kAlways: return true;
    case ProgressMode::kNever: return false;
    case ProgressMode::kAuto: break;
  }
  std::optional<uint64_t> total = reader.total_bytes();
  return ::isatty(STDERR_FILENO) == 1 && total.has_value() && *total >= kLargeInputBytes;
}

// Hands each batch of `reader` to `process`, then shows the events so far on `progress`
// (cleared at the end, error or not).
template <typename Process>
absl::Status ForEachBatch(TraceReader& reader, ProgressBar& progress, Process process) {
  std::vector<Event> batch;
  uint64_t events = 0;
  while (true) {
    if (absl::Status status = reader.ReadBatch(&batch); !status.ok()) {
      progress.Done();
      return status;
    }
    if (batch.empty()) break;
    process(batch);
    events += batch.size();
    progress.Update(reader, events);
  }
  progress.Done();
  return absl::OkStatus();
}

int Unusable(std::ostream& err, const absl::Status& status) {
  err << "trace_check: " << status.message() << "\n";
  return kExitUnusableInput;
}

// The exact race analysis of a binary trace with atomics (or other objects whose
// observers may see old versions) needs a first pass over its events.
absl::StatusOr<std::optional<ObservationPlan>> PlanIfNeeded(const TraceCheckOptions& options,
                                                           const TraceReader& reader,
                                                           const AnalysisOptions& analysis,
                                                           std::ostream& err) {
  if (!analysis.races || reader.format() != TraceFormat::kBinary ||
      !NeedsObservationPlan(reader.tables())) {
    return std::optional<ObservationPlan>();
  }
  if (options.input == "-") {
    err << "trace_check: standard input is read once: the race analysis keeps a bounded "
           "history of atomics' clocks instead of planning them\n";
    return std::optional<ObservationPlan>();
  }
  absl::StatusOr<std::unique_ptr<TraceReader>> first_pass =
      OpenTraceReader(options.input, TraceFormat::kBinary);
  if (!first_pass.ok()) return first_pass.status();
  ObservationPlan plan;
  ProgressBar no_progress(err, false);
  absl::Status read = ForEachBatch(**first_pass, no_progress, [&](const std::vector<Event>& batch) {
    for (const Event& event : batch) plan.Add(event);
  });
  if (!read.ok()) return read;
  return std::optional<ObservationPlan>(std::move(plan));
}

absl::Status WriteFile(const std::string& path, absl::string_view text) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) return absl::NotFoundError(absl::StrCat("cannot create ", path));
  file.write(text.data(), static_cast<std::streamsize>(text.size()));
  file.close();
  if (!file) return absl::DataLossError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

int Convert(const TraceCheckOptions& options, TraceReader& reader, std::ostream& out,
            std::ostream& err) {
  if (options.convert != "std") {
    return Unusable(err, absl::InvalidArgumentError(absl::StrCat(
                             "unknown --convert format '", options.convert, "' (known: std)")));
  }
  std::ofstream file;
  std::ostream* sink = &out;
  if (options.convert_output != "-") {
    file.open(options.convert_output, std::ios::binary | std::ios::trunc);
    if (!file) {
      return Unusable(err, absl::NotFoundError(absl::StrCat("cannot create ",
                                                            options.convert_output)));
    }
    sink = &file;
  }
  StdTraceWriter writer(reader.tables());
  ProgressBar progress(err, WantProgress(options, reader));
  std::string text;
  absl::Status read = ForEachBatch(reader, progress, [&](const std::vector<Event>& batch) {
    text.clear();
    writer.Write(batch, &text);
    sink->write(text.data(), static_cast<std::streamsize>(text.size()));
  });
  if (!read.ok()) return Unusable(err, read);
  sink->flush();
  if (!*sink) {
    return Unusable(err, absl::DataLossError(absl::StrCat("cannot write ", options.convert_output)));
  }
  if (writer.events_left_out() > 0) {
    err << "trace_check: " << writer.events_left_out()
        << " event(s) have no STD counterpart and were left out";
    if (writer.atomics_left_out() > 0) {
      err << " (" << writer.atomics_left_out()
          << " atomic operations: the STD trace lacks their synchronization)";
    }
    err << "\n";
  }
  return kExitNothingFound;
}

}  // namespace

int RunTraceCheck(const TraceCheckOptions& options, std::ostream& out, std::ostream& err) {
  if (options.input.empty()) {
    return Unusable(err, absl::InvalidArgumentError("no trace file given (usage: trace_check "
                                                    "[flags] FILE)"));
  }
  absl::StatusOr<std::unique_ptr<TraceReader>> opened =
      OpenTraceReader(options.input, options.format);
  if (!opened.ok()) return Unusable(err, opened.status());
  TraceReader& reader = **opened;
  if (!options.convert.empty()) return Convert(options, reader, out, err);

  absl::StatusOr<AnalysisOptions> analysis = ParseAnalyses(options);
  if (!analysis.ok()) return Unusable(err, analysis.status());
  std::unique_ptr<ReportPrinter> printer;
  {
    PrinterOptions printer_options;
    printer_options.symbolizer = RawAddressSymbolizer();  // addresses of another process
    absl::StatusOr<std::unique_ptr<ReportPrinter>> made =
        MakePrinter(options.output, printer_options);
    if (!made.ok()) return Unusable(err, made.status());
    printer = *std::move(made);
  }
  Suppressions suppressions;
  if (!options.suppressions_file.empty()) {
    absl::StatusOr<Suppressions> loaded = LoadSuppressionsFile(options.suppressions_file);
    if (!loaded.ok()) return Unusable(err, loaded.status());
    suppressions = *std::move(loaded);
    analysis->suppressions = &suppressions;
  }

  absl::StatusOr<std::optional<ObservationPlan>> plan =
      PlanIfNeeded(options, reader, *analysis, err);
  if (!plan.ok()) return Unusable(err, plan.status());
  StreamingAnalyzer analyzer(reader.tables(), *analysis, *std::move(plan));
  ProgressBar progress(err, WantProgress(options, reader));
  absl::Status read = ForEachBatch(reader, progress,
                                   [&](const std::vector<Event>& batch) { analyzer.Process(batch); });
  if (!read.ok()) return Unusable(err, read);

  const Trace& tables = reader.tables();
  Report report = analyzer.Finish();
  std::string text;
  printer->Print(tables, report, &text);
  out << text << std::flush;
  if (!options.dot_file.empty()) {
    PrinterOptions dot_options;
    dot_options.symbolizer = RawAddressSymbolizer();
    DotPrinter dot(dot_options);
    std::string graph;
    const std::vector<LockOrderEdge> edges = analyzer.LockOrderEdges();
    dot.PrintLockOrderGraph(tables, report, edges, &graph);
    if (absl::Status written = WriteFile(options.dot_file, graph); !written.ok()) {
      return Unusable(err, written);
    }
  }
  err << absl::StrFormat("trace_check: %s: %d events, %d threads: %d finding%s", options.input,
                         analyzer.events_processed(), tables.threads().size(),
                         report.findings.size(), report.findings.size() == 1 ? "" : "s");
  if (report.suppressed > 0) err << absl::StrFormat(" (%d suppressed)", report.suppressed);
  err << "\n";
  return report.findings.empty() ? kExitNothingFound : kExitFindings;
}

}  // namespace harness
