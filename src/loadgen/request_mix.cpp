#include "loadgen/request_mix.hpp"

#include <algorithm>

#include "loadgen/request_body_generator.hpp"

namespace latencylab::loadgen {

std::string serialize_request(std::string_view method, std::string_view target,
                              std::string_view host, std::string_view content_type,
                              std::string_view body, bool connection_close,
                              std::span<const std::string> headers) {
  std::string bytes;
  bytes.reserve(160 + target.size() + body.size());
  bytes.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: ").append(host);
  bytes.append("\r\nUser-Agent: latencylab-load\r\nAccept: */*\r\n");
  if (connection_close) bytes.append("Connection: close\r\n");
  for (const auto& header : headers) bytes.append(header).append("\r\n");
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    if (!body.empty() && !content_type.empty()) {
      bytes.append("Content-Type: ").append(content_type).append("\r\n");
    }
    bytes.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  }
  bytes.append("\r\n").append(body);
  return bytes;
}

RequestMix::RequestMix(const std::vector<EndpointSpec>& endpoints, const TargetAddress& target,
                       bool connection_close, std::uint64_t seed) {
  BodyRng rng{seed};
  for (const auto& spec : endpoints) {
    PreparedEndpoint prepared{
        spec.name, spec.method, spec.weight, 0, {}, {}, !spec.expected_statuses.empty()};
    for (unsigned status = 200; status < 400; ++status) {
      prepared.expected_statuses.set(status, spec.expected_statuses.empty());
    }
    for (const unsigned status : spec.expected_statuses) prepared.expected_statuses.set(status);
    total_weight_ += spec.weight;
    prepared.cumulative_weight = total_weight_;
    // The target URL's path (a --base-path prefix, or the whole request of a URL target) and the
    // endpoint's own path; a URL without any path requests "/", as wrk does.
    std::string path = target.path + spec.path;
    if (path.empty()) path.push_back('/');  // not `= "/"`: GCC 12 -O2 warns (false -Wrestrict)
    const std::size_t variants = spec.generator == BodyGenerator::none ? 1 : kGeneratedVariants;
    for (std::size_t i = 0; i < variants; ++i) {
      std::string request_target = path;
      std::string body = spec.body;
      switch (spec.generator) {
        case BodyGenerator::none:
          break;
        case BodyGenerator::order:
          body = generate_order_body(rng);
          break;
        case BodyGenerator::payment:
          body = generate_payment_body(rng);
          break;
        case BodyGenerator::checkout:
          body = generate_checkout_body(rng);
          break;
        case BodyGenerator::search_query:
          request_target += (path.find('?') == std::string::npos ? "?" : "&");
          request_target += generate_search_query(rng);
          break;
      }
      prepared.variants.push_back(serialize_request(spec.method, request_target, target.host_header,
                                                    spec.content_type, body, connection_close,
                                                    spec.headers));
    }
    endpoints_.push_back(std::move(prepared));
  }
}

RequestMix::Choice RequestMix::pick(MixRng& rng) const noexcept {
  // Modulo of a 64-bit draw: the bias is below 2^-40 for any realistic weight total.
  const std::uint64_t draw = rng() % total_weight_;
  const auto it = std::upper_bound(
      endpoints_.begin(), endpoints_.end(), draw,
      [](std::uint64_t value, const PreparedEndpoint& e) { return value < e.cumulative_weight; });
  const auto& endpoint = *it;
  const std::size_t variant = endpoint.variants.size() == 1
                                  ? 0
                                  : static_cast<std::size_t>(rng() % endpoint.variants.size());
  return {static_cast<std::size_t>(it - endpoints_.begin()), endpoint.variants[variant]};
}

}  // namespace latencylab::loadgen
