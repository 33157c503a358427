// harness/report/json_writer.h: a small streaming JSON writer for the JSON and SARIF
// printers. Pretty-prints with two-space indentation, one member or element per line,
// "{}" / "[]" for empty containers; escapes strings (and replaces invalid UTF-8 with
// U+FFFD) so that the output is always valid JSON.
#ifndef HARNESS_REPORT_JSON_WRITER_H_
#define HARNESS_REPORT_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace harness::report_internal {

// AppendJsonString()
// `text` as a JSON string literal, quotes included.
void AppendJsonString(absl::string_view text, std::string* out);

class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(out) {}

  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  // The member name of the next value, inside an object.
  void Key(absl::string_view key);

  void String(absl::string_view value);
  void Int(int64_t value);
  void Uint(uint64_t value);
  void Bool(bool value);
  void Null();
  // "0x1a2b": 64-bit addresses as strings, since JSON numbers are doubles for many readers.
  void Hex(uint64_t value);

  // Key + value in one call.
  void Field(absl::string_view key, absl::string_view value) { Key(key); String(value); }
  void Field(absl::string_view key, const char* value) { Key(key); String(value); }
  void Field(absl::string_view key, const std::string& value) { Key(key); String(value); }
  void Field(absl::string_view key, bool value) { Key(key); Bool(value); }
  void Field(absl::string_view key, int value) { Key(key); Int(value); }
  void Field(absl::string_view key, int64_t value) { Key(key); Int(value); }
  void Field(absl::string_view key, uint64_t value) { Key(key); Uint(value); }
  void Field(absl::string_view key, uint32_t value) { Key(key); Uint(value); }

  // Ends the document with a newline. Call once, after the outermost container.
  void Finish() { out_->push_back('\n'); }

 private:
  void BeforeValue();
  void Indent();

  std::string* out_;
  struct Level {
    bool empty = true;
  };
  std::vector<Level> levels_;
  bool after_key_ = false;
};

}  // namespace harness::report_internal

#endif  // HARNESS_REPORT_JSON_WRITER_H_
