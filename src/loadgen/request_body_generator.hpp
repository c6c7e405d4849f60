// Realistic generated request content for the built-in mixes, from a seeded engine so a run is
// reproducible. Used at startup only, to pre-serialize a pool of request variants per endpoint.
//
//   std::mt19937_64 rng{42};
//   std::string body = generate_order_body(rng);
//   // {"user_id":"user-417","items":[{"id":"sku-0032","qty":2}],"total":59.98}
#pragma once

#include <random>
#include <string>

namespace latencylab::loadgen {

using BodyRng = std::mt19937_64;

// An order as the service's POST /api/orders expects: 1-4 catalogue items, total == sum(qty*price).
[[nodiscard]] std::string generate_order_body(BodyRng& rng);
// An order that is also a payment of its total: {user_id, items, total, amount, currency}, what a
// shop's checkout forwards to both its orders and its payments service (config/graphs/shop.json).
[[nodiscard]] std::string generate_checkout_body(BodyRng& rng);
// A card/wallet payment for a generated order id.
[[nodiscard]] std::string generate_payment_body(BodyRng& rng);
// A URL-safe query string for GET /api/search: "q=wireless+headphones&limit=20".
[[nodiscard]] std::string generate_search_query(BodyRng& rng);

}  // namespace latencylab::loadgen
