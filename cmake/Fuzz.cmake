# PINLINK_FUZZ=ON (clang only): the libFuzzer build. Every target in the build gets coverage
# instrumentation plus ASan and UBSan, so the fuzz targets in fuzz/ see into the libraries they
# call; the fuzz targets themselves add libFuzzer's main (see fuzz/CMakeLists.txt).
if(PINLINK_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "PINLINK_FUZZ needs clang: configure with CC=clang CXX=clang++")
  endif()
  if(PINLINK_SANITIZE)
    message(FATAL_ERROR "PINLINK_FUZZ brings its own sanitizers: leave PINLINK_SANITIZE empty")
  endif()
  message(STATUS "pinlink: libFuzzer build (fuzzer-no-link,address,undefined)")
  # No recovery: a UBSan report must stop the run, or libFuzzer would not count it as a crash.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
