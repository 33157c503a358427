// tests/check/lockset_trie_test.cc: LocksetTrie against HeldLocks, the list-per-thread
// tracker whose rules it follows.
#include "harness/check/lockset_trie.h"

#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "harness/check/held_locks.h"
#include "harness/trace/event.h"

namespace harness {
namespace {

Event LockEvent(EventKind kind, ThreadId thread, ObjectId mutex, SiteId site, uint8_t detail = 0) {
  Event event = Event::Sync(kind, detail, site, mutex, 0);
  event.thread = thread;
  return event;
}

TEST(LocksetTrieTest, NestedLocksPopToTheSetBefore) {
  LocksetTrie trie;
  uint32_t set = LocksetTrie::kEmpty;
  set = trie.Apply(set, LockEvent(EventKind::kLock, 0, 7, 1));
  const uint32_t outer = set;
  set = trie.Apply(set, LockEvent(EventKind::kLockShared, 0, 8, 2));
  EXPECT_EQ(trie.Locks(set),
            (std::vector<HeldLock>{HeldLock{7, false, 1}, HeldLock{8, true, 2}}));
  set = trie.Apply(set, LockEvent(EventKind::kUnlockShared, 0, 8, 3));
  EXPECT_EQ(set, outer);
  // The same locks taken the same way again: the same node.
  EXPECT_EQ(trie.Apply(set, LockEvent(EventKind::kLockShared, 0, 8, 2)),
            trie.Add(outer, HeldLock{8, true, 2}));
  EXPECT_EQ(trie.Apply(outer, LockEvent(EventKind::kUnlock, 0, 7, 4)), LocksetTrie::kEmpty);
}

TEST(LocksetTrieTest, ReleasingAnOlderLockKeepsTheLaterOnesInOrder) {
  LocksetTrie trie;
  uint32_t set = LocksetTrie::kEmpty;
  for (ObjectId m : {1, 2, 3}) set = trie.Apply(set, LockEvent(EventKind::kLock, 0, m, 10 + m));
  set = trie.Apply(set, LockEvent(EventKind::kUnlock, 0, 1, 20));
  EXPECT_EQ(trie.Locks(set),
            (std::vector<HeldLock>{HeldLock{2, false, 12}, HeldLock{3, false, 13}}));
  // Releasing what is not held, or in the other mode, changes nothing.
  EXPECT_EQ(trie.Apply(set, LockEvent(EventKind::kUnlock, 0, 1, 21)), set);
  EXPECT_EQ(trie.Apply(set, LockEvent(EventKind::kUnlockShared, 0, 2, 21)), set);
  // A recursive re-entry of a held mutex, and leaving it, change nothing.
  const uint8_t recursive = lock_detail::kRecursive;
  EXPECT_EQ(trie.Apply(set, LockEvent(EventKind::kLock, 0, 2, 22, recursive)), set);
  EXPECT_EQ(trie.Apply(set, LockEvent(EventKind::kUnlock, 0, 2, 23, recursive)), set);
}

// Random lock and unlock events (nested, out of order, shared, recursive, releases of
// locks not held) on several threads: the trie's sets list exactly HeldLocks' lists.
TEST(LocksetTrieTest, AgreesWithHeldLocksOnRandomEvents) {
  std::mt19937 random(11);
  constexpr ThreadId kThreads = 4;
  LocksetTrie trie;
  HeldLocks held(kThreads);
  std::vector<uint32_t> sets(kThreads, LocksetTrie::kEmpty);
  const EventKind kinds[] = {EventKind::kLock, EventKind::kLockShared, EventKind::kUnlock,
                             EventKind::kUnlockShared, EventKind::kRead};
  for (int i = 0; i < 200000; ++i) {
    const ThreadId t = static_cast<ThreadId>(random() % kThreads);
    const EventKind kind = kinds[random() % 5];
    const uint8_t detail = random() % 5 == 0 ? lock_detail::kRecursive : 0;
    // Few mutexes and sites, so that sets repeat and the cache and map are exercised.
    const Event event =
        LockEvent(kind, t, static_cast<ObjectId>(random() % 6), random() % 3, detail);
    held.Apply(event);
    sets[t] = trie.Apply(sets[t], event);
    ASSERT_EQ(trie.Locks(sets[t]), held.Of(t)) << "event " << i;
  }
  EXPECT_GT(trie.size(), 50u);
}

}  // namespace
}  // namespace harness
