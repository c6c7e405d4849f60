// Fuzzes the load generator's target parsing (loadgen/target_url.cpp): the --target spec
// [NAME=]URL[@RATE] and the URL inside it. This is the loopback-only guard, so the main invariant
// is that nothing accepted points off the machine.
//
// Invariants: an accepted target is loopback with a non-zero port, its URL rebuilt from the parsed
// Host header and path parses to the same address, and a rejection says why.
#include <string>

#include "fuzz_target.hpp"
#include "loadgen/target_url.hpp"

namespace {

using namespace latencylab;
using latencylab::fuzz::require;

void check_address(const loadgen::TargetAddress& address) {
  require(loadgen::is_loopback(address.endpoint.address()), "an accepted target is loopback");
  require(address.endpoint.port() != 0, "an accepted target has a port");
  require(address.path.empty() || address.path.starts_with('/'),
          "a path is empty or starts with /");
  const auto again = loadgen::parse_target_url("http://" + address.host_header + address.path);
  require(again.has_value(), "the URL rebuilt from an accepted target parses");
  require(again->endpoint == address.endpoint && again->host_header == address.host_header &&
              again->path == address.path,
          "the URL rebuilt from an accepted target parses to the same target");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = latencylab::fuzz::as_text(data, size);

  if (const auto address = loadgen::parse_target_url(text)) {
    check_address(*address);
  } else {
    require(!address.error().message.empty(), "a rejected URL says why");
  }

  if (const auto spec = loadgen::parse_target_spec(text)) {
    check_address(spec->address);
    require(!spec->name.empty(), "a target has a name");
    require(!spec->rate || *spec->rate > 0, "a target rate is positive");
  } else {
    require(!spec.error().message.empty(), "a rejected target spec says why");
  }
  return 0;
}
