// harness/check/granule_index.cc: GranuleIndex.
#include "harness/check/granule_index.h"

namespace harness {

GranuleIndex::GranuleIndex() = default;

GranuleIndex::Page* GranuleIndex::LookUpPage(uint64_t number) const {
  auto it = page_slots_.find(number);
  if (it == page_slots_.end()) return nullptr;
  cache_[number % kCachedPages] = CachedPage{number, pages_[it->second].get()};
  return pages_[it->second].get();
}

std::pair<uint32_t*, bool> GranuleIndex::Insert(uint64_t base) {
  const uint64_t number = base >> kPageShift;
  Page* page = PageOf(number);
  if (page == nullptr) {
    uint32_t slot;
    if (!free_slots_.empty()) {
      slot = free_slots_.back();
      free_slots_.pop_back();
    } else {
      slot = static_cast<uint32_t>(pages_.size());
      pages_.emplace_back();
    }
    pages_[slot] = std::make_unique<Page>();
    page = pages_[slot].get();
    page->entries.fill(kAbsent);
    page_slots_.emplace(number, slot);
    cache_[number % kCachedPages] = CachedPage{number, page};
  }
  uint32_t& entry = page->entries[Offset(base)];
  if (entry != kAbsent) return {&entry, false};
  ++page->present;
  ++size_;
  return {&entry, true};
}

void GranuleIndex::Erase(uint64_t base) {
  const uint64_t number = base >> kPageShift;
  Page* page = PageOf(number);
  if (page == nullptr) return;
  uint32_t& entry = page->entries[Offset(base)];
  if (entry == kAbsent) return;
  entry = kAbsent;
  --size_;
  if (--page->present != 0) return;
  auto it = page_slots_.find(number);
  const uint32_t slot = it->second;
  page_slots_.erase(it);
  pages_[slot].reset();
  free_slots_.push_back(slot);
  ++pages_freed_;
  cache_[number % kCachedPages] = CachedPage{};
}

}  // namespace harness
