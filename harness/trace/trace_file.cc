// harness/trace/trace_file.cc: the binary trace file (see trace_file.h for the layout).
#include "harness/trace/trace_file.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "harness/trace/input_file.h"

namespace harness {
namespace {

// The event section is the in-memory Event array, byte for byte, on little-endian hosts.
static_assert(sizeof(Event) == 16, "events are 16 bytes on disk");
static_assert(std::is_trivially_copyable_v<Event>);
static_assert(offsetof(Event, kind) == 0 && offsetof(Event, detail) == 1 &&
                  offsetof(Event, thread) == 2 && offsetof(Event, site) == 4 &&
                  offsetof(Event, payload) == 8,
              "Event's layout must match the event record of the trace file");
constexpr bool kLittleEndianHost = std::endian::native == std::endian::little;

constexpr size_t kHeaderBytes = 16;
constexpr size_t kEventBytes = 16;
constexpr uint64_t kMaxSites = 0xffffffff;    // ids 0 .. kNoSite - 1
constexpr uint64_t kMaxThreads = 0xffff;      // ids 0 .. kNoThread - 1
constexpr uint64_t kMaxObjects = 0xffffffff;  // ids 0 .. kNoObject - 1
// The smallest records: a site with empty names and no stack (line, column, two string
// lengths, frame count); an object with an empty name (kind, name length, address,
// size, creation site, creator).
constexpr uint64_t kMinSiteBytes = 4 + 4 + 4 + 4 + 4;
constexpr uint64_t kMinObjectBytes = 1 + 4 + 8 + 8 + 4 + 2;

// ---------------------------------------------------------------------------------------
// Encoding.

size_t StringBytes(const std::string& s) { return 4 + s.size(); }

size_t EncodedSize(const Trace& trace) {
  size_t size = kHeaderBytes;
  size += 8;
  for (const SiteInfo& site : trace.sites()) {
    size += 4 + 4 + StringBytes(site.file) + StringBytes(site.function) + 4 +
            8 * site.stack.size();
  }
  size += 8;
  for (const ThreadInfo& thread : trace.threads()) {
    size += StringBytes(thread.name) + 2 + 4 + 4;
  }
  size += 8;
  for (const ObjectInfo& object : trace.objects()) {
    size += 1 + StringBytes(object.name) + 8 + 8 + 4 + 2;
  }
  size += 8 + kEventBytes * trace.events().size();
  size += 8;  // ordering_gaps
  return size;
}

class Writer {
 public:
  explicit Writer(char* out) : out_(out) {}

  template <typename T>
  void Int(T value) {
    static_assert(std::is_unsigned_v<T>);
    for (size_t i = 0; i < sizeof(T); ++i) {
      out_[i] = static_cast<char>(static_cast<uint8_t>(value >> (8 * i)));
    }
    out_ += sizeof(T);
  }
  void String(const std::string& s) {
    Int(static_cast<uint32_t>(s.size()));
    Bytes(s.data(), s.size());
  }
  void Bytes(const void* data, size_t size) {
    if (size == 0) return;
    std::memcpy(out_, data, size);
    out_ += size;
  }
  char* position() const { return out_; }

 private:
  char* out_;
};

// ---------------------------------------------------------------------------------------
// Decoding.

template <typename T>
T LoadLittle(const char* p) {
  static_assert(std::is_unsigned_v<T>);
  T value = 0;
  for (size_t i = 0; i < sizeof(T); ++i) {
    value = static_cast<T>(value | (static_cast<T>(static_cast<unsigned char>(p[i])) << (8 * i)));
  }
  return value;
}

#define HARNESS_RETURN_IF_ERROR(expr)        \
  do {                                       \
    absl::Status harness_status_ = (expr);   \
    if (!harness_status_.ok()) return harness_status_; \
  } while (false)

// A cursor over the input that turns every short read into a DataLoss error naming the
// offset, the field and the item being read ("u32 line of site 2 of 5").
class Reader {
 public:
  explicit Reader(absl::string_view bytes) : bytes_(bytes) {}

