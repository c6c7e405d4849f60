# latencylab::sanitizers: applies LATENCYLAB_SANITIZERS to every project target that links it.
add_library(latencylab_sanitizers INTERFACE)
add_library(latencylab::sanitizers ALIAS latencylab_sanitizers)
if(LATENCYLAB_SANITIZERS)
  list(JOIN LATENCYLAB_SANITIZERS "," _latencylab_sanitize_list)
  target_compile_options(latencylab_sanitizers INTERFACE
    -fsanitize=${_latencylab_sanitize_list} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(latencylab_sanitizers INTERFACE -fsanitize=${_latencylab_sanitize_list})
  if("thread" IN_LIST LATENCYLAB_SANITIZERS AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 warns that TSan does not model atomic_thread_fence, which Asio uses; with -Werror
    # that warning would make the preset unusable.
    target_compile_options(latencylab_sanitizers INTERFACE -Wno-tsan)
  endif()
endif()
