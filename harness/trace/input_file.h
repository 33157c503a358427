// harness/trace/input_file.h: a file (or an in-memory string standing in for one) read
// front to back in large blocks, for the streaming trace readers: a trace of 100
// million events is never loaded whole.
#ifndef HARNESS_TRACE_INPUT_FILE_H_
#define HARNESS_TRACE_INPUT_FILE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace harness {

class InputFile {
 public:
  // InputFile::Open()
  // Opens `path` for reading ("-" is standard input). NotFound / PermissionDenied /
  // ... naming the path when it cannot be opened.
  static absl::StatusOr<InputFile> Open(const std::string& path);
  // InputFile::FromString()
  // An input whose bytes are `bytes`, named `name` in messages (tests, fuzzers).
  static InputFile FromString(std::string bytes, std::string name);

  InputFile(InputFile&& other) noexcept;
  InputFile& operator=(InputFile&& other) noexcept;
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;
  ~InputFile();

  // InputFile::Read()
  // Reads up to `size` bytes into `buffer`, fewer only at the end of the input; 0 at the
  // end. Errors name the file.
  absl::StatusOr<size_t> Read(char* buffer, size_t size);

  // InputFile::ReadAll()
  // The rest of the input, in one string (sized up front when the size is known).
  absl::StatusOr<std::string> ReadAll();

  // InputFile::Skip()
  // Consumes up to `size` bytes without copying them out (bytes Peek() holds are dropped;
  // a regular file seeks); fewer only at the end of the input. Errors name the file.
  absl::StatusOr<uint64_t> Skip(uint64_t size);

  // InputFile::Peek()
  // Up to `size` bytes from the start of the input, without consuming them (format
  // detection, a binary trace's tables). Only before the first Read() or Skip(). The
  // view stays valid until the next call of Read(), Skip() or Peek().
  absl::StatusOr<absl::string_view> Peek(size_t size);

  // The input's name as given to Open() / FromString().
  const std::string& name() const { return name_; }
  // Bytes consumed by Read() and Skip() so far.
  uint64_t position() const { return position_; }
  // The input's size, when known (a regular file or a string), else nullopt (a pipe).
  std::optional<uint64_t> size() const { return size_; }

 private:
  InputFile(int fd, std::string name, std::optional<uint64_t> size);
  // Hands out (into `buffer`, or nowhere when null) up to `size` of the bytes held in
  // memory, and returns how many.
  size_t TakeHeld(char* buffer, uint64_t size);

  // Unmaps what Peek() mapped, if anything.
  void Unmap();

  int fd_ = -1;                 // -1 for a string input
  // A regular file's first bytes, mapped by Peek() (nothing copied or zero-filled: a
  // binary trace's tables are decoded in place); unmapped by the next Read() or Skip().
  const char* mapped_ = nullptr;
  size_t mapped_size_ = 0;
  std::string name_;
  std::string bytes_;           // a string input's bytes; or bytes peeked from fd_
  size_t bytes_offset_ = 0;     // next byte of bytes_ to hand out
  uint64_t position_ = 0;
  std::optional<uint64_t> size_;
};

}  // namespace harness

#endif  // HARNESS_TRACE_INPUT_FILE_H_
