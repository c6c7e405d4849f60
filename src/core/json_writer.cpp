#include "core/json_writer.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

namespace latencylab::core::json {
namespace {

// Below 2^53 every integer is exactly representable as a double, so printing it as an integer
// loses nothing; at and beyond it neighbouring doubles are 2 or more apart.
constexpr double kExactIntegerLimit = 9007199254740992.0;

// The longest shortest-form double is "-2.2250738585072014e-308" (24 chars); int64 needs 20.
constexpr std::size_t kMaxNumberChars = 32;

// Which bytes a JSON string cannot hold as they are: control characters, '"' and '\\'.
constexpr std::array<bool, 256> kMustEscape = [] {
  std::array<bool, 256> table{};
  for (int byte = 0; byte < 0x20; ++byte) table[byte] = true;
  table['"'] = true;
  table['\\'] = true;
  return table;
}();

// The text being written: a growable char array written through raw pointers, so the per-byte
// work is a table lookup and the per-token work one capacity check (std::string's append costs
// more than the escaping it carries). One per thread, kept between documents.
class TextBuffer {
 public:
  void clear() noexcept { size_ = 0; }
  [[nodiscard]] std::string_view view() const noexcept { return {data_.get(), size_}; }

  // Room for `n` more bytes at tail(); commit() what was written there.
  char* tail(std::size_t n) {
    if (capacity_ - size_ < n) grow(n);
    return data_.get() + size_;
  }
  void commit(std::size_t n) noexcept { size_ += n; }

  void put(char c) {
    *tail(1) = c;
    ++size_;
  }
  void put(std::string_view text) {
    std::memcpy(tail(text.size()), text.data(), text.size());
    size_ += text.size();
  }

  // A buffer that grew for one large document (a big console export) is not kept.
  void release_if_large() noexcept {
    if (capacity_ > kMaxKeptBytes) *this = TextBuffer();
  }

 private:
  static constexpr std::size_t kMaxKeptBytes = 64 * 1024;

  void grow(std::size_t n) {
    const std::size_t capacity = std::max({capacity_ * 2, size_ + n, std::size_t{1024}});
    auto data = std::make_unique_for_overwrite<char[]>(capacity);
    if (size_ != 0) std::memcpy(data.get(), data_.get(), size_);
    data_ = std::move(data);
    capacity_ = capacity;
  }

  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

TextBuffer& thread_buffer() {
  thread_local TextBuffer buffer;
  buffer.clear();
  return buffer;
}

template <typename Number>
void write_number(TextBuffer& out, Number number) {
  char* const first = out.tail(kMaxNumberChars);
  const auto result = std::to_chars(first, first + kMaxNumberChars, number);
  out.commit(static_cast<std::size_t>(result.ptr - first));
}

void write_double(TextBuffer& out, double number) {
  if (!std::isfinite(number)) {
    out.put("null");
  } else if (std::trunc(number) == number && std::abs(number) < kExactIntegerLimit) {
    write_number(out, static_cast<std::int64_t>(number));  // -0.0 becomes 0
  } else {
    write_number(out, number);
  }
}

// Writes `byte` (one kMustEscape says needs it) escaped at `at`; returns the end.
char* write_escaped(char* at, unsigned char byte) noexcept {
  static constexpr char kHex[] = "0123456789abcdef";
  *at++ = '\\';
  switch (byte) {
    case '"':
    case '\\':
      *at++ = static_cast<char>(byte);
      return at;
    case '\b':
      *at++ = 'b';
      return at;
    case '\f':
      *at++ = 'f';
      return at;
    case '\n':
      *at++ = 'n';
      return at;
    case '\r':
      *at++ = 'r';
      return at;
    case '\t':
      *at++ = 't';
      return at;
    default:
      for (char c : {'u', '0', '0', kHex[byte >> 4], kHex[byte & 0xf]}) *at++ = c;
      return at;
  }
}

void write_string(TextBuffer& out, std::string_view text) {
  // Worst case: every byte becomes \u00XX, plus the quotes.
  char* const first = out.tail(text.size() * 6 + 2);
  char* at = first;
  *at++ = '"';
  const char* run = text.data();  // start of the bytes copied as they are
  const char* const end = text.data() + text.size();
  for (const char* byte = run; byte != end; ++byte) {
    if (!kMustEscape[static_cast<unsigned char>(*byte)]) [[likely]] {
      continue;
    }
    std::memcpy(at, run, static_cast<std::size_t>(byte - run));
    at = write_escaped(at + (byte - run), static_cast<unsigned char>(*byte));
    run = byte + 1;
  }
  std::memcpy(at, run, static_cast<std::size_t>(end - run));
  at += end - run;
  *at++ = '"';
  out.commit(static_cast<std::size_t>(at - first));
}

void write(TextBuffer& out, const boost::json::value& value);

void write(TextBuffer& out, const boost::json::object& object) {
  out.put('{');
  bool first = true;
  for (const auto& member : object) {
    if (!first) out.put(',');
    first = false;
    write_string(out, member.key());
    out.put(':');
    write(out, member.value());
  }
  out.put('}');
}

void write(TextBuffer& out, const boost::json::array& array) {
  out.put('[');
  bool first = true;
  for (const auto& element : array) {
    if (!first) out.put(',');
    first = false;
    write(out, element);
  }
  out.put(']');
}

void write(TextBuffer& out, const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::null:
      out.put("null");
      return;
    case boost::json::kind::bool_:
      out.put(value.get_bool() ? std::string_view("true") : std::string_view("false"));
      return;
    case boost::json::kind::int64:
      write_number(out, value.get_int64());
      return;
    case boost::json::kind::uint64:
      write_number(out, value.get_uint64());
      return;
    case boost::json::kind::double_:
      write_double(out, value.get_double());
      return;
    case boost::json::kind::string:
      write_string(out, value.get_string());
      return;
    case boost::json::kind::array:
      write(out, value.get_array());
      return;
    case boost::json::kind::object:
      write(out, value.get_object());
      return;
  }
}

// Both entry points build the text in this thread's buffer, then copy it out once.
template <typename Json>
void append_text(std::string& out, const Json& json) {
  TextBuffer& buffer = thread_buffer();
  write(buffer, json);
  out.append(buffer.view());
  buffer.release_if_large();
}

template <typename Json>
std::string text_of(const Json& json) {
  TextBuffer& buffer = thread_buffer();
  write(buffer, json);
  std::string text(buffer.view());  // the one allocation, at the final size
  buffer.release_if_large();
  return text;
}

}  // namespace

void append(std::string& out, const boost::json::value& value) {
  append_text(out, value);
}

void append(std::string& out, const boost::json::object& object) {
  append_text(out, object);
}

void append(std::string& out, const boost::json::array& array) {
  append_text(out, array);
}

std::string serialize(const boost::json::value& value) {
  return text_of(value);
}

std::string serialize(const boost::json::object& object) {
  return text_of(object);
}

std::string serialize(const boost::json::array& array) {
  return text_of(array);
}

}  // namespace latencylab::core::json
