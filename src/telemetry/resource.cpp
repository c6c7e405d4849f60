#include "telemetry/resource.hpp"

#include <unistd.h>

#include <array>
#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>
#include <climits>
#include <map>

#include "telemetry/attributes.hpp"

namespace latencylab::telemetry {

ProcessIdentity current_process_identity() {
  ProcessIdentity identity;
  std::array<char, HOST_NAME_MAX + 1> host{};
  if (::gethostname(host.data(), host.size() - 1) == 0) identity.host_name = host.data();
  identity.pid = static_cast<std::int64_t>(::getpid());
  identity.instance_id = boost::uuids::to_string(boost::uuids::random_generator()());
  return identity;
}

AttributeList make_resource(const SdkSettings& settings, const ProcessIdentity& identity,
                            std::string_view service_version,
                            std::string_view default_service_name) {
  // A map keyed by attribute name: each layer overwrites the previous one.
  std::map<std::string, AttributeValue, std::less<>> merged;
  merged["service.name"] = std::string(default_service_name);
  merged["service.version"] = std::string(service_version);
  merged["service.instance.id"] = identity.instance_id;
  if (!identity.host_name.empty()) merged["host.name"] = identity.host_name;
  merged["process.pid"] = identity.pid;
  for (const auto& attribute : settings.resource_attributes) {
    merged[attribute.key] = attribute.value;
  }
  if (settings.service_name) merged["service.name"] = *settings.service_name;
  merged["telemetry.sdk.name"] = std::string("latencylab");
  merged["telemetry.sdk.language"] = std::string("cpp");
  merged["telemetry.sdk.version"] = std::string(sdk_version());

  AttributeList resource;
  resource.reserve(merged.size());
  for (auto& [key, value] : merged) resource.push_back(Attribute{key, std::move(value)});
  return resource;  // std::map iteration order is already sorted by key
}

}  // namespace latencylab::telemetry
