// harness/report/dot_printer.cc: the lock-order graph of a report as DOT.
#include "harness/report/dot_printer.h"

#include <set>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "harness/report/printer_util.h"

namespace harness {

std::string DotQuote(absl::string_view text) {
  std::string quoted = "\"";
  for (char c : text) {
    switch (c) {
      case '"': quoted += "\\\""; break;
      case '\\': quoted += "\\\\"; break;
      case '\n': quoted += "\\n"; break;
      case '\r': break;
      default: quoted.push_back(c);
    }
  }
  quoted += "\"";
  return quoted;
}

namespace {

// An edge's identity in the drawing: two cycles sharing an edge draw it once.
using EdgeKey = std::tuple<ObjectId, ObjectId, ThreadId, SiteId>;

EdgeKey KeyOf(const LockOrderEdge& edge) {
  return {edge.from, edge.to, edge.thread, edge.to_site};
}

}  // namespace

void DotPrinter::Print(const Trace& trace, const Report& report, std::string* out) {
  PrintLockOrderGraph(trace, report, {}, out);
}

void DotPrinter::PrintLockOrderGraph(const Trace& trace, const Report& report,
                                     std::span<const LockOrderEdge> graph_edges,
                                     std::string* out) {
  // The edges to draw: the cycles' first (red), then the graph's others (black).
  std::vector<const LockOrderEdge*> edges;
  std::set<EdgeKey> drawn;
  std::set<EdgeKey> in_cycle;
  for (const Finding& finding : report.findings) {
    const auto* cycle = std::get_if<LockOrderCycle>(&finding.details);
    if (cycle == nullptr) continue;
    for (const LockOrderEdge& edge : cycle->edges) {
      in_cycle.insert(KeyOf(edge));
      if (drawn.insert(KeyOf(edge)).second) edges.push_back(&edge);
    }
  }
  for (const LockOrderEdge& edge : graph_edges) {
    if (drawn.insert(KeyOf(edge)).second) edges.push_back(&edge);
  }
  std::set<ObjectId> nodes;
  for (const LockOrderEdge* edge : edges) {
    nodes.insert(edge->from);
    nodes.insert(edge->to);
  }

  report_internal::SiteFrameCache frames(trace, options_.symbolizer);
  std::vector<SiteId> sites;
  for (const LockOrderEdge* edge : edges) sites.push_back(edge->to_site);
  frames.Prefetch(sites);

  *out += "digraph lock_order {\n";
  if (!edges.empty()) {
    std::string comment = "harness lock-order graph";
    if (!report.test_name.empty()) absl::StrAppend(&comment, " (test ", report.test_name, ")");
    for (char& c : comment) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    absl::StrAppend(out, "  // ", comment, "\n");
    *out += "  node [shape=box, fontname=\"monospace\"];\n";
  }
  auto node_id = [](ObjectId o) { return absl::StrCat("M", o); };
  for (ObjectId o : nodes) {
    absl::StrAppend(out, "  ", node_id(o), " [label=", DotQuote(trace.ObjectLabel(o)), "];\n");
  }
  for (const LockOrderEdge* edge : edges) {
    std::string label = trace.ThreadLabel(edge->thread);
    if (const Frame* top = frames.TopWithFile(edge->to_site)) {
      absl::StrAppend(&label, "\n", FrameLocation(*top));
    } else if (const Frame* first = frames.Top(edge->to_site)) {
      absl::StrAppend(&label, "\n", FormatFrame(0, *first).substr(3));
    }
    absl::StrAppend(out, "  ", node_id(edge->from), " -> ", node_id(edge->to),
                    " [label=", DotQuote(label));
    if (in_cycle.contains(KeyOf(*edge))) *out += ", color=red, penwidth=2";
    *out += "];\n";
  }
  *out += "}\n";
}

}  // namespace harness
