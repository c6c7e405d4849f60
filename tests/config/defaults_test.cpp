#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>

#include "config/config_loader.hpp"
#include "config_equality.hpp"
#include "core/json_writer.hpp"

namespace latencylab::config {
namespace {

std::string bundled_file_text() {
  std::ifstream in(LATENCYLAB_BUNDLED_CONFIG, std::ios::binary);
  EXPECT_TRUE(in) << LATENCYLAB_BUNDLED_CONFIG;
  std::string text(std::filesystem::file_size(LATENCYLAB_BUNDLED_CONFIG), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  return text;
}

TEST(BundledConfig, IsTheDefaultsListeningOnLoopback) {
  const Config loaded = load_config({.file = LATENCYLAB_BUNDLED_CONFIG});
  Config expected = default_config();
  expected.server.address = "127.0.0.1";
  EXPECT_TRUE(loaded == expected) << as_text(loaded);
}

TEST(BundledConfig, WritesOutEveryKey) {
  // Users tweak the bundled file: every knob must be in it, with the value in effect.
  const Config loaded = load_config({.file = LATENCYLAB_BUNDLED_CONFIG});
  // Compared as written out (whole numbers as integers, like the file), then parsed back.
  EXPECT_EQ(boost::json::parse(bundled_file_text()),
            boost::json::parse(core::json::serialize(to_json(loaded))));
}

}  // namespace
}  // namespace latencylab::config