  size_t offset() const { return pos_; }
  size_t remaining() const { return bytes_.size() - pos_; }
  const char* data() const { return bytes_.data() + pos_; }
  void Skip(size_t n) { pos_ += n; }

  // The item the next reads belong to, for messages; kind == nullptr for none.
  void SetItem(const char* kind, uint64_t index, uint64_t count) {
    item_kind_ = kind;
    item_index_ = index;
    item_count_ = count;
  }

  // DataLoss: the input ends before `what` (read at byte `at`) is complete.
  absl::Status Truncated(size_t at, absl::string_view what) const {
    std::string item;
    if (item_kind_ != nullptr) {
      item = absl::StrFormat(" of %s %d of %d", item_kind_, item_index_, item_count_);
    }
    return absl::DataLossError(
        absl::StrFormat("trace file truncated at byte offset %d: expected %s%s (the input "
                        "ends at byte offset %d)",
                        at, what, item, bytes_.size()));
  }

  // Reads a fixed-width little-endian integer; `what` names it ("line").
  template <typename T>
  absl::Status Int(T* out, absl::string_view what) {
    if (remaining() < sizeof(T)) {
      return Truncated(pos_, absl::StrCat("u", 8 * sizeof(T), " ", what));
    }
    *out = LoadLittle<T>(data());
    pos_ += sizeof(T);
    return absl::OkStatus();
  }

  // Reads a u32 length and that many bytes; `what` names the string ("file name").
  absl::Status String(std::string* out, absl::string_view what) {
    if (remaining() < sizeof(uint32_t)) {  // the message is built only when needed
      return Truncated(pos_, absl::StrCat("u32 length of ", what));
    }
    const uint32_t length = LoadLittle<uint32_t>(data());
    pos_ += sizeof(uint32_t);
    if (length > remaining()) {
      return Truncated(pos_, absl::StrCat(length, "-byte ", what));
    }
    out->assign(data(), length);
    pos_ += length;
    return absl::OkStatus();
  }

