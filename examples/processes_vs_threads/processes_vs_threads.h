// examples/processes_vs_threads/processes_vs_threads.h: the seeds' point about
// processes and threads. Threads share their process's memory; a process gets its own.
// The work: add up the numbers 1..100 into a running total kept in memory, split in
// two halves done at the same time.
//
// SumInThreads() (buggy): two harness::Threads add their halves into one shared total
// with an unlocked load and store: the total is shared memory, and the two threads
// race on it (an update can be lost). What the harness reports, on every run:
//   WARNING: harness: data race   on 'total': a load in one worker (site "total-read")
//                                 against a store in the other (site "total-write")
//   WARNING: harness: data race   on 'total': the two workers' stores (site
//                                 "total-write", both sides)
// SumInChildProcesses() (fixed): the same work in two child processes made with fork().
// Each child changes its own copy of 'total' (copy-on-write memory); the parent's copy
// is untouched, which is why each child sends its result back through a pipe. There is
// no race, and the harness reports nothing: the children's accesses happen in other
// address spaces and are recorded (if at all) into the children's copies of the
// recorder, which vanish when they _exit(). A child must leave with _exit(), never
// return or exit(): returning would run the rest of the parent's GoogleTest program in
// the child, and exit() would run the parent's atexit handlers a second time.
#ifndef EXAMPLES_PROCESSES_VS_THREADS_PROCESSES_VS_THREADS_H_
#define EXAMPLES_PROCESSES_VS_THREADS_PROCESSES_VS_THREADS_H_

#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

#include "harness/harness.h"

namespace processes_vs_threads {

// AddRange(total, first, last): adds first..last to `total`, one number at a time.
inline void AddRange(harness::Shared<long>& total, long first, long last) {
  for (long n = first; n <= last; ++n) {
    long sum = total.load();  // read the running total (site: total-read)
    total.store(sum + n);     // write it back (site: total-write)
  }
}

// SumInThreads(): the bug. "worker-1" adds 1..50 and "worker-2" 51..100 into one shared
// total. Returns it (5050 unless an update was lost).
inline long SumInThreads() {
  harness::Shared<long> total(0, "total");
  harness::Thread first("worker-1", [&] { AddRange(total, 1, 50); });
  harness::Thread second("worker-2", [&] { AddRange(total, 51, 100); });
  first.join();
  second.join();
  return total.load();
}

struct ProcessSums {
  long total = 0;         // the sum of the children's results (5050)
  long parent_total = 0;  // the parent's own 'total' afterwards (still 0)
};

// SumInChildProcesses(): the fix. Two child processes, each with its own copy of
// `total`, report their halves through pipes. Throws std::system_error when a system
// call fails, and std::runtime_error when a child fails.
inline ProcessSums SumInChildProcesses() {
  harness::Shared<long> total(0, "total");
  const long halves[2][2] = {{1, 50}, {51, 100}};
  pid_t children[2];
  int results[2];  // the read ends of the pipes
  for (int i = 0; i < 2; ++i) {
    int fds[2];
    if (pipe(fds) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
    pid_t pid = fork();
    if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
    if (pid == 0) {
      // The child: its own copy of everything, `total` included.
      close(fds[0]);
      AddRange(total, halves[i][0], halves[i][1]);
      long sum = total.load();
      bool sent = write(fds[1], &sum, sizeof sum) == static_cast<ssize_t>(sizeof sum);
      _exit(sent ? 0 : 1);
    }
    close(fds[1]);
    children[i] = pid;
    results[i] = fds[0];
  }
  ProcessSums sums;
  bool ok = true;
  for (int i = 0; i < 2; ++i) {
    long sum = 0;
    ok = read(results[i], &sum, sizeof sum) == static_cast<ssize_t>(sizeof sum) && ok;
    close(results[i]);
    int status = 0;
    ok = waitpid(children[i], &status, 0) == children[i] && WIFEXITED(status) &&
         WEXITSTATUS(status) == 0 && ok;
    sums.total += sum;
  }
  if (!ok) throw std::runtime_error("a child process failed");
  sums.parent_total = total.load();
  return sums;
}

}  // namespace processes_vs_threads

#endif  // EXAMPLES_PROCESSES_VS_THREADS_PROCESSES_VS_THREADS_H_
