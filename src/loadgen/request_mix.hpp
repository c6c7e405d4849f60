// One target's weighted request mix, pre-serialized at startup so the request path only picks a
// ready byte string: no formatting, allocation or hashing per request.
//
// Endpoints with a body generator get a pool of distinct variants (different orders, payments or
// search terms); a request picks its endpoint by weight, then a variant uniformly.
//
//   RequestMix mix(scenario.endpoints, target.address, /*connection_close=*/false, seed);
//   MixRng rng{seed};
//   RequestMix::Choice c = mix.pick(rng);  // c.endpoint indexes endpoint_name(); c.bytes is ready
#pragma once

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "loadgen/scenario.hpp"
#include "loadgen/target_url.hpp"

namespace latencylab::loadgen {

// Per io thread, seeded from --seed and the thread index.
using MixRng = std::mt19937_64;

class RequestMix {
 public:
  static constexpr std::size_t kGeneratedVariants = 64;

  struct Choice {
    std::size_t endpoint;
    std::string_view bytes;
  };

  RequestMix(const std::vector<EndpointSpec>& endpoints, const TargetAddress& target,
             bool connection_close, std::uint64_t seed);

  [[nodiscard]] Choice pick(MixRng& rng) const noexcept;

  [[nodiscard]] std::size_t endpoint_count() const noexcept { return endpoints_.size(); }
  [[nodiscard]] const std::string& endpoint_name(std::size_t i) const noexcept {
    return endpoints_[i].name;
  }
  [[nodiscard]] const std::string& endpoint_method(std::size_t i) const noexcept {
    return endpoints_[i].method;
  }
  [[nodiscard]] unsigned endpoint_weight(std::size_t i) const noexcept {
    return endpoints_[i].weight;
  }
  [[nodiscard]] std::uint64_t total_weight() const noexcept { return total_weight_; }
  // Whether endpoint `i` expects `status` (its expected_statuses, else 2xx and 3xx). A bit test:
  // called per response on the io thread.
  [[nodiscard]] bool expects(std::size_t i, unsigned status) const noexcept {
    return status < kStatusCodes && endpoints_[i].expected_statuses.test(status);
  }
  // Whether endpoint `i` lists its expected statuses (false: it expects the default 2xx and 3xx).
  [[nodiscard]] bool lists_expected_statuses(std::size_t i) const noexcept {
    return endpoints_[i].statuses_listed;
  }

 private:
  static constexpr std::size_t kStatusCodes = 600;

  struct PreparedEndpoint {
    std::string name;
    std::string method;
    unsigned weight;
    std::uint64_t cumulative_weight;  // sum of weights up to and including this endpoint
    std::vector<std::string> variants;
    std::bitset<kStatusCodes> expected_statuses;
    bool statuses_listed;  // false: the default 2xx and 3xx
  };

  std::vector<PreparedEndpoint> endpoints_;
  std::uint64_t total_weight_ = 0;
};

// The exact bytes of one HTTP/1.1 request. Exposed for tests and the benchmark.
[[nodiscard]] std::string serialize_request(std::string_view method, std::string_view target,
                                            std::string_view host, std::string_view content_type,
                                            std::string_view body, bool connection_close,
                                            std::span<const std::string> headers = {});

}  // namespace latencylab::loadgen
