// ASCII text helpers for parsing settings, flags and headers: case-insensitive compare, lower
// case, trimming. Locale-independent, so "TRUE" and "true" compare equal in every environment.
//
//   if (core::iequals(core::trim(" True "), "true")) { /* ... */ }
//   std::string key = core::to_lower("API-Key");  // "api-key"
#pragma once

#include <string>
#include <string_view>

namespace latencylab::core {

[[nodiscard]] constexpr char ascii_lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

[[nodiscard]] constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

[[nodiscard]] inline std::string to_lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = ascii_lower(c);
  return lower;
}

// Strips spaces and tabs (the OWS of HTTP and of the W3C Baggage grammar) from both ends.
[[nodiscard]] constexpr std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace latencylab::core
