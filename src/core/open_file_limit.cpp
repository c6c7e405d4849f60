#include "core/open_file_limit.hpp"

#include <sys/resource.h>

#include <algorithm>

namespace latencylab::core {

std::uint64_t raise_open_file_limit(std::uint64_t wanted) noexcept {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur >= wanted) return limit.rlim_cur;
  const rlim_t target = limit.rlim_max == RLIM_INFINITY ? static_cast<rlim_t>(wanted)
                                                        : std::min<rlim_t>(limit.rlim_max, wanted);
  const rlimit raised{target, limit.rlim_max};
  if (::setrlimit(RLIMIT_NOFILE, &raised) != 0) return limit.rlim_cur;
  return target;
}

}  // namespace latencylab::core
