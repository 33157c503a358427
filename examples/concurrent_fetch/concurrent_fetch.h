// examples/concurrent_fetch/concurrent_fetch.h: threads doing (simulated) network I/O,
// as in the seeds' fetchPokemon: each thread fetches one Pokémon and the results are
// collected in one list.
//
// FetchAllUnlocked() (buggy): every fetcher thread appends its result to a shared list
// with no lock. Each fetch waits a different time, so in most runs no two appends
// overlap, and the list comes out complete: the bug hides. The harness reports it on
// every run anyway, because nothing orders the appends (happens-before, not timing):
//   WARNING: harness: data race   on 'names': an append in one fetcher thread against
//                                 the append in another (site "append", both sides)
// FetchAllLocked() (fixed): the same appends under a mutex. FetchAllWithFutures()
// (fixed, and the better design): no shared list at all; each fetcher hands its result
// back through a harness::Promise, and the caller collects the futures in order.
// For both fixed variants the harness reports nothing.
#ifndef EXAMPLES_CONCURRENT_FETCH_CONCURRENT_FETCH_H_
#define EXAMPLES_CONCURRENT_FETCH_CONCURRENT_FETCH_H_

#include <array>
#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "harness/harness.h"

namespace concurrent_fetch {

inline constexpr std::array<std::string_view, 6> kPokedex = {
    "bulbasaur", "ivysaur", "venusaur", "charmander", "charmeleon", "charizard"};

// FetchPokemon(id): stands in for GET https://pokeapi.co/api/v2/pokemon/<id>: waits as
// a network request would (longer for larger ids, so fetches finish at different
// times) and returns the Pokémon's name (short: no heap allocation).
inline std::string FetchPokemon(int id) {
  std::this_thread::sleep_for(std::chrono::milliseconds(3 * id));
  return std::string(kPokedex[static_cast<size_t>(id - 1) % kPokedex.size()]);
}

// FetchAllUnlocked(ids): the bug. One thread per id ("fetcher-<id>"); each appends to
// the shared list `names` with no lock. Returns the list (which may miss names when two
// appends did overlap).
inline std::vector<std::string> FetchAllUnlocked(const std::vector<int>& ids) {
  harness::Shared<std::vector<std::string>> names({}, "names");
  names.write().reserve(ids.size());
  std::vector<harness::Thread> fetchers;
  for (int id : ids) {
    fetchers.push_back(harness::Thread("fetcher-" + std::to_string(id), [&names, id] {
      std::string name = FetchPokemon(id);
      names.write().push_back(std::move(name));  // unlocked append (site: append)
    }));
  }
  for (harness::Thread& fetcher : fetchers) fetcher.join();
  return names.read();
}

// FetchAllLocked(ids): fix 1. The same threads; the append holds `names_mu`.
inline std::vector<std::string> FetchAllLocked(const std::vector<int>& ids) {
  harness::Mutex names_mu("names_mu");
  harness::Shared<std::vector<std::string>> names({}, "names");
  std::vector<harness::Thread> fetchers;
  for (int id : ids) {
    fetchers.push_back(harness::Thread("fetcher-" + std::to_string(id), [&, id] {
      std::string name = FetchPokemon(id);  // the slow part runs unlocked, concurrently
      std::lock_guard<harness::Mutex> hold(names_mu);
      names.write().push_back(std::move(name));
    }));
  }
  for (harness::Thread& fetcher : fetchers) fetcher.join();
  return names.read();
}

// FetchAllWithFutures(ids): fix 2. Nothing shared: each fetcher thread fulfils its own
// Promise, and the caller reads the futures, in the order of `ids`.
inline std::vector<std::string> FetchAllWithFutures(const std::vector<int>& ids) {
  std::vector<harness::Future<std::string>> results;
  std::vector<harness::Thread> fetchers;
  for (int id : ids) {
    harness::Promise<std::string> promise("pokemon-" + std::to_string(id));
    results.push_back(promise.get_future());
    fetchers.push_back(harness::Thread(
        "fetcher-" + std::to_string(id),
        [promise = std::move(promise), id]() mutable { promise.set_value(FetchPokemon(id)); }));
  }
  std::vector<std::string> names;
  for (harness::Future<std::string>& result : results) names.push_back(result.get());
  for (harness::Thread& fetcher : fetchers) fetcher.join();
  return names;
}

}  // namespace concurrent_fetch

#endif  // EXAMPLES_CONCURRENT_FETCH_CONCURRENT_FETCH_H_