 private:
  absl::string_view bytes_;
  size_t pos_ = 0;
  const char* item_kind_ = nullptr;
  uint64_t item_index_ = 0;
  uint64_t item_count_ = 0;
};

absl::Status CountTooLarge(absl::string_view what, uint64_t count, size_t offset,
                           uint64_t limit) {
  return absl::InvalidArgumentError(
      absl::StrFormat("%s count %d at byte offset %d exceeds the format's limit of %d", what,
                      count, offset, limit));
}

// "<item> <index> at byte offset <offset> refers to missing <what> <id> (the trace has
// <count> <noun>s)".
absl::Status MissingReference(absl::string_view item, uint64_t index, size_t offset,
                              absl::string_view what, uint64_t id, uint64_t count,
                              absl::string_view noun) {
  return absl::InvalidArgumentError(absl::StrFormat(
      "%s %d at byte offset %d refers to missing %s %d (the trace has %d %s%s)", item, index,
      offset, what, id, count, noun, count == 1 ? "" : "s"));
}

}  // namespace

bool AllValidDecodedEvents(std::span<const Event> events, uint64_t threads, uint64_t objects,
                           uint64_t sites) {
  size_t i = 0;
#if defined(__SSE2__)
  static_assert(sizeof(Event) == 16 && offsetof(Event, site) == 4 &&
                    offsetof(Event, payload) == 8 && std::endian::native == std::endian::little,
                "the vector check reads events as four 32-bit lanes: kind, detail and thread; "
                "site; object or address; sequence or address and size");
  // Lane-wise unsigned comparisons, by flipping the sign bit into a signed compare.
  const __m128i sign = _mm_set1_epi32(static_cast<int>(0x80000000u));
  auto above = [&](__m128i a, uint32_t bound) {  // a > bound, unsigned
    return _mm_cmpgt_epi32(_mm_xor_si128(a, sign),
                           _mm_set1_epi32(static_cast<int>(bound ^ 0x80000000u)));
  };
  if (threads >= 1 && objects >= 1 && threads <= 0xffffffffu && objects <= 0xffffffffu &&
      sites <= 0xffffffffu) {
    const uint32_t last_thread = static_cast<uint32_t>(threads - 1);
    const uint32_t last_object = static_cast<uint32_t>(objects - 1);
    const uint32_t site_count = static_cast<uint32_t>(sites);
    const __m128i low_byte = _mm_set1_epi32(0xff);
    const __m128i one = _mm_set1_epi32(1);
    const __m128i read = _mm_set1_epi32(static_cast<int>(EventKind::kRead));
    const __m128i write = _mm_set1_epi32(static_cast<int>(EventKind::kWrite));
    const __m128i destroyed = _mm_set1_epi32(static_cast<int>(EventKind::kDestroyedWhileWaitedOn));
    const __m128i no_thread = _mm_set1_epi32(kNoThread);
    __m128i bad = _mm_setzero_si128();
    const auto* data = reinterpret_cast<const __m128i*>(events.data());
    for (; i + 4 <= events.size(); i += 4) {
      const __m128i e0 = _mm_loadu_si128(data + i);
      const __m128i e1 = _mm_loadu_si128(data + i + 1);
      const __m128i e2 = _mm_loadu_si128(data + i + 2);
      const __m128i e3 = _mm_loadu_si128(data + i + 3);
      // Transposed: one lane per event.
      const __m128i low01 = _mm_unpacklo_epi32(e0, e1);
      const __m128i low23 = _mm_unpacklo_epi32(e2, e3);
      const __m128i high01 = _mm_unpackhi_epi32(e0, e1);
      const __m128i high23 = _mm_unpackhi_epi32(e2, e3);
      const __m128i head = _mm_unpacklo_epi64(low01, low23);
      const __m128i site = _mm_unpackhi_epi64(low01, low23);
      const __m128i object = _mm_unpacklo_epi64(high01, high23);
      const __m128i sequence = _mm_unpackhi_epi64(high01, high23);
      const __m128i kind = _mm_and_si128(head, low_byte);
      const __m128i thread = _mm_srli_epi32(head, 16);
      const __m128i access = _mm_or_si128(_mm_cmpeq_epi32(kind, read), _mm_cmpeq_epi32(kind, write));
      bad = _mm_or_si128(bad, above(kind, kEventKindCount - 1));
      bad = _mm_or_si128(bad, above(thread, last_thread));
      bad = _mm_or_si128(bad, above(_mm_add_epi32(site, one), site_count));  // kNoSite -> 0
      bad = _mm_or_si128(bad, _mm_andnot_si128(access, above(object, last_object)));
      const __m128i bad_waiter =
          _mm_andnot_si128(_mm_cmpeq_epi32(sequence, no_thread), above(sequence, last_thread));
      bad = _mm_or_si128(bad, _mm_and_si128(_mm_cmpeq_epi32(kind, destroyed), bad_waiter));
    }
    if (_mm_movemask_epi8(bad) != 0) return false;
  }
#endif
  bool valid = true;
  for (; i < events.size(); ++i) valid &= IsValidDecodedEvent(events[i], threads, objects, sites);
  return valid;
}

absl::Status BadEventError(const Event& e, uint64_t index, uint64_t offset,
                           uint64_t threads, uint64_t objects, uint64_t sites) {
  if (static_cast<int>(e.kind) >= kEventKindCount) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "event %d at byte offset %d has unknown kind %d", index, offset,
        static_cast<int>(e.kind)));
  }
  if (e.thread >= threads) {
    return MissingReference("event", index, offset, "thread", e.thread, threads, "thread");
  }
  if (e.site != kNoSite && e.site >= sites) {
    return MissingReference("event", index, offset, "site", e.site, sites, "site");
  }
  if (!IsMemoryAccess(e.kind) && e.object() >= objects) {
    return MissingReference("event", index, offset, "object", e.object(), objects, "object");
  }
  if (e.kind == EventKind::kDestroyedWhileWaitedOn && e.sequence() != kNoThread &&
      e.sequence() >= threads) {
    return MissingReference("event", index, offset, "waiting thread", e.sequence(), threads,
                            "thread");
  }
  return absl::OkStatus();
}

