// harness/report/dot_printer.h: the lock-order graph as Graphviz DOT.
//
//   digraph lock_order {
//     // harness lock-order graph (test Suite.Name)
//     node [shape=box, fontname="monospace"];
//     M1 [label="M1 'a'"];
//     M2 [label="M2 'b'"];
//     M1 -> M2 [label="T1 'w1'\nexamples/x.cc:21", color=red, penwidth=2];
//     M2 -> M1 [label="T2 'w2'\nexamples/x.cc:31", color=red, penwidth=2];
//   }
//
// Every mutex is a node labelled with Trace::ObjectLabel; every edge "acquired `to` while
// holding `from`" is labelled with the acquiring thread and the first user frame of the
// acquisition. Edges of a reported lock-order cycle are drawn red (penwidth 2).
//
// The whole lock-order graph is not part of a Report, so through the ReportPrinter
// interface the printer draws the nodes and edges that appear in the report's
// LockOrderCycle findings (each edge once, however many cycles share it). A caller that
// has the whole graph passes its edges to PrintLockOrderGraph(), which draws them too
// (black, unless they are in a reported cycle). A graph without edges is a valid empty
// digraph.
#ifndef HARNESS_REPORT_DOT_PRINTER_H_
#define HARNESS_REPORT_DOT_PRINTER_H_

#include <span>
#include <string>

#include "harness/report/printer.h"

namespace harness {

class DotPrinter final : public ReportPrinter {
 public:
  explicit DotPrinter(const PrinterOptions& options = {}) : options_(options) {}

  void Print(const Trace& trace, const Report& report, std::string* out) override;
  absl::string_view format() const override { return "dot"; }
  absl::string_view file_extension() const override { return ".dot"; }

  // DotPrinter::PrintLockOrderGraph()
  // As Print(), plus `graph_edges` (the whole lock-order graph, or any part of it):
  // edges of the report's cycles red, the others black.
  void PrintLockOrderGraph(const Trace& trace, const Report& report,
                           std::span<const LockOrderEdge> graph_edges, std::string* out);

 private:
  PrinterOptions options_;
};

// DotQuote()
// `text` as a DOT double-quoted string: '"' and '\' escaped, newlines as "\n".
std::string DotQuote(absl::string_view text);

}  // namespace harness

#endif  // HARNESS_REPORT_DOT_PRINTER_H_
