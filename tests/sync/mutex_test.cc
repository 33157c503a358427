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
namespace harness {
namespace {
TEST(AllPrimitives, Compile) {
  Promise<int> p("p");
  Future<int> f = p.get_future();
  p.set_value(3);
  EXPECT_EQ(f.get(), 3);
  Promise<void> pv;
  pv.set_value();
  Latch latch(1, "latch");
  latch.count_down();
  latch.wait();
  Barrier<> barrier(1);
  barrier.arrive_and_wait();
  CountingSemaphore<4> sem(0);
  sem.release();
  sem.acquire();
  OnceFlag once;
  int calls = 0;
  CallOnce(once, [&] { ++calls; });
  CallOnce(once, [&] { ++calls; });
  EXPECT_EQ(calls, 1);
  ThreadPool pool(2);
  auto r = pool.map([](int x) { return x * 2; }, std::vector<int>{1, 2, 3});
  EXPECT_EQ(r, (std::vector<int>{2, 4, 6}));
  auto fut = pool.submit([](int a, int b) { return a + b; }, 1, 2);
  EXPECT_EQ(fut.get(), 3);
  pool.shutdown();
  TimedMutex tm;
  EXPECT_TRUE(tm.try_lock_for(std::chrono::milliseconds(1)));
  tm.unlock();
  RecursiveMutex rm;
  rm.lock(); rm.lock(); rm.unlock(); rm.unlock();
  Mutex m; CondVar cv;
  std::unique_lock<Mutex> l(m);
  EXPECT_EQ(cv.wait_for(l, std::chrono::milliseconds(1)), std::cv_status::timeout);
  EXPECT_FALSE(cv.wait_for(l, std::chrono::milliseconds(1), [] { return false; }));
}
}  // namespace
}  // namespace harness