namespace {

absl::Status DecodeSites(Reader& r, Trace& trace) {
  uint64_t count = 0;
  const size_t count_offset = r.offset();
  HARNESS_RETURN_IF_ERROR(r.Int(&count, "site count"));
  if (count > kMaxSites) return CountTooLarge("site", count, count_offset, kMaxSites);
  // Each site takes at least 20 bytes, so the loop ends (truncated) long before a bogus
  // count could make it allocate more than a small multiple of the input; room for as
  // many as the rest of the input can hold, no more.
  trace.ReserveTables(std::min<uint64_t>(count, r.remaining() / kMinSiteBytes), 0, 0);
  for (uint64_t i = 0; i < count; ++i) {
    r.SetItem("site", i, count);
    SiteInfo site;
    HARNESS_RETURN_IF_ERROR(r.Int(&site.line, "line"));
    HARNESS_RETURN_IF_ERROR(r.Int(&site.column, "column"));
    HARNESS_RETURN_IF_ERROR(r.String(&site.file, "file name"));
    HARNESS_RETURN_IF_ERROR(r.String(&site.function, "function name"));
    uint32_t frames = 0;
    HARNESS_RETURN_IF_ERROR(r.Int(&frames, "stack frame count"));
    if (frames > r.remaining() / 8) {
      const size_t complete = r.remaining() / 8;
      return r.Truncated(r.offset() + 8 * complete,
                         absl::StrFormat("u64 stack frame %d of %d", complete, frames));
    }
    site.stack.resize(frames);
    for (uint32_t f = 0; f < frames; ++f) {
      site.stack[f] = LoadLittle<uint64_t>(r.data());
      r.Skip(8);
    }
    trace.AddSite(std::move(site));
  }
  r.SetItem(nullptr, 0, 0);
  return absl::OkStatus();
}

// Reads the thread table. The threads' own objects are checked once the object table
// is read: `thread_offsets` gets each thread's byte offset for that.
absl::Status DecodeThreads(Reader& r, Trace& trace, std::vector<size_t>& thread_offsets) {
  uint64_t count = 0;
  const size_t count_offset = r.offset();
  HARNESS_RETURN_IF_ERROR(r.Int(&count, "thread count"));
  if (count > kMaxThreads) return CountTooLarge("thread", count, count_offset, kMaxThreads);
  const uint64_t sites = trace.sites().size();
  for (uint64_t i = 0; i < count; ++i) {
    r.SetItem("thread", i, count);
    const size_t start = r.offset();
    ThreadInfo thread;
    HARNESS_RETURN_IF_ERROR(r.String(&thread.name, "thread name"));
    HARNESS_RETURN_IF_ERROR(r.Int(&thread.parent, "parent"));
    HARNESS_RETURN_IF_ERROR(r.Int(&thread.creation_site, "creation site"));
    HARNESS_RETURN_IF_ERROR(r.Int(&thread.object, "object"));
    if (thread.parent != kNoThread && thread.parent >= count) {
      return MissingReference("thread", i, start, "parent thread", thread.parent, count,
                              "thread");
    }
    if (thread.creation_site != kNoSite && thread.creation_site >= sites) {
      return MissingReference("thread", i, start, "creation site", thread.creation_site,
                              sites, "site");
    }
    thread_offsets.push_back(start);
    trace.AddThread(std::move(thread));
  }
  r.SetItem(nullptr, 0, 0);
  return absl::OkStatus();
}

absl::Status DecodeObjects(Reader& r, Trace& trace) {
  uint64_t count = 0;
  const size_t count_offset = r.offset();
  HARNESS_RETURN_IF_ERROR(r.Int(&count, "object count"));
  if (count > kMaxObjects) return CountTooLarge("object", count, count_offset, kMaxObjects);
  trace.ReserveTables(0, 0, std::min<uint64_t>(count, r.remaining() / kMinObjectBytes));
  const uint64_t sites = trace.sites().size();
  const uint64_t threads = trace.threads().size();
  for (uint64_t i = 0; i < count; ++i) {
    r.SetItem("object", i, count);
    const size_t start = r.offset();
    ObjectInfo object;
    uint8_t kind = 0;
    HARNESS_RETURN_IF_ERROR(r.Int(&kind, "kind"));
    if (kind >= kObjectKindCount) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "object %d at byte offset %d has unknown kind %d", i, start, kind));
    }
    object.kind = static_cast<ObjectKind>(kind);
    HARNESS_RETURN_IF_ERROR(r.String(&object.name, "object name"));
    HARNESS_RETURN_IF_ERROR(r.Int(&object.address, "address"));
    HARNESS_RETURN_IF_ERROR(r.Int(&object.size, "size"));
    HARNESS_RETURN_IF_ERROR(r.Int(&object.creation_site, "creation site"));
    HARNESS_RETURN_IF_ERROR(r.Int(&object.creator, "creator"));
    if (object.creation_site != kNoSite && object.creation_site >= sites) {
      return MissingReference("object", i, start, "creation site", object.creation_site,
                              sites, "site");
    }
    if (object.creator != kNoThread && object.creator >= threads) {
      return MissingReference("object", i, start, "creator thread", object.creator, threads,
                              "thread");
    }
    trace.AddObject(std::move(object));
  }
  r.SetItem(nullptr, 0, 0);
  return absl::OkStatus();
}

