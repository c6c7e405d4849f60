#include "loadgen/request_body_generator.hpp"

#include <array>
#include <cstdio>
#include <string_view>

namespace latencylab::loadgen {
namespace {

template <typename T>
T uniform(BodyRng& rng, T low, T high) {
  return std::uniform_int_distribution<T>(low, high)(rng);
}

template <typename Array>
const auto& pick(BodyRng& rng, const Array& items) {
  return items[uniform<std::size_t>(rng, 0, items.size() - 1)];
}

std::string format_money(long cents) {
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%ld.%02ld", cents / 100, cents % 100);
  return text.data();
}

// An order's fields without the closing brace, and its total in cents.
std::string order_fields(BodyRng& rng, long& total_cents) {
  const int item_count = uniform(rng, 1, 4);
  std::string body =
      "{\"user_id\":\"user-" + std::to_string(uniform(rng, 1, 1000)) + "\",\"items\":[";
  total_cents = 0;
  for (int i = 0; i < item_count; ++i) {
    const int sku = uniform(rng, 1, 500);
    const int quantity = uniform(rng, 1, 3);
    // The price is a deterministic function of the SKU, as a catalogue would make it.
    const long price_cents = 499 + (sku * 1237L) % 19500;
    total_cents += price_cents * quantity;
    std::array<char, 64> item{};
    std::snprintf(item.data(), item.size(), "%s{\"id\":\"sku-%04d\",\"qty\":%d}", i ? "," : "", sku,
                  quantity);
    body += item.data();
  }
  body += "],\"total\":" + format_money(total_cents);
  return body;
}

constexpr std::array<std::string_view, 3> kCurrencies{"USD", "EUR", "GBP"};

}  // namespace

std::string generate_order_body(BodyRng& rng) {
  long total_cents = 0;
  return order_fields(rng, total_cents) + "}";
}

std::string generate_checkout_body(BodyRng& rng) {
  long total_cents = 0;
  std::string body = order_fields(rng, total_cents);
  body += ",\"amount\":" + format_money(total_cents);
  body += ",\"currency\":\"" + std::string(pick(rng, kCurrencies)) + "\"}";
  return body;
}

std::string generate_payment_body(BodyRng& rng) {
  constexpr std::array<std::string_view, 3> kMethods{"card", "wallet", "bank_transfer"};
  std::string body = "{\"order_id\":\"ORD-" + std::to_string(uniform(rng, 100000, 999999)) + "\"";
  body += ",\"amount\":" + format_money(uniform(rng, 500L, 50000L));
  body += ",\"currency\":\"" + std::string(pick(rng, kCurrencies)) + "\"";
  body += ",\"method\":\"" + std::string(pick(rng, kMethods)) + "\"}";
  return body;
}

std::string generate_search_query(BodyRng& rng) {
  constexpr std::array<std::string_view, 12> kTerms{
      "wireless+headphones", "running+shoes",       "coffee+grinder",
      "usb-c+cable",         "desk+lamp",           "backpack",
      "water+bottle",        "mechanical+keyboard", "yoga+mat",
      "phone+case",          "monitor+arm",         "notebook"};
  constexpr std::array<int, 3> kLimits{10, 20, 50};
  return "q=" + std::string(pick(rng, kTerms)) + "&limit=" + std::to_string(pick(rng, kLimits));
}

}  // namespace latencylab::loadgen
