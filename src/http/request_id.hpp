// X-Request-Id handling: a well-formed id sent by the client is echoed, otherwise one is made.
//
// Generated ids are a per-process random prefix plus a sequence number ("5f3a9c1e-00000000002a"):
// unique within the process (for 2^48 requests), distinct across processes, and cheap: no
// allocation and no locking (owned by the io thread). A RequestId holds a generated id inline and
// a client's id as a view into the request, so it must not outlive the request.
//
//   RequestIdGenerator ids{seed};
//   const RequestId id = ids.resolve(request[kRequestIdField]);
//   serialize_head(response, id.view(), head);  // response.hpp: sends X-Request-Id
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace latencylab::http {

// Not a registered field in Beast's table, so it is matched by name.
inline constexpr std::string_view kRequestIdField = "X-Request-Id";

class RequestId {
 public:
  [[nodiscard]] std::string_view view() const noexcept {
    return client_.empty() ? std::string_view(generated_.data(), generated_.size()) : client_;
  }

 private:
  friend class RequestIdGenerator;
  std::string_view client_;           // a well-formed id the client sent, or empty
  std::array<char, 21> generated_{};  // "pppppppp-ssssssssssss" when client_ is empty
};

class RequestIdGenerator {
 public:
  explicit RequestIdGenerator(std::uint64_t seed) noexcept;

  // `client_id` when it is 1..128 visible ASCII characters, a new id otherwise.
  [[nodiscard]] RequestId resolve(std::string_view client_id) noexcept;

  [[nodiscard]] static bool acceptable(std::string_view client_id) noexcept;

 private:
  std::uint32_t prefix_;
  std::uint64_t sequence_ = 0;
};

}  // namespace latencylab::http
