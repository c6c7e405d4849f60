#include "core/wall_clock.hpp"

namespace latencylab::core {
namespace {

// Writes `value` as exactly `width` decimal digits (zero-padded, high digits dropped).
char* put_digits(char* out, unsigned value, int width) noexcept {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + width;
}

}  // namespace

std::uint64_t to_unix_nanos(std::chrono::system_clock::time_point t) noexcept {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count());
}

std::string format_rfc3339(std::chrono::system_clock::time_point t) {
  std::string text;
  append_rfc3339(text, t);
  return text;
}

// Civil date from the chrono calendar and digits by hand: every /health response carries one, and
// gmtime_r + strftime + snprintf cost ~2,600 instructions where this costs ~150.
void append_rfc3339(std::string& out, std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  const auto millis = floor<milliseconds>(t);
  const auto day = floor<days>(millis);
  const year_month_day date{day};
  const hh_mm_ss time{millis - day};
  const std::size_t start = out.size();
  out.resize(start + kRfc3339Size, 'Z');  // YYYY-MM-DDTHH:MM:SS.mmmZ
  char* p = out.data() + start;
  p = put_digits(p, static_cast<unsigned>(static_cast<int>(date.year())), 4);
  *p++ = '-';
  p = put_digits(p, static_cast<unsigned>(date.month()), 2);
  *p++ = '-';
  p = put_digits(p, static_cast<unsigned>(date.day()), 2);
  *p++ = 'T';
  p = put_digits(p, static_cast<unsigned>(time.hours().count()), 2);
  *p++ = ':';
  p = put_digits(p, static_cast<unsigned>(time.minutes().count()), 2);
  *p++ = ':';
  p = put_digits(p, static_cast<unsigned>(time.seconds().count()), 2);
  *p++ = '.';
  put_digits(p, static_cast<unsigned>(time.subseconds().count()), 3);
}

}  // namespace latencylab::core
