# latencylab_add_test(<name> LABEL <unit|integration|e2e> SOURCES <files...> LIBS <targets...>)
# One GoogleTest executable registered with ctest under a label, so `ctest -L unit` etc. work.
function(latencylab_add_test name)
  cmake_parse_arguments(ARG "" "LABEL;TIMEOUT" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gmock GTest::gtest_main
                                        latencylab::warnings latencylab::sanitizers)
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  add_test(NAME ${name} COMMAND ${name})
  # Third-party leaks only (tests/lsan.supp); harmless when LeakSanitizer is not built in.
  set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABEL}" TIMEOUT ${ARG_TIMEOUT}
    ENVIRONMENT "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/lsan.supp")
endfunction()
