# latencylab::warnings: the warning set every project target links (never third-party code).
add_library(latencylab_warnings INTERFACE)
add_library(latencylab::warnings ALIAS latencylab_warnings)
target_compile_options(latencylab_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Werror -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough)
