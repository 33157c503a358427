// harness/check/granule_index.h: GranuleIndex, the race detector's map from 8-byte
// granule addresses to shadow-state indices, as a two-level page table (like a CPU's:
// a hash map of pages, each a dense array of entries) with a small direct-mapped cache
// of recently used pages. Variables near each other share a page, so a lookup is
// usually one load from a cached page, and the entry of a later access can be fetched
// into the CPU cache ahead of its turn (Prefetch()), which a hash map's slot cannot.
#ifndef HARNESS_CHECK_GRANULE_INDEX_H_
#define HARNESS_CHECK_GRANULE_INDEX_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace harness {

class GranuleIndex {
 public:
  static constexpr uint32_t kAbsent = 0xffffffff;
  static constexpr uint64_t kGranuleBytes = 8;
  static constexpr uint64_t kGranulesPerPage = 512;  // a 4 KiB page of the traced program
  static constexpr uint64_t kPageBytes = kGranuleBytes * kGranulesPerPage;

  GranuleIndex();

  // GranuleIndex::Find()
  // The index stored for the granule at `base` (a multiple of kGranuleBytes), or
  // kAbsent.
  uint32_t Find(uint64_t base) const {
    const Page* page = PageOf(base >> kPageShift);
    return page == nullptr ? kAbsent : page->entries[Offset(base)];
  }

  // GranuleIndex::Insert()
  // The entry of the granule at `base`, and whether it was just added: then the caller
  // must store the granule's index in it (never kAbsent; Erase() removes entries).
  std::pair<uint32_t*, bool> Insert(uint64_t base);

  // GranuleIndex::Erase()
  // Forgets the granule at `base` (nothing if absent). A page whose entries are all
  // absent is freed.
  void Erase(uint64_t base);

  // GranuleIndex::EntryOf()
  // Where the entry of the granule at `base` lives (it reads kAbsent while the granule
  // is absent); when its page does not exist yet, a constant kAbsent (the granule may
  // be added later: look it up again). Valid until a page is freed: see pages_freed().
  // For looking a granule up once and reading it again later.
  const uint32_t* EntryOf(uint64_t base) const {
    const Page* page = PageOf(base >> kPageShift);
    return page == nullptr ? &kAbsentEntry : &page->entries[Offset(base)];
  }

  // Pages freed so far (by Erase()); when it changes, pointers from EntryOf() may dangle.
  uint64_t pages_freed() const { return pages_freed_; }

  // Granules present.
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // GranuleIndex::ForEachIn()
  // Calls fn(base, index) for every present granule in [begin, end), in address order
  // within a page (pages in no particular order). `fn` must not change the index; it may
  // collect bases to erase afterwards. Visits only existing pages, however wide the
  // range.
  template <class Fn>
  void ForEachIn(uint64_t begin, uint64_t end, Fn fn) const {
    const uint64_t first_page = begin >> kPageShift;
    const uint64_t last_page = (end - 1) >> kPageShift;
    auto visit = [&](uint64_t page_number, const Page& page) {
      const uint64_t page_base = page_number << kPageShift;
      for (uint64_t k = 0; k < kGranulesPerPage; ++k) {
        const uint64_t base = page_base + k * kGranuleBytes;
        if (page.entries[k] != kAbsent && base < end && base + kGranuleBytes > begin) {
          fn(base, page.entries[k]);
        }
      }
    };
    if (last_page - first_page + 1 > pages_.size()) {
      for (const auto& [number, slot] : page_slots_) {
        if (number >= first_page && number <= last_page) visit(number, *pages_[slot]);
      }
      return;
    }
    for (uint64_t number = first_page; number <= last_page; ++number) {
      if (const Page* page = PageOf(number); page != nullptr) visit(number, *page);
    }
  }

 private:
  static constexpr int kPageShift = 12;
  static constexpr uint32_t kAbsentEntry = kAbsent;
  static constexpr size_t kCachedPages = 64;

  struct Page {
    std::array<uint32_t, kGranulesPerPage> entries;
    uint32_t present = 0;
  };
  struct CachedPage {
    uint64_t number = ~uint64_t{0};
    Page* page = nullptr;
  };

  static size_t Offset(uint64_t base) { return (base / kGranuleBytes) % kGranulesPerPage; }

  // The page `number`, or null.
  Page* PageOf(uint64_t number) const {
    const CachedPage& cached = cache_[number % kCachedPages];
    return cached.number == number ? cached.page : LookUpPage(number);
  }
  // PageOf() past the cache, which it then updates.
  Page* LookUpPage(uint64_t number) const;

  absl::flat_hash_map<uint64_t, uint32_t> page_slots_;  // page number -> pages_
  std::vector<std::unique_ptr<Page>> pages_;            // null: a free slot
  std::vector<uint32_t> free_slots_;
  mutable std::array<CachedPage, kCachedPages> cache_;
  size_t size_ = 0;
  uint64_t pages_freed_ = 0;
};

}  // namespace harness

#endif  // HARNESS_CHECK_GRANULE_INDEX_H_
