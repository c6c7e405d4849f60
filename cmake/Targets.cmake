# latencylab_add_library(<name> SOURCES <files...> DEPS <targets...>)
# A layer library: namespaced alias latencylab::<name>, includes rooted at src/.
function(latencylab_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(latencylab_${name} STATIC ${ARG_SOURCES})
  add_library(latencylab::${name} ALIAS latencylab_${name})
  target_include_directories(latencylab_${name} PUBLIC "${PROJECT_SOURCE_DIR}/src")
  target_link_libraries(latencylab_${name} PUBLIC ${ARG_DEPS} latencylab::sanitizers
                                           PRIVATE latencylab::warnings)
endfunction()
