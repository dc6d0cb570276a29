# agentsweep_warnings: an interface target every project target links to.
add_library(agentsweep_warnings INTERFACE)
target_compile_options(agentsweep_warnings INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion>
  $<$<AND:$<COMPILE_LANGUAGE:CXX>,$<BOOL:${AGENTSWEEP_WERROR}>>:-Werror>
  $<$<COMPILE_LANGUAGE:CUDA>:-Xcompiler=-Wall,-Wextra>
  $<$<AND:$<COMPILE_LANGUAGE:CUDA>,$<BOOL:${AGENTSWEEP_WERROR}>>:-Werror=all-warnings>)
