# Build-wide options and language settings; the presets in CMakePresets.json set these.
option(LATENCYLAB_BUILD_TESTS "Build the GoogleTest suites" ON)
option(LATENCYLAB_BUILD_BENCHMARKS "Build the Google Benchmark programs" ON)
set(LATENCYLAB_SANITIZERS "" CACHE STRING "Sanitizers to enable: empty, 'address;undefined' or 'thread'")

set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)
if(NOT CMAKE_BUILD_TYPE)
  set(CMAKE_BUILD_TYPE RelWithDebInfo)
endif()
