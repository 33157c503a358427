// harness/trace/input_file.cc: InputFile.
#include "harness/trace/input_file.h"

#include <fcntl.h>
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
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    name_ = std::move(other.name_);
    bytes_ = std::move(other.bytes_);
    bytes_offset_ = other.bytes_offset_;
    position_ = other.position_;
    size_ = other.size_;
  }
  return *this;
}

InputFile::~InputFile() {
  if (fd_ >= 0) ::close(fd_);
}

absl::StatusOr<size_t> InputFile::Read(char* buffer, size_t size) {
  size_t done = 0;
  // Bytes held in memory first: a string input's, or those Peek() read.
  if (bytes_offset_ < bytes_.size()) {
    done = std::min(size, bytes_.size() - bytes_offset_);
    std::memcpy(buffer, bytes_.data() + bytes_offset_, done);
    bytes_offset_ += done;
    if (bytes_offset_ == bytes_.size() && fd_ >= 0) {
      bytes_.clear();
      bytes_.shrink_to_fit();
      bytes_offset_ = 0;
    }
  }
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

absl::StatusOr<std::string> InputFile::Peek(size_t size) {
  if (fd_ < 0) return bytes_.substr(0, std::min(size, bytes_.size()));
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
  return bytes_.substr(0, std::min(size, bytes_.size()));
}

}  // namespace harness