absl::Status DecodeEvents(Reader& r, Trace& trace, uint64_t count) {
  // Checked before allocating: a count the remaining bytes cannot hold fails here, at
  // the first event that is cut short.
  if (count > r.remaining() / kEventBytes) {
    const size_t complete = r.remaining() / kEventBytes;
    return r.Truncated(r.offset() + kEventBytes * complete,
                       absl::StrFormat("16-byte event %d of %d", complete, count));
  }
  const size_t start = r.offset();
  std::vector<Event>& events = trace.mutable_events();
  events.resize(count);
  if constexpr (kLittleEndianHost) {
    if (count > 0) std::memcpy(events.data(), r.data(), count * kEventBytes);
  } else {
    const char* p = r.data();
    for (Event& e : events) {
      e.kind = static_cast<EventKind>(LoadLittle<uint8_t>(p));
      e.detail = LoadLittle<uint8_t>(p + 1);
      e.thread = LoadLittle<uint16_t>(p + 2);
      e.site = LoadLittle<uint32_t>(p + 4);
      e.payload = LoadLittle<uint64_t>(p + 8);
      p += kEventBytes;
    }
  }
  r.Skip(count * kEventBytes);

  const uint64_t threads = trace.threads().size();
  const uint64_t objects = trace.objects().size();
  const uint64_t sites = trace.sites().size();
  if (AllValidDecodedEvents(events, threads, objects, sites)) return absl::OkStatus();
  for (uint64_t i = 0; i < count; ++i) {  // the first bad one, and what is wrong with it
    absl::Status status =
        CheckDecodedEvent(events[i], i, start + kEventBytes * i, threads, objects, sites);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

// The header, the tables and the event count: on return `r` is at the first event.
absl::Status DecodeHead(absl::string_view bytes, Reader& r, Trace& trace,
                        uint64_t& event_count) {
  const absl::string_view magic(kTraceFileMagic, sizeof(kTraceFileMagic));
  if (bytes.size() < magic.size() && magic.substr(0, bytes.size()) == bytes) {
    return absl::DataLossError(absl::StrFormat(
        "trace file truncated at byte offset 0: expected 8-byte magic \"HRNTRACE\" (the input "
        "ends at byte offset %d)",
        bytes.size()));
  }
  if (bytes.substr(0, magic.size()) != magic) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "bad magic at byte offset 0: expected \"HRNTRACE\", found \"%s\" (not a trace file)",
        absl::CHexEscape(bytes.substr(0, magic.size()))));
  }
  r.Skip(magic.size());

  uint32_t version = 0;
  const size_t version_offset = r.offset();
  HARNESS_RETURN_IF_ERROR(r.Int(&version, "format version"));
  if (version != kTraceFormatVersion) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "unsupported trace format version %d at byte offset %d (this build reads version %d)",
        version, version_offset, kTraceFormatVersion));
  }
  uint32_t flags = 0;
  const size_t flags_offset = r.offset();
  HARNESS_RETURN_IF_ERROR(r.Int(&flags, "flags"));
  if (flags != 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "unknown flags 0x%x at byte offset %d (version %d defines none)", flags, flags_offset,
        kTraceFormatVersion));
  }

  HARNESS_RETURN_IF_ERROR(DecodeSites(r, trace));
  std::vector<size_t> thread_offsets;
  HARNESS_RETURN_IF_ERROR(DecodeThreads(r, trace, thread_offsets));
  HARNESS_RETURN_IF_ERROR(DecodeObjects(r, trace));
  // Now that the objects are known: the threads' own objects.
  const uint64_t objects = trace.objects().size();
  for (size_t i = 0; i < trace.threads().size(); ++i) {
    const ObjectId object = trace.threads()[i].object;
    if (object != kNoObject && object >= objects) {
      return MissingReference("thread", i, thread_offsets[i], "object", object, objects,
                              "object");
    }
  }
  return r.Int(&event_count, "event count");
}

