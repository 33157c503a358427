// harness/report/text_printer.cc: ThreadSanitizer's report layout.
#include "harness/report/text_printer.h"

#include <algorithm>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "harness/report/printer_util.h"

namespace harness {

namespace {

using report_internal::Capitalize;
using report_internal::FindingThreads;
using report_internal::FindingTitle;
using report_internal::HolderRole;
using report_internal::HolderRoleOf;
using report_internal::MutexList;
using report_internal::SiteFrameCache;

constexpr absl::string_view kRule = "==================\n";

class TextWriter {
 public:
  TextWriter(const Trace& trace, const Report& report, SiteFrameCache* frames,
             std::string* out)
      : trace_(trace), report_(report), frames_(*frames), out_(*out) {}

  void Write(const Finding& finding) {
    absl::StrAppend(&out_, kRule, "WARNING: harness: ", FindingTitle(finding));
    if (!report_.test_name.empty()) absl::StrAppend(&out_, " (test ", report_.test_name, ")");
    out_ += "\n";
    SiteId summary_site = kNoSite;
    std::visit(
        [&](const auto& details) {
          using T = std::decay_t<decltype(details)>;
          if constexpr (std::is_same_v<T, DataRace>) {
            Race(details);
            summary_site = details.current.site;
          } else if constexpr (std::is_same_v<T, LockOrderCycle>) {
            Cycle(details);
            if (!details.edges.empty()) summary_site = details.edges[0].to_site;
          } else if constexpr (std::is_same_v<T, Misuse>) {
            MisuseText(details);
            summary_site = details.site;
          } else {
            DeadlockText(details);
            if (!details.threads.empty()) summary_site = details.threads[0].site;
          }
        },
        finding.details);
    ThreadSections(FindingThreads(trace_, finding));
    if (finding.count > 1) absl::StrAppend(&out_, "  (reported ", finding.count, " times)\n");
    Summary(FindingTitle(finding), summary_site);
    absl::StrAppend(&out_, kRule);
  }

 private:
  // "    #0 ..." lines for a site, or "    <null>".
  void Stack(SiteId site) {
    const std::vector<Frame>& frames = frames_.Frames(site);
    if (frames.empty()) {
      out_ += "    <null>\n";
      return;
    }
    for (size_t i = 0; i < frames.size(); ++i) {
      absl::StrAppend(&out_, "    ", FormatFrame(i, frames[i]), "\n");
    }
  }

  std::string Object(ObjectId object) const { return trace_.ObjectLabel(object); }
  std::string Thread(ThreadId thread) const { return trace_.ThreadLabel(thread); }

  const ObjectInfo* Info(ObjectId object) const {
    return object < trace_.objects().size() ? &trace_.objects()[object] : nullptr;
  }

  std::string KindAndObject(ObjectId object) const {
    return report_internal::KindAndObject(trace_, object);
  }

  void CreationSection(ObjectId object) {
    const ObjectInfo* info = Info(object);
    if (info == nullptr || info->creation_site == kNoSite || info->kind == ObjectKind::kThread) {
      return;
    }
    absl::StrAppend(&out_, "  ", Capitalize(KindAndObject(object)), " created at:\n");
    Stack(info->creation_site);
  }

  // ---- data races

  // "to 'balance'", "to M3", "at 0x1000" (writes); "from ..." for reads.
  std::string Target(const MemoryAccess& access) const {
    const ObjectInfo* info = Info(access.object);
    if (info == nullptr) return absl::StrFormat("at 0x%x", access.address);
    absl::string_view preposition = access.is_write ? "to" : "from";
    if (!info->name.empty()) return absl::StrCat(preposition, " '", info->name, "'");
    return absl::StrCat(preposition, " ", Object(access.object));
  }

  std::string AccessLine(const MemoryAccess& access, bool previous, bool with_target) const {
    std::string verb = absl::StrCat(access.is_atomic ? "atomic " : "",
                                    access.is_write ? "write" : "read");
    std::string text = previous ? absl::StrCat("Previous ", verb) : Capitalize(verb);
    absl::StrAppend(&text, " of size ", access.size);
    if (with_target) absl::StrAppend(&text, " ", Target(access));
    absl::StrAppend(&text, " by thread ", Thread(access.thread),
                    " (mutexes: ", MutexList(trace_, access.held), "):");
    return text;
  }

  void LocationSection(ObjectId object) {
    const ObjectInfo* info = Info(object);
    if (info == nullptr) return;
    absl::StrAppend(&out_, "  Location is ", KindAndObject(object));
    if (info->size != 0) absl::StrAppend(&out_, " of size ", info->size);
    if (info->address != 0) absl::StrAppendFormat(&out_, " at 0x%x", info->address);
    if (info->creation_site == kNoSite) {
      out_ += ".\n";
      return;
    }
    out_ += " created";
    if (info->creator != kNoThread) absl::StrAppend(&out_, " by thread ", Thread(info->creator));
    out_ += " at:\n";
    Stack(info->creation_site);
  }

