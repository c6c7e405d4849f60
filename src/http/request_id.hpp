// X-Request-Id handling: a well-formed id sent by the client is echoed, otherwise one is made.
//
// Generated ids are a per-process random prefix plus a sequence number ("5f3a9c1e-00000000002a"):
// unique within the process, distinct across processes, and cheap (no allocation beyond the
// returned string, no locking: owned by the io thread).
//
//   RequestIdGenerator ids{seed};
//   std::string id = ids.resolve(request["X-Request-Id"]);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace latencylab::http {

class RequestIdGenerator {
 public:
  explicit RequestIdGenerator(std::uint64_t seed) noexcept;

  // Returns `client_id` when it is 1..128 visible ASCII characters, a new id otherwise.
  [[nodiscard]] std::string resolve(std::string_view client_id);

  [[nodiscard]] static bool acceptable(std::string_view client_id) noexcept;

 private:
  std::uint32_t prefix_;
  std::uint64_t sequence_ = 0;
};

}  // namespace latencylab::http
