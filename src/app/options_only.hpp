// Command lines of subcommands that take options only (serve, healthcheck): Boost.Program_options
// drops positional arguments without a word, so a mistyped `serve config.json` would run with the
// defaults. The positionals are collected instead and the first one handed back to be refused.
//
//   po::variables_map values;
//   const std::optional<std::string> stray = store_options_only(argc, argv, options, values);
//   if (stray) { /* "unexpected argument '" + *stray + "'" */ }
#pragma once

#include <boost/program_options.hpp>
#include <optional>
#include <string>

namespace latencylab::app {

// po::store and po::notify of `options` (throws po::error as they do); the first positional
// argument, if any.
std::optional<std::string> store_options_only(
    int argc, char** argv, const boost::program_options::options_description& options,
    boost::program_options::variables_map& values);

}  // namespace latencylab::app
