// examples/producer_consumer/producer_consumer.h: a producer thread hands a job to a
// consumer thread through a mailbox: a mutex, a condition variable, and a job slot
// (0: empty).
//
// PostUnlocked() / TakeUnlocked() (buggy): the producer fills the slot without the
// mutex ("it is just an int") and notifies; the consumer checks the slot without the
// mutex, and when it is empty waits on the condition variable with no predicate.
// Besides the data race on the slot, this loses wake-ups: the consumer can see an empty
// slot, the producer fill it and notify before the consumer waits, and with a plain
// wait() the consumer would then sleep forever. Here it waits with wait_for(), so a
// lost wake-up costs 10 ms instead of a hang (and this example never hangs). What the
// harness reports, on every run:
//   WARNING: harness: data race   on 'job': the consumer's unlocked check (site
//                                 "check-job") against the producer's unlocked write
//                                 (site "post-job")
// (The consumer's first check and the producer's write are each the first thing their
// thread does, before any synchronization, so they are unordered whatever the timing.)
// Post() / Take() (fixed): the slot is written and read only under the mutex, and the
// consumer waits with a predicate. The harness reports nothing.
#ifndef EXAMPLES_PRODUCER_CONSUMER_PRODUCER_CONSUMER_H_
#define EXAMPLES_PRODUCER_CONSUMER_PRODUCER_CONSUMER_H_

#include <chrono>
#include <mutex>

#include "harness/harness.h"

namespace producer_consumer {

class Mailbox {
 public:
  // PostUnlocked() / TakeUnlocked(): the bug.
  void PostUnlocked(int job) {
    job_.store(job);  // the slot is filled without the mutex (site: post-job)
    job_posted_.notify_one();
  }
  int TakeUnlocked() {
    int job;
    while ((job = job_.load()) == 0) {  // and checked without it (site: check-job)
      std::unique_lock<harness::Mutex> hold(mutex_);
      job_posted_.wait_for(hold, std::chrono::milliseconds(10));  // no predicate
    }
    return job;
  }

  // Post() / Take(): the fix. The slot changes only under the mutex, and the consumer
  // re-checks it under the mutex every time it wakes up.
  void Post(int job) {
    {
      std::lock_guard<harness::Mutex> hold(mutex_);
      job_.store(job);
    }
    job_posted_.notify_one();
  }
  int Take() {
    std::unique_lock<harness::Mutex> hold(mutex_);
    job_posted_.wait(hold, [this] { return job_.load() != 0; });
    return job_.load();
  }

 private:
  harness::Mutex mutex_{"mailbox"};
  harness::CondVar job_posted_{"job_posted"};
  harness::Shared<int> job_{0, "job"};  // 0: no job yet. Guarded by mutex_ (in the fix)
};

// HandOff(locked): a "producer" thread posts job 42 and a "consumer" thread takes it,
// with the buggy (locked == false) or the fixed pair. Returns what the consumer got.
inline int HandOff(bool locked) {
  Mailbox mailbox;
  int taken = 0;
  harness::Thread consumer("consumer", [&] {
    taken = locked ? mailbox.Take() : mailbox.TakeUnlocked();
  });
  harness::Thread producer("producer", [&] {
    if (locked) {
      mailbox.Post(42);
    } else {
      mailbox.PostUnlocked(42);
    }
  });
  producer.join();
  consumer.join();
  return taken;
}

}  // namespace producer_consumer

#endif  // EXAMPLES_PRODUCER_CONSUMER_PRODUCER_CONSUMER_H_
