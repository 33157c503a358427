// examples/thread_pool/thread_pool.h: a harness::ThreadPool (in the spirit of Python's
// ThreadPoolExecutor: ThreadPool(max_workers), submit / map, shutdown) checks a list of
// pages; every task counts the page it checked in one shared counter.
//
// CheckAllUnsynchronized() (buggy): the tasks bump a plain shared counter (load, add,
// store) with no lock, so two workers can read the same count and one page goes
// uncounted. What the harness reports, on every run:
//   WARNING: harness: data race   on 'pages_checked': the read of the counter in one
//                                 worker against the write in another (sites
//                                 "count-read" and "count-write")
//   WARNING: harness: data race   on 'pages_checked': two workers' writes (site
//                                 "count-write", both sides)
// CheckAllAtomic() (fixed): the counter is a harness::Atomic<int>, bumped with
// fetch_add. The harness reports nothing.
//
// The "start line" makes every run record the same thing: each task waits there until
// every worker has its task, so the tasks really run on distinct workers at once.
// Without it one fast worker may take every task (tasks on one worker run in order:
// no race in that run), or a worker may take its next task only after another worker
// finished its own (the pool's queue mutex then orders the two tasks).
#ifndef EXAMPLES_THREAD_POOL_THREAD_POOL_H_
#define EXAMPLES_THREAD_POOL_THREAD_POOL_H_

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "harness/harness.h"

namespace thread_pool {

// CheckPage(url): stands in for fetching `url` (simulated I/O); returns its size.
inline int CheckPage(const std::string& url) {
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  return static_cast<int>(url.size()) * 100;
}

struct Result {
  std::vector<int> sizes;  // per url, in order (ThreadPool::map keeps input order)
  int pages_checked = 0;   // what the counter says: urls.size() when correct
};

// CheckAllUnsynchronized(urls): the bug. ThreadPool(urls.size()) runs one task per url
// (map), each bumping `pages_checked` with an unlocked load and store.
inline Result CheckAllUnsynchronized(const std::vector<std::string>& urls) {
  harness::ThreadPool pool(urls.size(), "checker");
  harness::Latch start_line(static_cast<std::ptrdiff_t>(urls.size()), "start-line");
  harness::Shared<int> pages_checked(0, "pages_checked");
  Result result;
  result.sizes = pool.map(
      [&](const std::string& url) {
        start_line.arrive_and_wait();
        int size = CheckPage(url);
        int checked = pages_checked.load();  // read the count (site: count-read)
        pages_checked.store(checked + 1);    // write it back (site: count-write)
        return size;
      },
      urls);
  pool.shutdown(/*wait=*/true);  // joins the workers: their writes happen before this
  result.pages_checked = pages_checked.load();
  return result;
}

// CheckAllAtomic(urls): the fix. The same pool and tasks; the counter is atomic.
inline Result CheckAllAtomic(const std::vector<std::string>& urls) {
  harness::ThreadPool pool(urls.size(), "checker");
  harness::Latch start_line(static_cast<std::ptrdiff_t>(urls.size()), "start-line");
  harness::Atomic<int> pages_checked(0, "pages_checked");
  Result result;
  // submit() per url this time; map() is submit() plus get() in order.
  std::vector<harness::Future<int>> sizes;
  for (const std::string& url : urls) {
    sizes.push_back(pool.submit([&](const std::string& page) {
      start_line.arrive_and_wait();
      int size = CheckPage(page);
      pages_checked.fetch_add(1);
      return size;
    }, url));
  }
  for (harness::Future<int>& size : sizes) result.sizes.push_back(size.get());
  pool.shutdown(/*wait=*/true);
  result.pages_checked = pages_checked.load();
  return result;
}

}  // namespace thread_pool

#endif  // EXAMPLES_THREAD_POOL_THREAD_POOL_H_
