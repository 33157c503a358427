// examples/lazy_init/lazy_init.h: lazy initialization of a shared configuration, loaded
// on first use by whichever thread needs it first.
//
// DoubleCheckedConfig (buggy): double-checked locking on a plain pointer. The first
// check reads the pointer without the lock, so a thread can see the pointer another
// thread is publishing without anything ordering the Config it points to (it may
// see a half-constructed object). What the harness reports, on every run:
//   WARNING: harness: data race   on 'config_ptr': one worker's unlocked first check
//                                 (site "first-check") against the other's publication
//                                 (site "publish")
// (The thread that does not initialize makes its first check before any
// synchronization with the one that does, so the two are unordered whatever the
// timing. The second check, under the lock, is fine.)
// OnceConfig (fixed): harness::CallOnce on a harness::OnceFlag (std::call_once): every
// caller returns only after the initialization finished, and happens after it. The
// harness reports nothing.
#ifndef EXAMPLES_LAZY_INIT_LAZY_INIT_H_
#define EXAMPLES_LAZY_INIT_LAZY_INIT_H_

#include <chrono>
#include <memory>
#include <mutex>
#include <thread>

#include "harness/harness.h"

namespace lazy_init {

struct Config {
  int max_connections = 0;
  int timeout_ms = 0;
};

// LoadConfig(): stands in for reading a configuration file (slow: 2 ms).
inline Config LoadConfig() {
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  return Config{64, 250};
}

// DoubleCheckedConfig: the bug.
class DoubleCheckedConfig {
 public:
  const Config& Get() {
    const Config* config = config_ptr_.load();  // unlocked first check (site: first-check)
    if (config == nullptr) {
      std::lock_guard<harness::Mutex> hold(mutex_);
      config = config_ptr_.load();  // second check, under the lock: fine
      if (config == nullptr) {
        storage_ = std::make_unique<Config>(LoadConfig());
        config = storage_.get();
        config_ptr_.store(config);  // publish (site: publish)
      }
    }
    return *config;
  }

 private:
  harness::Mutex mutex_{"config_mu"};
  std::unique_ptr<Config> storage_;  // written once, under mutex_
  harness::Shared<const Config*> config_ptr_{nullptr, "config_ptr"};
};

// OnceConfig: the fix.
class OnceConfig {
 public:
  const Config& Get() {
    harness::CallOnce(once_, [this] {
      storage_ = std::make_unique<Config>(LoadConfig());
      config_ptr_.store(storage_.get());
    });
    return *config_ptr_.load();  // after CallOnce: ordered after the store
  }

 private:
  harness::OnceFlag once_{"config_once"};
  std::unique_ptr<Config> storage_;
  harness::Shared<const Config*> config_ptr_{nullptr, "config_ptr"};
};

// TwoWorkers(config): threads "worker-1" and "worker-2" both need the configuration at
// start-up. Returns the sum of the max_connections they saw (128 when correct).
template <class LazyConfig>
int TwoWorkers(LazyConfig& config) {
  int seen[2] = {0, 0};
  harness::Thread first("worker-1", [&] { seen[0] = config.Get().max_connections; });
  harness::Thread second("worker-2", [&] { seen[1] = config.Get().max_connections; });
  first.join();
  second.join();
  return seen[0] + seen[1];
}

}  // namespace lazy_init

#endif  // EXAMPLES_LAZY_INIT_LAZY_INIT_H_
