# Use ccache when it is installed: rebuilds of Beast/Asio-heavy translation units dominate build time.
find_program(LATENCYLAB_CCACHE ccache)
if(LATENCYLAB_CCACHE)
  set(CMAKE_CXX_COMPILER_LAUNCHER "${LATENCYLAB_CCACHE}")
endif()
