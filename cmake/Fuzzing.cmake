# Fuzz targets (fuzz/): libFuzzer binaries with LATENCYLAB_BUILD_FUZZERS (Clang only, the `fuzz`
# preset), and in every test build each target's seed corpus replayed as a `unit` test, so the
# ordinary sanitizer run exercises the fuzz entry points with the seeds and crash reproducers.
option(LATENCYLAB_BUILD_FUZZERS "Build the libFuzzer targets in fuzz/ (Clang only)" OFF)

if(LATENCYLAB_BUILD_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "LATENCYLAB_BUILD_FUZZERS needs Clang (libFuzzer); use the `fuzz` preset")
  endif()
  # Coverage feedback for our libraries too, not only the fuzz target's own file; the libFuzzer
  # runtime (and its main) is linked into the fuzzer executables only.
  target_compile_options(latencylab_sanitizers INTERFACE -fsanitize=fuzzer-no-link)
endif()

# latencylab_add_fuzz_target(<name> SOURCES <files...> LIBS <targets...>)
# <name>_fuzzer (libFuzzer) when fuzzers are built, <name>_corpus_test replaying
# fuzz/corpus/<name>/ when tests are built.
function(latencylab_add_fuzz_target name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  set(corpus_dir "${PROJECT_SOURCE_DIR}/fuzz/corpus/${name}")
  if(LATENCYLAB_BUILD_FUZZERS)
    add_executable(${name}_fuzzer ${ARG_SOURCES})
    target_link_libraries(${name}_fuzzer PRIVATE ${ARG_LIBS} latencylab::warnings
                                                 latencylab::sanitizers)
    target_link_options(${name}_fuzzer PRIVATE -fsanitize=fuzzer)
  endif()
  if(LATENCYLAB_BUILD_TESTS)
    latencylab_add_test(${name}_corpus_test LABEL unit
      SOURCES ${ARG_SOURCES} "${PROJECT_SOURCE_DIR}/fuzz/corpus_replay_test.cpp"
      LIBS ${ARG_LIBS})
    target_compile_definitions(${name}_corpus_test PRIVATE
      LATENCYLAB_FUZZ_CORPUS_DIR="${corpus_dir}")
  endif()
endfunction()
