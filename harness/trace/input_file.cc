// harness/trace/input_file.cc: InputFile.
#include "harness/trace/input_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace harness {

absl::StatusOr<InputFile> InputFile::Open(const std::string& path) {
  int fd = path == "-" ? ::dup(STDIN_FILENO) : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return absl::ErrnoToStatus(errno, absl::StrCat("cannot open ", path));
  struct stat info;
  std::optional<uint64_t> size;
  if (::fstat(fd, &info) == 0) {
    if (S_ISDIR(info.st_mode)) {
      ::close(fd);
      return absl::InvalidArgumentError(absl::StrCat("cannot read ", path, ": it is a directory"));
    }
    if (S_ISREG(info.st_mode)) size = static_cast<uint64_t>(info.st_size);
  }
#ifdef POSIX_FADV_SEQUENTIAL
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  return InputFile(fd, path, size);
}

InputFile InputFile::FromString(std::string bytes, std::string name) {
  const uint64_t size = bytes.size();
  InputFile input(-1, std::move(name), size);
  input.bytes_ = std::move(bytes);
  return input;
}

InputFile::InputFile(int fd, std::string name, std::optional<uint64_t> size)
    : fd_(fd), name_(std::move(name)), size_(size) {}

InputFile::InputFile(InputFile&& other) noexcept { *this = std::move(other); }

InputFile& InputFile::operator=(InputFile&& other) noexcept {
  if (this != &other) {
    Unmap();
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    mapped_ = std::exchange(other.mapped_, nullptr);
    mapped_size_ = std::exchange(other.mapped_size_, 0);
    name_ = std::move(other.name_);
    bytes_ = std::move(other.bytes_);
    bytes_offset_ = other.bytes_offset_;
    position_ = other.position_;
    size_ = other.size_;
  }
  return *this;
}

InputFile::~InputFile() {
  Unmap();
  if (fd_ >= 0) ::close(fd_);
}

void InputFile::Unmap() {
  if (mapped_ == nullptr) return;
  ::munmap(const_cast<char*>(mapped_), mapped_size_);
  mapped_ = nullptr;
  mapped_size_ = 0;
}

size_t InputFile::TakeHeld(char* buffer, uint64_t size) {
  if (bytes_offset_ >= bytes_.size()) return 0;
  const size_t taken = static_cast<size_t>(std::min<uint64_t>(size, bytes_.size() - bytes_offset_));
  if (buffer != nullptr) std::memcpy(buffer, bytes_.data() + bytes_offset_, taken);
  bytes_offset_ += taken;
  if (bytes_offset_ == bytes_.size() && fd_ >= 0) {  // peeked bytes all handed out
    bytes_.clear();
    bytes_.shrink_to_fit();
    bytes_offset_ = 0;
  }
  return taken;
}

absl::StatusOr<size_t> InputFile::Read(char* buffer, size_t size) {
  Unmap();
  // Bytes held in memory first: a string input's, or those Peek() read.
  size_t done = TakeHeld(buffer, size);
  while (fd_ >= 0 && done < size) {
    const ssize_t n = ::read(fd_, buffer + done, size - done);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      return absl::ErrnoToStatus(errno, absl::StrCat("cannot read ", name_));
    }
    done += static_cast<size_t>(n);
  }
  position_ += done;
  return done;
}

absl::StatusOr<std::string> InputFile::ReadAll() {
  std::string bytes;
  size_t size = 0;
  // One more byte than the known size, so the end is seen without growing.
  bytes.resize(std::max<uint64_t>(size_.has_value() ? *size_ - std::min(*size_, position_) + 1 : 0,
                                  uint64_t{1} << 16));
  for (;;) {
    if (size == bytes.size()) bytes.resize(bytes.size() * 2);
    absl::StatusOr<size_t> n = Read(bytes.data() + size, bytes.size() - size);
    if (!n.ok()) return n.status();
    if (*n == 0) break;
    size += *n;
  }
  bytes.resize(size);
  return bytes;
}

absl::StatusOr<uint64_t> InputFile::Skip(uint64_t size) {
  Unmap();
  uint64_t done = TakeHeld(nullptr, size);
  position_ += done;
  if (fd_ < 0 || done == size) return done;
  if (size_.has_value()) {
    // A regular file: seek, no further than its end. The bytes held are all consumed,
    // so the descriptor is at position_.
    const uint64_t step = std::min(size - done, *size_ > position_ ? *size_ - position_ : 0);
    if (step > 0 && ::lseek(fd_, static_cast<off_t>(step), SEEK_CUR) < 0) {
      return absl::ErrnoToStatus(errno, absl::StrCat("cannot read ", name_));
    }
    position_ += step;
    return done + step;
  }
  char discard[4096];  // a pipe: read and drop
  while (done < size) {
    absl::StatusOr<size_t> n = Read(discard, std::min<uint64_t>(sizeof(discard), size - done));
    if (!n.ok()) return n.status();
    if (*n == 0) break;
    done += *n;
  }
  return done;
}

absl::StatusOr<absl::string_view> InputFile::Peek(size_t size) {
  if (fd_ < 0) return absl::string_view(bytes_).substr(0, size);
  if (size_.has_value() && *size_ > 0 && size > 0 && bytes_.empty()) {
    // A regular file: map its first bytes (the descriptor stays at offset 0, so Read()
    // starts from the beginning). Should mapping fail (or the file claim no size, as
    // /proc files do), read them as from a pipe.
    Unmap();
    const size_t length = static_cast<size_t>(std::min<uint64_t>(size, *size_));
    void* mapping = ::mmap(nullptr, length, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd_, 0);
    if (mapping != MAP_FAILED) {
      mapped_ = static_cast<const char*>(mapping);
      mapped_size_ = length;
      return absl::string_view(mapped_, length);
    }
  }
  while (bytes_.size() < size) {
    const size_t have = bytes_.size();
    bytes_.resize(size);
    const ssize_t n = ::read(fd_, bytes_.data() + have, size - have);
    if (n <= 0) {
      bytes_.resize(have);
      if (n == 0) break;
      if (errno == EINTR) continue;
      return absl::ErrnoToStatus(errno, absl::StrCat("cannot read ", name_));
    }
    bytes_.resize(have + static_cast<size_t>(n));
  }
  return absl::string_view(bytes_).substr(0, size);
}

}  // namespace harness