  void Race(const DataRace& race) {
    absl::StrAppend(&out_, "  ", AccessLine(race.current, false, true), "\n");
    Stack(race.current.site);
    bool same_place = race.previous.object == race.current.object &&
                      (race.current.object != kNoObject ||
                       race.previous.address == race.current.address);
    absl::StrAppend(&out_, "  ", AccessLine(race.previous, true, !same_place), "\n");
    Stack(race.previous.site);

    LocationSection(race.current.object);  // nothing for kNoObject
    if (race.previous.object != race.current.object) LocationSection(race.previous.object);

    std::vector<ObjectId> mutexes;
    for (const std::vector<HeldLock>* held : {&race.current.held, &race.previous.held}) {
      for (const HeldLock& lock : *held) {
        if (std::find(mutexes.begin(), mutexes.end(), lock.mutex) == mutexes.end()) {
          mutexes.push_back(lock.mutex);
        }
      }
    }
    for (ObjectId m : mutexes) CreationSection(m);
  }

  // ---- lock-order cycles

  void Cycle(const LockOrderCycle& cycle) {
    if (cycle.edges.empty()) return;
    out_ += "  Cycle in lock order graph: ";
    for (const LockOrderEdge& edge : cycle.edges) absl::StrAppend(&out_, Object(edge.from), " => ");
    absl::StrAppend(&out_, Object(cycle.edges.front().from), "\n");
    for (const LockOrderEdge& edge : cycle.edges) {
      absl::StrAppend(&out_, "  Mutex ", Object(edge.to), " acquired here while holding mutex ",
                      Object(edge.from), " in thread ", Thread(edge.thread), ":\n");
      Stack(edge.to_site);
      absl::StrAppend(&out_, "  Mutex ", Object(edge.from),
                      " previously acquired by the same thread here:\n");
      Stack(edge.from_site);
    }
    if (cycle.edges.size() == 2) Scenario(cycle.edges[0], cycle.edges[1]);
  }

  // Linux lockdep's "possible unsafe locking scenario", as two columns.
  void Scenario(const LockOrderEdge& first, const LockOrderEdge& second) {
    auto lock = [&](ObjectId m) { return absl::StrCat("lock(", Object(m), ");"); };
    const std::string left_header = Thread(first.thread);
    const std::string right_header = Thread(second.thread);
    const std::string left1 = lock(first.from);
    const std::string right1 = lock(second.from);
    const std::string right2 = lock(second.to);
    const std::string left2 = lock(first.to);
    constexpr size_t kLeftHeader = 8;
    constexpr size_t kLeft = 3;
    size_t right = std::max<size_t>({30, kLeftHeader + left_header.size() + 2,
                                     kLeft + std::max(left1.size(), left2.size()) + 2});
    auto pad = [](std::string text, size_t width) {
      if (text.size() < width) text.append(width - text.size(), ' ');
      return text;
    };
    out_ += "  Possible unsafe scenario:\n";
    absl::StrAppend(&out_, pad(std::string(kLeftHeader, ' ') + left_header, right),
                    right_header, "\n");
    absl::StrAppend(&out_, pad(std::string(kLeftHeader, ' ') + "----", right), "----\n");
    absl::StrAppend(&out_, std::string(kLeft, ' '), left1, "\n");
    absl::StrAppend(&out_, std::string(right, ' '), right1, "\n");
    absl::StrAppend(&out_, std::string(right, ' '), right2, "\n");
    absl::StrAppend(&out_, std::string(kLeft, ' '), left2, "\n");
    absl::StrAppend(&out_, std::string(kLeft, ' '), "*** DEADLOCK ***\n");
  }

  // ---- misuse

  void MisuseText(const Misuse& misuse) {
    absl::string_view operation = "Use of";
    switch (misuse.kind) {
      case MisuseKind::kUnlockNotHeld:
      case MisuseKind::kUnlockHeldByOtherThread: operation = "Unlock of"; break;
      case MisuseKind::kRelockNonRecursive: operation = "Lock of"; break;
      case MisuseKind::kDestroyLocked:
      case MisuseKind::kThreadDestroyedJoinable:
      case MisuseKind::kDestroyedWhileWaitedOn: operation = "Destruction of"; break;
      case MisuseKind::kWaitWithoutMutex: operation = "Wait on"; break;
      case MisuseKind::kUnlockSharedNotHeld: operation = "Shared unlock of"; break;
    }
    const std::string object = KindAndObject(misuse.object);
    absl::StrAppend(&out_, "  ", operation, " ", object, " by thread ", Thread(misuse.thread),
                    ":\n");
    Stack(misuse.site);
    if (misuse.other_thread != kNoThread || misuse.other_site != kNoSite) {
      if (misuse.kind == MisuseKind::kDestroyedWhileWaitedOn) {
        absl::StrAppend(&out_, "  Thread ", Thread(misuse.other_thread), " waits on it here:\n");
      } else if (misuse.other_thread == misuse.thread) {
        absl::StrAppend(&out_, "  ", Capitalize(object),
                        " previously acquired by the same thread here:\n");
      } else if (misuse.other_thread != kNoThread) {
        absl::StrAppend(&out_, "  ", Capitalize(object), " is held by thread ",
                        Thread(misuse.other_thread), ", which acquired it here:\n");
      } else {
        absl::StrAppend(&out_, "  ", Capitalize(object), " acquired here:\n");
      }
      Stack(misuse.other_site);
    }
    CreationSection(misuse.object);
  }

