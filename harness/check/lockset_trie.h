// harness/check/lockset_trie.h: LocksetTrie, the sets of locks threads hold as nodes of
// a trie, so that "the locks held here" is one 32-bit id: cheap to keep per thread and
// per shadow-memory access, compared by id, and turned back into the list only when a
// report needs it. Shared by the analyses that track held locks event by event (the race
// detector, the lock-order graph); each keeps its own trie.
#ifndef HARNESS_CHECK_LOCKSET_TRIE_H_
#define HARNESS_CHECK_LOCKSET_TRIE_H_

#include <array>
#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "harness/report/finding.h"
#include "harness/trace/event.h"

namespace harness {

class LocksetTrie {
 public:
  // The node of the empty set.
  static constexpr uint32_t kEmpty = 0;

  LocksetTrie();

  // LocksetTrie::Apply()
  // The set after a thread holding `lockset` performs `event`, with HeldLocks::Apply()'s
  // rules: kLock / kLockShared add the lock (acquired at the event's site) unless it is
  // a recursive re-entry (lock_detail::kRecursive) of a mutex held exclusively;
  // kUnlock / kUnlockShared remove the newest hold of that mutex in that mode, unless it
  // leaves a recursive re-entry; releasing what is not held changes nothing (the misuse
  // analysis reports it). Other events change nothing.
  uint32_t Apply(uint32_t lockset, const Event& event) {
    // Inline, the two common cases: a plain lock, and the release of the newest lock.
    const bool recursive = (event.detail & lock_detail::kRecursive) != 0;
    if (event.kind == EventKind::kLock && !recursive) {
      return Add(lockset, HeldLock{event.object(), false, event.site});
    }
    if (event.kind == EventKind::kUnlock && !recursive && lockset != kEmpty &&
        nodes_[lockset].lock.mutex == event.object() && !nodes_[lockset].lock.shared) {
      return nodes_[lockset].parent;
    }
    return ApplyInGeneral(lockset, event);
  }

  // LocksetTrie::Add()
  // The set `lockset` plus `lock`, taken after the others.
  uint32_t Add(uint32_t lockset, const HeldLock& lock) {
    const CachedChild& cached = cache_[CacheSlot(lockset, lock)];
    if (cached.parent == lockset && cached.lock == lock && cached.node != kNoNode) {
      return cached.node;
    }
    return AddInGeneral(lockset, lock);
  }

  // The newest lock of a non-empty set, and the set before it was taken.
  const HeldLock& Newest(uint32_t lockset) const { return nodes_[lockset].lock; }
  uint32_t Before(uint32_t lockset) const { return nodes_[lockset].parent; }

  // LocksetTrie::Locks()
  // The set's locks in acquisition order (as HeldLocks::Of() lists them); the second
  // form fills *locks, reusing its storage.
  std::vector<HeldLock> Locks(uint32_t lockset) const;
  void Locks(uint32_t lockset, std::vector<HeldLock>* locks) const;

  // Nodes made so far (the empty set included).
  size_t size() const { return nodes_.size(); }

 private:
  struct Node {
    uint32_t parent = kEmpty;
    HeldLock lock;
  };
  struct Key {
    uint32_t parent;
    ObjectId mutex;
    SiteId site;
    bool shared;

    friend bool operator==(const Key&, const Key&) = default;
    template <class H>
    friend H AbslHashValue(H h, const Key& key) {
      return H::combine(std::move(h), key.parent, key.mutex, key.site, key.shared);
    }
  };
  static constexpr uint32_t kNoNode = 0xffffffff;
  struct CachedChild {
    uint32_t parent = kEmpty;
    HeldLock lock;
    uint32_t node = kNoNode;
  };
  static constexpr int kCacheBits = 10;

  static size_t CacheSlot(uint32_t lockset, const HeldLock& lock) {
    // The top bits of a multiplicative hash are the well-mixed ones.
    const uint32_t hash = (lockset * 0x9E3779B1u) ^ (lock.mutex * 0x85EBCA6Bu) ^
                          (lock.acquired_at * 0xC2B2AE35u) ^ static_cast<uint32_t>(lock.shared);
    return (hash * 0x9E3779B1u) >> (32 - kCacheBits);
  }
  uint32_t ApplyInGeneral(uint32_t lockset, const Event& event);
  uint32_t AddInGeneral(uint32_t lockset, const HeldLock& lock);

  // The node of the newest hold of `mutex` in that mode within `lockset`, or kEmpty.
  uint32_t NewestHold(uint32_t lockset, ObjectId mutex, bool shared) const;

  std::vector<Node> nodes_;
  absl::flat_hash_map<Key, uint32_t> children_;
  // Before the hash map: a program takes the same few locks in the same few orders.
  std::array<CachedChild, size_t{1} << kCacheBits> cache_;
  std::vector<HeldLock> scratch_;
};

}  // namespace harness

#endif  // HARNESS_CHECK_LOCKSET_TRIE_H_
