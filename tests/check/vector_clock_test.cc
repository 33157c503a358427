// tests/check/vector_clock_test.cc: VectorClock and Epoch.
#include "harness/check/vector_clock.h"

#include "gtest/gtest.h"

namespace harness {
namespace {

TEST(VectorClockTest, StartsAtOneInItsOwnEntry) {
  VectorClock c = VectorClock::ForThread(2, 4);
  EXPECT_EQ(c.size(), 4u);
  EXPECT_EQ(c.Get(0), 0u);
  EXPECT_EQ(c.Get(2), 1u);
  EXPECT_EQ(c.Get(7), 0u);  // past the end reads 0
  EXPECT_EQ(c.EpochOf(2), (Epoch{2, 1}));
}

TEST(VectorClockTest, SetIncrementGrow) {
  VectorClock c;
  c.Increment(3);
  EXPECT_EQ(c.size(), 4u);
  EXPECT_EQ(c.Get(3), 1u);
  c.Set(1, 7);
  EXPECT_EQ(c.Get(1), 7u);
  EXPECT_FALSE(c.IsZero());
  c.Clear();
  EXPECT_TRUE(c.IsZero());
  EXPECT_EQ(c.size(), 4u);
}

TEST(VectorClockTest, JoinIsEntrywiseMaximumAcrossSizes) {
  VectorClock a(2);
  a.Set(0, 5);
  a.Set(1, 1);
  VectorClock b(3);
  b.Set(1, 4);
  b.Set(2, 2);
  a.Join(b);
  EXPECT_EQ(a.size(), 3u);
  EXPECT_EQ(a.Get(0), 5u);
  EXPECT_EQ(a.Get(1), 4u);
  EXPECT_EQ(a.Get(2), 2u);
  VectorClock copy;
  copy.CopyFrom(a);
  EXPECT_EQ(copy, a);
}

TEST(VectorClockTest, Compare) {
  VectorClock a(2);
  VectorClock b(3);  // equal to a, though longer
  EXPECT_EQ(VectorClock::Compare(a, b), ClockOrder::kEqual);
  EXPECT_TRUE(a == b);
  b.Set(1, 1);
  EXPECT_EQ(VectorClock::Compare(a, b), ClockOrder::kBefore);
  EXPECT_EQ(VectorClock::Compare(b, a), ClockOrder::kAfter);
  EXPECT_TRUE(a.LessOrEqual(b));
  EXPECT_FALSE(b.LessOrEqual(a));
  a.Set(0, 1);
  EXPECT_EQ(VectorClock::Compare(a, b), ClockOrder::kConcurrent);
  EXPECT_FALSE(a.LessOrEqual(b));
  EXPECT_FALSE(b.LessOrEqual(a));
}

TEST(EpochTest, CoversAndPacking) {
  VectorClock c(3);
  c.Set(1, 4);
  EXPECT_TRUE(c.Covers(Epoch{1, 4}));
  EXPECT_TRUE(c.Covers(Epoch{1, 3}));
  EXPECT_FALSE(c.Covers(Epoch{1, 5}));
  EXPECT_FALSE(c.Covers(Epoch{2, 1}));
  EXPECT_TRUE(c.Covers(Epoch{}));  // the empty epoch happens before everything
  EXPECT_TRUE(Epoch{}.empty());
  EXPECT_EQ(Epoch{}.Pack(), 0u);
  Epoch e{0xfffe, 0xfffffff0u};
  EXPECT_EQ(Epoch::Unpack(e.Pack()), e);
}

}  // namespace
}  // namespace harness
