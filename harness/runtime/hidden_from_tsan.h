// harness/runtime/hidden_from_tsan.h: keeps the harness's own bookkeeping out of
// ThreadSanitizer's view in --config=tsan builds.
//
// The recorder's slow paths (interning a call site, registering a thread or object,
// switching buffer chunks, collecting a trace) take process-wide locks. ThreadSanitizer
// would see each of those as synchronization between the user's threads that the
// user's code does not have, and miss races the program really has. Inside a
// HiddenFromThreadSanitizer scope, TSan ignores synchronization and memory accesses;
// everything outside it (the wrappers' real std primitives, the fast recording path)
// stays visible. In other builds it compiles to nothing.
#ifndef HARNESS_RUNTIME_HIDDEN_FROM_TSAN_H_
#define HARNESS_RUNTIME_HIDDEN_FROM_TSAN_H_

#if defined(__SANITIZE_THREAD__)
#define HARNESS_HIDE_FROM_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define HARNESS_HIDE_FROM_TSAN 1
#endif
#endif

#ifdef HARNESS_HIDE_FROM_TSAN
extern "C" {
void AnnotateIgnoreSyncBegin(const char* file, int line);
void AnnotateIgnoreSyncEnd(const char* file, int line);
void AnnotateIgnoreReadsBegin(const char* file, int line);
void AnnotateIgnoreReadsEnd(const char* file, int line);
void AnnotateIgnoreWritesBegin(const char* file, int line);
void AnnotateIgnoreWritesEnd(const char* file, int line);
}
#endif

namespace harness::runtime {

class HiddenFromThreadSanitizer {
 public:
#ifdef HARNESS_HIDE_FROM_TSAN
  HiddenFromThreadSanitizer() {
    AnnotateIgnoreSyncBegin(__FILE__, __LINE__);
    AnnotateIgnoreReadsBegin(__FILE__, __LINE__);
    AnnotateIgnoreWritesBegin(__FILE__, __LINE__);
  }
  ~HiddenFromThreadSanitizer() {
    AnnotateIgnoreWritesEnd(__FILE__, __LINE__);
    AnnotateIgnoreReadsEnd(__FILE__, __LINE__);
    AnnotateIgnoreSyncEnd(__FILE__, __LINE__);
  }
#else
  // User-provided, so a scope object is not an "unused variable".
  HiddenFromThreadSanitizer() {}
  ~HiddenFromThreadSanitizer() {}
#endif
  HiddenFromThreadSanitizer(const HiddenFromThreadSanitizer&) = delete;
  HiddenFromThreadSanitizer& operator=(const HiddenFromThreadSanitizer&) = delete;
};

}  // namespace harness::runtime

#endif  // HARNESS_RUNTIME_HIDDEN_FROM_TSAN_H_
