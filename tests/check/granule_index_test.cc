// tests/check/granule_index_test.cc: GranuleIndex against a std::map doing the same.
#include "harness/check/granule_index.h"

#include <cstdint>
#include <map>
#include <random>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace harness {
namespace {

constexpr uint64_t kGranule = GranuleIndex::kGranuleBytes;
constexpr uint64_t kPage = GranuleIndex::kPageBytes;

TEST(GranuleIndexTest, InsertFindErase) {
  GranuleIndex index;
  EXPECT_TRUE(index.empty());
  EXPECT_EQ(index.Find(0x1000), GranuleIndex::kAbsent);
  auto [entry, inserted] = index.Insert(0x1000);
  ASSERT_TRUE(inserted);
  *entry = 42;
  EXPECT_EQ(index.Find(0x1000), 42u);
  EXPECT_EQ(*index.EntryOf(0x1000), 42u);
  EXPECT_EQ(*index.EntryOf(0x1008), GranuleIndex::kAbsent);  // same page, absent
  EXPECT_EQ(*index.EntryOf(0x9000), GranuleIndex::kAbsent);  // no page
  auto [again, inserted_again] = index.Insert(0x1000);
  EXPECT_FALSE(inserted_again);
  EXPECT_EQ(again, entry);
  EXPECT_EQ(index.size(), 1u);
  index.Erase(0x1000);
  EXPECT_EQ(index.Find(0x1000), GranuleIndex::kAbsent);
  EXPECT_EQ(index.pages_freed(), 1u);  // its page held nothing else
  EXPECT_TRUE(index.empty());
}

// Addresses spread over many pages (more than the page cache holds, so that pages are
// looked up past it), inserted and erased at random: the index agrees with a map, and
// ForEachIn visits exactly the map's granules in a range, narrow or wide.
TEST(GranuleIndexTest, AgreesWithAMap) {
  std::mt19937_64 random(3);
  GranuleIndex index;
  std::map<uint64_t, uint32_t> model;
  auto address = [&] {
    const uint64_t page = random() % 300;
    const uint64_t granule = random() % 8;  // a few granules per page
    return (uint64_t{1} << 40) + page * kPage * 3 + granule * kGranule * 61;
  };
  for (uint32_t step = 0; step < 200000; ++step) {
    const uint64_t base = address();
    if (random() % 3 == 0) {
      index.Erase(base);
      model.erase(base);
    } else {
      auto [entry, inserted] = index.Insert(base);
      ASSERT_EQ(inserted, model.count(base) == 0) << step;
      if (inserted) *entry = step;
      model.emplace(base, step);
    }
    const uint64_t probe = address();
    const auto it = model.find(probe);
    ASSERT_EQ(index.Find(probe), it == model.end() ? GranuleIndex::kAbsent : it->second);
    ASSERT_EQ(index.size(), model.size());
  }
  for (int range = 0; range < 200; ++range) {
    const uint64_t begin = address() - random() % (2 * kPage);
    const uint64_t end = begin + 1 + random() % (range % 2 == 0 ? 64 : 600 * kPage);
    std::map<uint64_t, uint32_t> visited;
    index.ForEachIn(begin, end, [&](uint64_t base, uint32_t value) {
      EXPECT_TRUE(visited.emplace(base, value).second);
    });
    std::map<uint64_t, uint32_t> expected;
    for (const auto& [base, value] : model) {
      if (base < end && base + kGranule > begin) expected.emplace(base, value);
    }
    EXPECT_EQ(visited, expected) << "range " << range;
  }
}

}  // namespace
}  // namespace harness
