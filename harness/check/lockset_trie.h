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
  uint32_t Apply(uint32_t lockset, const Event& event);

  // LocksetTrie::Add()
  // The set `lockset` plus `lock`, taken after the others.
  uint32_t Add(uint32_t lockset, const HeldLock& lock);

  // The newest lock of a non-empty set, and the set before it was taken.
  const HeldLock& Newest(uint32_t lockset) const { return nodes_[lockset].lock; }
  uint32_t Before(uint32_t lockset) const { return nodes_[lockset].parent; }

  // LocksetTrie::Locks()
  // The set's locks in acquisition order (as HeldLocks::Of() lists them).
  std::vector<HeldLock> Locks(uint32_t lockset) const;

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
  struct CachedChild {
    uint32_t parent = kEmpty;
    HeldLock lock;
    uint32_t node = 0xffffffff;  // none
  };
  static constexpr int kCacheBits = 10;

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