// The checks above cover every cross-reference; Validate() is the final word.
absl::Status CheckConsistent(const Trace& trace) {
  if (absl::Status valid = trace.Validate(); !valid.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("trace file is inconsistent: ", valid.message()));
  }
  return absl::OkStatus();
}

absl::Status DecodeInto(absl::string_view bytes, Trace& trace) {
  Reader r(bytes);
  uint64_t event_count = 0;
  HARNESS_RETURN_IF_ERROR(DecodeHead(bytes, r, trace, event_count));
  HARNESS_RETURN_IF_ERROR(DecodeEvents(r, trace, event_count));

  uint64_t gaps = 0;
  HARNESS_RETURN_IF_ERROR(r.Int(&gaps, "ordering gap count"));
  trace.set_ordering_gaps(gaps);
  if (r.remaining() != 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%d unexpected trailing bytes at byte offset %d after the end of the trace",
        r.remaining(), r.offset()));
  }
  return CheckConsistent(trace);
}

absl::Status WithPath(const absl::Status& status, const std::string& path) {
  return absl::Status(status.code(), absl::StrCat(path, ": ", status.message()));
}

}  // namespace

std::string EncodeTrace(const Trace& trace) {
  std::string out;
  out.resize(EncodedSize(trace));
  Writer w(out.data());
  w.Bytes(kTraceFileMagic, sizeof(kTraceFileMagic));
  w.Int(kTraceFormatVersion);
  w.Int(uint32_t{0});  // flags

  w.Int(static_cast<uint64_t>(trace.sites().size()));
  for (const SiteInfo& site : trace.sites()) {
    w.Int(site.line);
    w.Int(site.column);
    w.String(site.file);
    w.String(site.function);
    w.Int(static_cast<uint32_t>(site.stack.size()));
    for (uint64_t frame : site.stack) w.Int(frame);
  }

  w.Int(static_cast<uint64_t>(trace.threads().size()));
  for (const ThreadInfo& thread : trace.threads()) {
    w.String(thread.name);
    w.Int(thread.parent);
    w.Int(thread.creation_site);
    w.Int(thread.object);
  }

  w.Int(static_cast<uint64_t>(trace.objects().size()));
  for (const ObjectInfo& object : trace.objects()) {
    w.Int(static_cast<uint8_t>(object.kind));
    w.String(object.name);
    w.Int(object.address);
    w.Int(object.size);
    w.Int(object.creation_site);
    w.Int(object.creator);
  }

  const std::vector<Event>& events = trace.events();
  w.Int(static_cast<uint64_t>(events.size()));
  if constexpr (kLittleEndianHost) {
    w.Bytes(events.data(), events.size() * kEventBytes);
  } else {
    for (const Event& e : events) {
      w.Int(static_cast<uint8_t>(e.kind));
      w.Int(e.detail);
      w.Int(e.thread);
      w.Int(e.site);
      w.Int(e.payload);
    }
  }
  w.Int(trace.ordering_gaps());
  return out;
}

