// default_config(): the documented defaults (docs/CONFIG.md; the bundled config/latencylab.json
// writes the same values out).
#include "config/config.hpp"

namespace latencylab::config {

Config default_config() {
  return Config{};
}

}  // namespace latencylab::config
