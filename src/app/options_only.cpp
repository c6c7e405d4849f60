#include "app/options_only.hpp"

#include <vector>

namespace latencylab::app {
namespace po = boost::program_options;

std::optional<std::string> store_options_only(int argc, char** argv,
                                              const po::options_description& options,
                                              po::variables_map& values) {
  constexpr const char* kPositional = "positional-argument";
  po::options_description positional_option;
  positional_option.add_options()(kPositional, po::value<std::vector<std::string>>());
  po::options_description known;
  known.add(options).add(positional_option);
  po::positional_options_description positional;
  positional.add(kPositional, -1);
  po::store(po::command_line_parser(argc, argv).options(known).positional(positional).run(),
            values);
  po::notify(values);
  if (values.count(kPositional) == 0) return std::nullopt;
  return values[kPositional].as<std::vector<std::string>>().front();
}

}  // namespace latencylab::app
