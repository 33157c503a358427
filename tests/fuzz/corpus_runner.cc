// tests/fuzz/corpus_runner.cc: runs a libFuzzer entry point (LLVMFuzzerTestOneInput,
// linked in from one *_fuzzer.cc) over its seed corpus without libFuzzer, so every
// compiler and sanitizer config of the Bazel build checks the seeds: each file whole,
// and every prefix of it (truncated inputs reach each decoder's error paths).
//
// Usage: corpus_runner DIR... (each file directly in DIR is one input). Fails when a
// directory cannot be read or holds no file; an input the target rejects aborts there.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

// Runs one input from a buffer of exactly `size` bytes, so reads past the end are
// caught by ASan as they would be under libFuzzer.
void RunOne(const std::string& bytes, size_t size) {
  std::vector<uint8_t> exact(bytes.begin(), bytes.begin() + size);
  LLVMFuzzerTestOneInput(exact.data(), exact.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR...\n", argv[0]);
    return 2;
  }
  for (int a = 1; a < argc; ++a) {
    std::error_code error;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(argv[a], error)) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
    if (error) {
      std::fprintf(stderr, "corpus_runner: cannot read %s: %s\n", argv[a],
                   error.message().c_str());
      return 1;
    }
    if (files.empty()) {
      std::fprintf(stderr, "corpus_runner: no input in %s\n", argv[a]);
      return 1;
    }
    size_t runs = 0;
    for (const std::filesystem::path& file : files) {
      std::ifstream in(file, std::ios::binary);
      const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
      if (!in.good() && !in.eof()) {
        std::fprintf(stderr, "corpus_runner: cannot read %s\n", file.c_str());
        return 1;
      }
      for (size_t size = 0; size <= bytes.size(); ++size, ++runs) RunOne(bytes, size);
    }
    std::printf("corpus_runner: %s: %zu files, %zu inputs (with prefixes), no failure\n",
                argv[a], files.size(), runs);
  }
  return 0;
}
