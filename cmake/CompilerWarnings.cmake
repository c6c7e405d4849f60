# latencylab::warnings: the warning set every project target links (never third-party code).
add_library(latencylab_warnings INTERFACE)
add_library(latencylab::warnings ALIAS latencylab_warnings)
target_compile_options(latencylab_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Werror -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough
  # GCC 12 at -O2 reports a false "potential null pointer dereference" inside Asio's
  # any_io_executor comparison (io_context.hpp), i.e. in every release build that uses
  # steady_timer or co_spawn; Clang's frontend check has no such false positive.
  $<$<CXX_COMPILER_ID:Clang>:-Wnull-dereference>)
