# AGENTSWEEP_FUZZ=ON builds the libFuzzer targets in fuzz/ (scripts/fuzz does
# this). Every library is compiled with coverage feedback and sanitizers, not
# only the targets: the code under test is in the libraries.
option(AGENTSWEEP_FUZZ "Build the libFuzzer targets in fuzz/ (clang only; see scripts/fuzz)" OFF)
if(AGENTSWEEP_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "AGENTSWEEP_FUZZ=ON needs clang for libFuzzer: configure with "
                        "-DCMAKE_CXX_COMPILER=clang++-16 (scripts/fuzz does)")
  endif()
  add_compile_options("$<$<COMPILE_LANGUAGE:CXX>:-fsanitize=fuzzer-no-link,address,undefined>"
                      "$<$<COMPILE_LANGUAGE:CXX>:-fno-sanitize-recover=all;-fno-omit-frame-pointer>")
  add_link_options(-fsanitize=address,undefined)
endif()