absl::Status CheckEncodable(const Trace& trace) {
  constexpr uint64_t kMaxString = 0xffffffff;
  if (trace.threads().size() > kMaxThreads) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "the trace has %d threads; the format holds at most %d", trace.threads().size(),
        kMaxThreads));
  }
  if (trace.sites().size() > kMaxSites || trace.objects().size() > kMaxObjects) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "the trace has %d sites and %d objects; the format holds at most %d of each",
        trace.sites().size(), trace.objects().size(), kMaxSites));
  }
  auto too_long = [&](const std::string& s) { return s.size() > kMaxString; };
  for (size_t i = 0; i < trace.sites().size(); ++i) {
    const SiteInfo& site = trace.sites()[i];
    if (too_long(site.file) || too_long(site.function) || site.stack.size() > kMaxString) {
      return absl::InvalidArgumentError(
          absl::StrFormat("site %d has a name or stack too long for the format", i));
    }
  }
  for (size_t i = 0; i < trace.threads().size(); ++i) {
    if (too_long(trace.threads()[i].name)) {
      return absl::InvalidArgumentError(
          absl::StrFormat("thread %d has a name too long for the format", i));
    }
  }
  for (size_t i = 0; i < trace.objects().size(); ++i) {
    if (too_long(trace.objects()[i].name)) {
      return absl::InvalidArgumentError(
          absl::StrFormat("object %d has a name too long for the format", i));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Trace> DecodeTrace(absl::string_view bytes) {
  Trace trace;
  HARNESS_RETURN_IF_ERROR(DecodeInto(bytes, trace));
  return trace;
}

absl::StatusOr<TraceFileHead> DecodeTraceHead(absl::string_view bytes) {
  TraceFileHead head;
  Reader r(bytes);
  HARNESS_RETURN_IF_ERROR(DecodeHead(bytes, r, head.tables, head.event_count));
  HARNESS_RETURN_IF_ERROR(CheckConsistent(head.tables));
  head.events_offset = r.offset();
  return head;
}

absl::Status WriteTraceFile(const Trace& trace, const std::string& path) {
  if (absl::Status encodable = CheckEncodable(trace); !encodable.ok()) {
    return WithPath(encodable, path);
  }
  const std::string bytes = EncodeTrace(trace);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return absl::ErrnoToStatus(errno, absl::StrCat("cannot create trace file ", path));
  }
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      ::close(fd);
      return absl::ErrnoToStatus(error, absl::StrCat("cannot write trace file ", path));
    }
    written += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) {
    return absl::ErrnoToStatus(errno, absl::StrCat("cannot write trace file ", path));
  }
  return absl::OkStatus();
}

absl::StatusOr<Trace> ReadTraceFile(const std::string& path) {
  absl::StatusOr<InputFile> input = InputFile::Open(path);
  if (!input.ok()) return input.status();
  absl::StatusOr<std::string> bytes = input->ReadAll();
  if (!bytes.ok()) return bytes.status();
  absl::StatusOr<Trace> trace = DecodeTrace(*bytes);
  if (!trace.ok()) return WithPath(trace.status(), path);
  return trace;
}

#undef HARNESS_RETURN_IF_ERROR

}  // namespace harness
