// examples/future_pipeline/future_pipeline.h: promise pipelining, as in the seeds: a
// future is the read-only view of a value not computed yet, a promise the one-time
// writable slot that fills it. Stage 1 ("stage-1-download") downloads a page; stage 2
// ("stage-2-render") renders it, on its own thread, as soon as the page is there.
//
// PipelineWithoutHandoff() (buggy): stage 1 leaves the page in a shared variable and
// stage 2 simply sleeps "long enough" (50 ms for a 3 ms download) before reading it.
// It gives the right answer in practically every run, and is still a data race: no
// handoff orders the write before the read, so a slow stage 1 (a loaded machine, a
// slow network) makes stage 2 read a half-written or empty page. What the harness
// reports, on every run, although the two accesses are ~47 ms apart:
//   WARNING: harness: data race   on 'downloaded': stage 2's read (site "consume")
//                                 against stage 1's write (site "produce")
// Pipeline() (fixed): the page travels through a Promise<Page> / Future<Page> pair, and
// the rendered text through a second pair to the caller: promise set happens before
// future get, so the harness reports nothing.
#ifndef EXAMPLES_FUTURE_PIPELINE_FUTURE_PIPELINE_H_
#define EXAMPLES_FUTURE_PIPELINE_FUTURE_PIPELINE_H_

#include <chrono>
#include <string>
#include <thread>
#include <utility>

#include "harness/harness.h"

namespace future_pipeline {

struct Page {
  int status = 0;
  int bytes = 0;
};

// Download(id): stands in for an HTTP GET (simulated I/O, 3 ms).
inline Page Download(int id) {
  std::this_thread::sleep_for(std::chrono::milliseconds(3));
  return Page{200, 1000 + id};
}

// Render(page): the second stage's work.
inline std::string Render(const Page& page) {
  return "HTTP " + std::to_string(page.status) + ", " + std::to_string(page.bytes) + " bytes";
}

// PipelineWithoutHandoff(id): the bug. The stages share `downloaded`; stage 2 sleeps
// instead of waiting for stage 1.
inline std::string PipelineWithoutHandoff(int id) {
  harness::Shared<Page> downloaded(Page{}, "downloaded");
  std::string rendered;  // stage 2's result: the caller reads it after join()
  harness::Thread download("stage-1-download", [&] {
    Page page = Download(id);
    downloaded.store(page);  // stage 1 writes the page (site: produce)
  });
  harness::Thread render("stage-2-render", [&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // "long enough"
    Page page = downloaded.load();  // stage 2 reads it (site: consume)
    rendered = Render(page);
  });
  download.join();
  render.join();
  return rendered;
}

// Pipeline(id): the fix. Stage 1 fulfils a promise; stage 2 waits on its future and
// fulfils the next promise, whose future the caller holds: the values are the handoff.
inline std::string Pipeline(int id) {
  harness::Promise<Page> downloaded("downloaded");
  harness::Promise<std::string> rendered("rendered");
  harness::Future<Page> page = downloaded.get_future();
  harness::Future<std::string> text = rendered.get_future();
  harness::Thread download("stage-1-download",
                           [&downloaded, id] { downloaded.set_value(Download(id)); });
  harness::Thread render("stage-2-render",
                         [&rendered, &page] { rendered.set_value(Render(page.get())); });
  std::string result = text.get();  // the caller waits only for the last stage
  download.join();
  render.join();
  return result;
}

}  // namespace future_pipeline

#endif  // EXAMPLES_FUTURE_PIPELINE_FUTURE_PIPELINE_H_
