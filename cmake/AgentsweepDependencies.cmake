# Every dependency comes from a Debian package installed by scripts/setup.
find_package(Threads REQUIRED)
find_package(zstd CONFIG REQUIRED)
find_package(ZLIB REQUIRED)  # gzip input
find_package(CLI11 CONFIG REQUIRED)
find_package(nlohmann_json CONFIG REQUIRED)
find_package(yaml-cpp CONFIG REQUIRED)  # Sigma rules (host/rules)
if(AGENTSWEEP_BUILD_TESTS)
  find_package(GTest REQUIRED)
  include(GoogleTest)
  # RE2 is the reference the regex engine is tested against, not a dependency of agentsweep.
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(re2 REQUIRED IMPORTED_TARGET re2)
endif()

# Thrust for the CPU backend: the CUDA toolkit's CCCL when installed (the same
# headers nvcc uses), else Debian's libthrust-dev.
find_path(AGENTSWEEP_THRUST_INCLUDE thrust/version.h
  HINTS /usr/local/cuda/include/cccl /usr/local/cuda/targets/x86_64-linux/include/cccl
  PATHS /usr/include NO_DEFAULT_PATH)
if(NOT AGENTSWEEP_THRUST_INCLUDE)
  message(FATAL_ERROR "Thrust headers not found: run scripts/setup (installs libthrust-dev)")
endif()
message(STATUS "agentsweep: Thrust headers in ${AGENTSWEEP_THRUST_INCLUDE}")