  // ---- deadlocks

  void DeadlockText(const Deadlock& deadlock) {
    const bool cycle = !deadlock.threads.empty() &&
                       deadlock.threads.back().holder == deadlock.threads.front().thread;
    if (deadlock.lost_wakeup) {
      out_ += "  Every live thread is blocked and none is left to wake the others:\n";
    } else if (cycle) {
      out_ += "  Cycle in wait-for graph: ";
      for (const BlockedThread& blocked : deadlock.threads) {
        absl::StrAppend(&out_, Thread(blocked.thread), " => ");
      }
      absl::StrAppend(&out_, Thread(deadlock.threads.front().thread), "\n");
    } else if (!deadlock.threads.empty()) {
      out_ += "  Blocked for good, waiting for threads that have ended:\n";
    }
    for (const BlockedThread& blocked : deadlock.threads) {
      const std::string object = KindAndObject(blocked.waits_for);
      const HolderRole role = HolderRoleOf(trace_, blocked.waits_for);
      absl::StrAppend(&out_, "  Thread ", Thread(blocked.thread),
                      " (mutexes: ", MutexList(trace_, blocked.held), ") ",
                      role == HolderRole::kIsJoined ? "joins " : "blocks on ", object, " here:\n");
      Stack(blocked.site);
      if (blocked.holder == kNoThread) continue;
      if (role == HolderRole::kIsJoined) continue;  // the line above names the thread
      if (role == HolderRole::kRunsOnceCallable) {
        absl::StrAppend(&out_, "  The callable of ", object, " is running on thread ",
                        Thread(blocked.holder), "\n");
        continue;
      }
      absl::StrAppend(&out_, "  ", Capitalize(object), " is held by thread ",
                      Thread(blocked.holder));
      if (blocked.holder_site == kNoSite) {
        out_ += " (where it took it was not recorded)\n";
        continue;
      }
      out_ += ", which acquired it here:\n";
      Stack(blocked.holder_site);
    }
  }

  // ---- common sections

  void ThreadSections(const std::vector<ThreadId>& threads) {
    for (ThreadId t : threads) {
      if (t >= trace_.threads().size()) continue;
      const ThreadInfo& info = trace_.threads()[t];
      if (info.parent == kNoThread && info.creation_site == kNoSite) continue;
      absl::StrAppend(&out_, "  Thread ", Thread(t), " created");
      if (info.parent != kNoThread) absl::StrAppend(&out_, " by thread ", Thread(info.parent));
      out_ += " at:\n";
      Stack(info.creation_site);
    }
  }

  void Summary(absl::string_view title, SiteId site) {
    absl::StrAppend(&out_, "SUMMARY: harness: ", title);
    if (const Frame* top = frames_.Top(site)) {
      std::string location = FrameLocation(*top);
      if (location.empty() && top->address != 0) location = absl::StrFormat("0x%x", top->address);
      if (!location.empty()) absl::StrAppend(&out_, " ", location);
      if (!top->function.empty()) absl::StrAppend(&out_, " in ", top->function);
    }
    out_ += "\n";
  }

  const Trace& trace_;
  const Report& report_;
  SiteFrameCache& frames_;
  std::string& out_;
};

}  // namespace

void TextPrinter::Print(const Trace& trace, const Report& report, std::string* out) {
  SiteFrameCache frames(trace, options_.symbolizer);
  frames.Prefetch(report_internal::CollectReferences(trace, report).sites);
  TextWriter writer(trace, report, &frames, out);
  for (const Finding& finding : report.findings) writer.Write(finding);
  if (report.suppressed > 0) {
    absl::StrAppend(out, "harness: ", report.suppressed,
                    report.suppressed == 1 ? " finding" : " findings", " suppressed\n");
  }
  if (report.lock_order_cycles_truncated) {
    absl::StrAppend(out, "harness: lock-order cycles longer than the search limit were not "
                         "reported\n");
  }
}

}  // namespace harness
