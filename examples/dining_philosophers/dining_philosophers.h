// examples/dining_philosophers/dining_philosophers.h: three philosophers at a round
// table, one fork (a harness::Mutex) between each two; a philosopher eats holding both
// forks next to them.
//
// DineLeftFirst() (buggy): every philosopher takes the fork on their left, then the one
// on their right. If all three take their left fork at once, each waits forever for a
// fork their neighbour holds: fork-0 -> fork-1 -> fork-2 -> fork-0 is a cycle in the
// lock order. This example never actually deadlocks, because each philosopher waits
// for the previous one to finish eating (a Latch) before picking up a fork; the threads
// are still started together and are not ordered by create/join, so the cycle is a
// deadlock that the same code can reach in another run. What the harness reports, on
// every run:
//   WARNING: harness: lock-order-inversion (potential deadlock)
//       Cycle in lock order graph: fork-0 => fork-1 => fork-2 => fork-0, each edge taken
//       by a different philosopher at sites "take-left" then "take-right"
// DineLowerFirst() (fixed): a global fork order; everyone takes the lower-numbered fork
// first (philosopher 2 takes fork-0 before fork-2), so no cycle exists.
// DineScopedLock() (fixed_scoped_lock): std::scoped_lock(left, right), i.e. std::lock,
// which takes the first mutex with lock() and the others with try_lock(), backing off
// and retrying when one is busy. A try-lock cannot block, so it adds no lock-order edge
// (in the harness and in ThreadSanitizer's deadlock detector alike): no cycle.
// Both fixed variants run the philosophers truly concurrently (no gate), several
// rounds each. The harness reports nothing for them.
#ifndef EXAMPLES_DINING_PHILOSOPHERS_DINING_PHILOSOPHERS_H_
#define EXAMPLES_DINING_PHILOSOPHERS_DINING_PHILOSOPHERS_H_

#include <algorithm>
#include <array>
#include <mutex>
#include <string>
#include <vector>

#include "harness/harness.h"

namespace dining_philosophers {

inline constexpr int kPhilosophers = 3;

class Table {
 public:
  // Table::EatLeftFirst(i): the bug. Left fork, then right fork.
  void EatLeftFirst(int i) {
    harness::Mutex& left = forks_[Left(i)];
    harness::Mutex& right = forks_[Right(i)];
    left.lock();   // the first fork (site: take-left)
    right.lock();  // the second, while holding the first (site: take-right)
    Eat();
    right.unlock();
    left.unlock();
  }

  // Table::EatLowerFirst(i): fix 1. The lower-numbered fork first, for everyone.
  void EatLowerFirst(int i) {
    harness::Mutex& first = forks_[std::min(Left(i), Right(i))];
    harness::Mutex& second = forks_[std::max(Left(i), Right(i))];
    first.lock();
    second.lock();
    Eat();
    second.unlock();
    first.unlock();
  }

  // Table::EatScopedLock(i): fix 2. Both forks at once, with std::scoped_lock.
  void EatScopedLock(int i) {
    std::scoped_lock<harness::Mutex, harness::Mutex> hold(forks_[Left(i)], forks_[Right(i)]);
    Eat();
  }

  int meals() {
    std::lock_guard<harness::Mutex> hold(forks_[0]);
    return meals_.load();
  }

 private:
  static int Left(int i) { return i; }
  static int Right(int i) { return (i + 1) % kPhilosophers; }

  // Eating: every pair of philosophers shares a fork, so the meal count is guarded.
  void Eat() { meals_.store(meals_.load() + 1); }

  std::array<harness::Mutex, kPhilosophers> forks_{
      harness::Mutex("fork-0"), harness::Mutex("fork-1"), harness::Mutex("fork-2")};
  harness::Shared<int> meals_{0, "meals"};
};

// DineLeftFirst(): the bug. Threads "philosopher-0" .. "philosopher-2" each eat once
// with EatLeftFirst(), in turn (see above). Returns the number of meals (3).
inline int DineLeftFirst() {
  Table table;
  std::array<harness::Latch, kPhilosophers> finished{
      harness::Latch(1, "philosopher-0-finished"), harness::Latch(1, "philosopher-1-finished"),
      harness::Latch(1, "philosopher-2-finished")};
  std::vector<harness::Thread> philosophers;
  for (int i = 0; i < kPhilosophers; ++i) {
    philosophers.push_back(harness::Thread("philosopher-" + std::to_string(i), [&, i] {
      if (i > 0) finished[i - 1].wait();  // only so that this run never deadlocks
      table.EatLeftFirst(i);
      finished[i].count_down();
    }));
  }
  for (harness::Thread& philosopher : philosophers) philosopher.join();
  return table.meals();
}

// The fixes: the same philosophers, all eating `rounds` times at once.
enum class Fix { kLowerFirst, kScopedLock };
inline int Dine(Fix fix, int rounds) {
  Table table;
  std::vector<harness::Thread> philosophers;
  for (int i = 0; i < kPhilosophers; ++i) {
    philosophers.push_back(harness::Thread("philosopher-" + std::to_string(i), [&, i] {
      for (int round = 0; round < rounds; ++round) {
        if (fix == Fix::kLowerFirst) {
          table.EatLowerFirst(i);
        } else {
          table.EatScopedLock(i);
        }
      }
    }));
  }
  for (harness::Thread& philosopher : philosophers) philosopher.join();
  return table.meals();
}

}  // namespace dining_philosophers

#endif  // EXAMPLES_DINING_PHILOSOPHERS_DINING_PHILOSOPHERS_H_
