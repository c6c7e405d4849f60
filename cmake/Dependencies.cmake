# Third-party packages, all from Debian 12 (scripts/setup.sh installs them).
find_package(Threads REQUIRED)
find_package(Boost 1.81.0 EXACT CONFIG REQUIRED COMPONENTS json program_options url)
find_package(gRPC CONFIG REQUIRED)

# Asio/Beast settings shared by every target that includes them.
add_library(latencylab_boost INTERFACE)
add_library(latencylab::boost ALIAS latencylab_boost)
target_link_libraries(latencylab_boost INTERFACE Boost::headers Boost::json Threads::Threads)
target_compile_definitions(latencylab_boost INTERFACE
  BOOST_ASIO_NO_DEPRECATED
  BOOST_ASIO_DISABLE_BOOST_COROUTINE
  # Debug builds: Boost's assertions go through src/core/boost_assertions.cpp, which filters one
  # false assertion of Beast 1.81 that a client could trigger (docs/FUZZING.md).
  BOOST_ENABLE_ASSERT_DEBUG_HANDLER)
target_link_libraries(latencylab_boost INTERFACE latencylab_boost_assertions)

if(LATENCYLAB_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(LATENCYLAB_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()
