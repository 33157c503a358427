// harness/check/lockset_trie.cc: LocksetTrie.
#include "harness/check/lockset_trie.h"

#include <algorithm>
#include <utility>

namespace harness {

LocksetTrie::LocksetTrie() { nodes_.push_back(Node{}); }

uint32_t LocksetTrie::ApplyInGeneral(uint32_t lockset, const Event& event) {
  const ObjectId mutex = event.object();
  const bool recursive = (event.detail & lock_detail::kRecursive) != 0;
  if (event.kind == EventKind::kLock || event.kind == EventKind::kLockShared) {
    const bool shared = event.kind == EventKind::kLockShared;
    if (!shared && recursive && NewestHold(lockset, mutex, false) != kEmpty) return lockset;
    return Add(lockset, HeldLock{mutex, shared, event.site});
  }
  if (event.kind != EventKind::kUnlock && event.kind != EventKind::kUnlockShared) return lockset;
  const bool shared = event.kind == EventKind::kUnlockShared;
  const uint32_t held = NewestHold(lockset, mutex, shared);
  if (held == kEmpty) return lockset;          // not held
  if (!shared && recursive) return lockset;    // leaving a re-entry: still held
  if (held == lockset) return Before(lockset);  // the newest: locks mostly nest
  // The locks taken after it, taken again on the set before it.
  scratch_.clear();
  for (uint32_t node = lockset; node != held; node = Before(node)) scratch_.push_back(Newest(node));
  uint32_t node = Before(held);
  for (auto it = scratch_.rbegin(); it != scratch_.rend(); ++it) node = Add(node, *it);
  return node;
}

uint32_t LocksetTrie::AddInGeneral(uint32_t lockset, const HeldLock& lock) {
  auto [it, inserted] = children_.try_emplace(
      Key{lockset, lock.mutex, lock.acquired_at, lock.shared}, static_cast<uint32_t>(nodes_.size()));
  if (inserted) nodes_.push_back(Node{lockset, lock});
  cache_[CacheSlot(lockset, lock)] = CachedChild{lockset, lock, it->second};
  return it->second;
}

uint32_t LocksetTrie::NewestHold(uint32_t lockset, ObjectId mutex, bool shared) const {
  for (uint32_t node = lockset; node != kEmpty; node = Before(node)) {
    if (nodes_[node].lock.mutex == mutex && nodes_[node].lock.shared == shared) return node;
  }
  return kEmpty;
}

std::vector<HeldLock> LocksetTrie::Locks(uint32_t lockset) const {
  std::vector<HeldLock> locks;
  Locks(lockset, &locks);
  return locks;
}

void LocksetTrie::Locks(uint32_t lockset, std::vector<HeldLock>* locks) const {
  locks->clear();
  for (uint32_t node = lockset; node != kEmpty; node = Before(node)) {
    locks->push_back(Newest(node));
  }
  std::reverse(locks->begin(), locks->end());
}

}  // namespace harness
