#include "loadgen/open_file_limit.hpp"

#include <sys/resource.h>

#include <algorithm>

namespace latencylab::loadgen {

std::uint64_t raise_open_file_limit(std::uint64_t wanted) noexcept {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur >= wanted || limit.rlim_cur == RLIM_INFINITY) return limit.rlim_cur;
  // The hard limit can be RLIM_INFINITY; the kernel still caps at fs.nr_open.
  const rlim_t target = limit.rlim_max == RLIM_INFINITY ? static_cast<rlim_t>(wanted)
                                                        : std::min<rlim_t>(limit.rlim_max, wanted);
  rlimit raised{target, limit.rlim_max};
  if (::setrlimit(RLIMIT_NOFILE, &raised) != 0) return limit.rlim_cur;
  return target;
}

}  // namespace latencylab::loadgen
