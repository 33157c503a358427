// harness/sync/thread_pool.h: ThreadPool, in the spirit of Python's ThreadPoolExecutor:
// `ThreadPool pool(max_workers)`, `submit(fn, args...)` returning a Future, `map(fn,
// inputs)` returning results in input order, `shutdown(wait)`, and a destructor that
// waits. Built from the harness's own Mutex, CondVar, Thread and Promise, so the
// submit -> task edge (the queue's mutex) and the task -> future edge are recorded.
#ifndef HARNESS_SYNC_THREAD_POOL_H_
#define HARNESS_SYNC_THREAD_POOL_H_

#include <algorithm>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "harness/sync/cond_var.h"
#include "harness/sync/future.h"
#include "harness/sync/mutex.h"
#include "harness/sync/thread.h"

namespace harness {

class ThreadPool {
 public:
  // ThreadPool(max_workers, name)
  // At most `max_workers` threads, started as tasks arrive and no worker is idle; 0
  // means Python's default, min(32, hardware threads + 4). Workers are named
  // "<name>-worker-<i>" in reports.
  explicit ThreadPool(size_t max_workers = 0, std::string_view name = "pool")
      : max_workers_(max_workers != 0
                         ? max_workers
                         : std::min<size_t>(32, std::thread::hardware_concurrency() + 4)),
        name_(name),
        mutex_(std::string(name) + ".queue") {}

  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // ~ThreadPool(): shutdown(true).
  ~ThreadPool() { shutdown(true); }

  // ThreadPool::submit()
  // Queues std::invoke(f, args...) (arguments copied or moved, as std::thread does) and
  // returns a Future for its result; an exception it throws is stored in the Future.
  // Throws std::runtime_error after shutdown().
  template <class F, class... Args>
  auto submit(F&& f, Args&&... args) -> Future<std::invoke_result_t<std::decay_t<F>, std::decay_t<Args>...>> {
    using Result = std::invoke_result_t<std::decay_t<F>, std::decay_t<Args>...>;
    auto promise = std::make_shared<Promise<Result>>(name_ + ".task");
    Future<Result> future = promise->get_future();
    Enqueue([promise, f = std::forward<F>(f), ... args = std::forward<Args>(args)]() mutable {
      try {
        if constexpr (std::is_void_v<Result>) {
          std::invoke(std::move(f), std::move(args)...);
          promise->set_value();
        } else {
          promise->set_value(std::invoke(std::move(f), std::move(args)...));
        }
      } catch (...) {
        promise->set_exception(std::current_exception());
      }
    });
    return future;
  }

  // ThreadPool::map()
  // submit(f, input) for each input, then the results in input order. The first task
  // exception (in input order) is rethrown after all results were waited for.
  template <class F, class Range>
  auto map(F&& f, const Range& inputs) {
    using Input = std::decay_t<decltype(*std::begin(inputs))>;
    using Result = std::invoke_result_t<std::decay_t<F>&, const Input&>;
    std::vector<Future<Result>> futures;
    for (const auto& input : inputs) futures.push_back(submit(f, input));
    std::vector<Result> results;
    results.reserve(futures.size());
    std::exception_ptr first_error;
    for (Future<Result>& future : futures) {
      try {
        results.push_back(future.get());
      } catch (...) {
        if (!first_error) first_error = std::current_exception();
      }
    }
    if (first_error) std::rethrow_exception(first_error);
    return results;
  }

  // ThreadPool::shutdown()
  // No new tasks after this; queued tasks still run. With `wait`, returns when every
  // worker has finished. Calling it again is harmless.
  void shutdown(bool wait = true) {
    std::vector<Thread> to_join;
    {
      std::unique_lock<Mutex> hold(mutex_);
      shutdown_ = true;
      if (wait) to_join.swap(workers_);
    }
    work_available_.notify_all();
    for (Thread& worker : to_join) worker.join();
  }

  size_t max_workers() const { return max_workers_; }

 private:
  void Enqueue(std::function<void()> task) {
    {
      std::unique_lock<Mutex> hold(mutex_);
      if (shutdown_) {
        throw std::runtime_error("harness::ThreadPool '" + name_ +
                                 "': cannot submit new tasks after shutdown");
      }
      queue_.push_back(std::move(task));
      if (idle_ == 0 && started_ < max_workers_) {
        ++started_;
        workers_.emplace_back(name_ + "-worker-" + std::to_string(started_),
                              &ThreadPool::WorkerLoop, this);
      }
    }
    work_available_.notify_one();
  }

  void WorkerLoop() {
    while (true) {
      std::function<void()> task;
      {
        std::unique_lock<Mutex> hold(mutex_);
        ++idle_;
        work_available_.wait(hold, [&] { return shutdown_ || !queue_.empty(); });
        --idle_;
        if (queue_.empty()) return;  // shut down and drained
        task = std::move(queue_.front());
        queue_.pop_front();
      }
      task();
    }
  }

  const size_t max_workers_;
  const std::string name_;
  Mutex mutex_;
  CondVar work_available_;
  std::deque<std::function<void()>> queue_;  // guarded by mutex_
  std::vector<Thread> workers_;             // guarded by mutex_
  size_t started_ = 0;                       // guarded by mutex_
  size_t idle_ = 0;                          // guarded by mutex_
  bool shutdown_ = false;                    // guarded by mutex_
};

}  // namespace harness

#endif  // HARNESS_SYNC_THREAD_POOL_H_
