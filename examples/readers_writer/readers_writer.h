// examples/readers_writer/readers_writer.h: a settings store behind a reader/writer lock
// (harness::SharedMutex): readers take it shared and may read at the same time;
// writers must take it exclusively.
//
// UpdateUnderReaderLock() (buggy): a writer that modifies the settings holding only the
// shared (reader) lock. Shared holders exclude only exclusive holders, not each other,
// so two such writers, or such a writer and a reader, run unordered. What the harness
// reports, on every run:
//   WARNING: harness: data race   on 'settings': the two writers' writes (site "write"
//                                 in "writer-1" and "writer-2", both holding
//                                 'settings_mu' in read mode)
//   WARNING: harness: data race   on 'settings': the reader's read (site "read") against
//                                 a writer's write
// Update() (fixed): writers take the lock exclusively (std::unique_lock). The harness
// reports nothing; readers still run concurrently with each other.
#ifndef EXAMPLES_READERS_WRITER_READERS_WRITER_H_
#define EXAMPLES_READERS_WRITER_READERS_WRITER_H_

#include <mutex>
#include <shared_mutex>

#include "harness/harness.h"

namespace readers_writer {

struct Settings {
  int timeout_ms = 100;
  int revision = 0;  // bumped by every update
};

class SettingsStore {
 public:
  Settings Read() {
    std::shared_lock<harness::SharedMutex> hold(mutex_);
    return settings_.load();  // readers read under the shared lock (site: read)
  }

  // UpdateUnderReaderLock(): the bug. Modifies the settings under the shared lock.
  void UpdateUnderReaderLock(int timeout_ms) {
    std::shared_lock<harness::SharedMutex> hold(mutex_);  // wrong mode for a writer
    Settings& settings = settings_.write();  // a write under the reader lock (site: write)
    settings.timeout_ms = timeout_ms;
    ++settings.revision;
  }

  // Update(): the fix. Exclusive mode for writing.
  void Update(int timeout_ms) {
    std::unique_lock<harness::SharedMutex> hold(mutex_);
    Settings& settings = settings_.write();
    settings.timeout_ms = timeout_ms;
    ++settings.revision;
  }

 private:
  harness::SharedMutex mutex_{"settings_mu"};
  harness::Shared<Settings> settings_{Settings{}, "settings"};  // guarded by mutex_
};

// WritersAndReader(exclusive): threads "writer-1" and "writer-2" each update the store
// once (with Update() when `exclusive`, else UpdateUnderReaderLock()), while "reader"
// reads it. Returns the final settings (revision 2 when no update was lost).
inline Settings WritersAndReader(bool exclusive) {
  SettingsStore store;
  auto writer = [&](int timeout_ms) {
    if (exclusive) {
      store.Update(timeout_ms);
    } else {
      store.UpdateUnderReaderLock(timeout_ms);
    }
  };
  harness::Thread writer_1("writer-1", writer, 250);
  harness::Thread writer_2("writer-2", writer, 500);
  harness::Thread reader("reader", [&] { (void)store.Read(); });
  writer_1.join();
  writer_2.join();
  reader.join();
  return store.Read();
}

}  // namespace readers_writer

#endif  // EXAMPLES_READERS_WRITER_READERS_WRITER_H_
