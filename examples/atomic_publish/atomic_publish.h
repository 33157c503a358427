// examples/atomic_publish/atomic_publish.h: publishing data to another thread through
// an atomic "ready" flag: the publisher writes a message (plain memory), then sets the
// flag; the subscriber spins until it sees the flag, then reads the message.
//
// With memory_order_relaxed on the flag (buggy), seeing the flag says nothing about the
// message: a relaxed store/load pair creates no happens-before edge, so the compiler
// and CPU may let the subscriber read the message before the publisher's write (on
// ARM or POWER this happens in practice; on x86 the compiler alone can do it). What the
// harness reports, on every run:
//   WARNING: harness: data race   on 'message': the subscriber's read (site
//                                 "read-message") against the publisher's write (site
//                                 "write-message")
// With memory_order_release on the store and memory_order_acquire on the load (fixed),
// the load that sees the flag synchronizes with the store, which orders the write
// before the read: the harness reports nothing.
#ifndef EXAMPLES_ATOMIC_PUBLISH_ATOMIC_PUBLISH_H_
#define EXAMPLES_ATOMIC_PUBLISH_ATOMIC_PUBLISH_H_

#include <atomic>
#include <thread>

#include "harness/harness.h"

namespace atomic_publish {

struct Message {
  int id = 0;
  int value = 0;
};

class Channel {
 public:
  // Publish(): write the message, then raise the flag with `order`.
  void Publish(Message message, std::memory_order order) {
    message_.store(message);  // the publisher writes the message (site: write-message)
    ready_.store(true, order);
  }

  // Receive(): wait for the flag (loaded with `order`), then read the message.
  Message Receive(std::memory_order order) {
    while (!ready_.load(order)) std::this_thread::yield();
    return message_.load();  // the subscriber reads it (site: read-message)
  }

 private:
  harness::Shared<Message> message_{Message{}, "message"};
  harness::Atomic<bool> ready_{false, "ready"};
};

// PublishOnce(store_order, load_order): a "publisher" thread publishes {7, 42}; a
// "subscriber" thread receives it. Returns what the subscriber read.
inline Message PublishOnce(std::memory_order store_order, std::memory_order load_order) {
  Channel channel;
  Message received;
  harness::Thread subscriber("subscriber", [&] { received = channel.Receive(load_order); });
  harness::Thread publisher("publisher", [&] { channel.Publish(Message{7, 42}, store_order); });
  publisher.join();
  subscriber.join();
  return received;
}

}  // namespace atomic_publish

#endif  // EXAMPLES_ATOMIC_PUBLISH_ATOMIC_PUBLISH_H_
