# Decides whether the CUDA backend is built: AGENTSWEEP_CUDA=AUTO builds it when
# nvcc is found, ON requires it, OFF skips it.
set(AGENTSWEEP_HAVE_CUDA OFF)
if(NOT AGENTSWEEP_CUDA STREQUAL "OFF")
  if(NOT CMAKE_CUDA_COMPILER AND EXISTS /usr/local/cuda/bin/nvcc)
    set(CMAKE_CUDA_COMPILER /usr/local/cuda/bin/nvcc)
  endif()
  include(CheckLanguage)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    # Current cloud GPUs: A100 (80), L4/L40 (89), H100/H200 (90), plus PTX for newer.
    if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
      set(CMAKE_CUDA_ARCHITECTURES 80-real 89-real 90)
    endif()
    enable_language(CUDA)
    set(CMAKE_CUDA_STANDARD 17)  # CMake 3.25 cannot pass C++20 to nvcc; device code needs only 17
    set(CMAKE_CUDA_STANDARD_REQUIRED ON)
    find_package(CUDAToolkit REQUIRED)
    set(AGENTSWEEP_HAVE_CUDA ON)
  elseif(AGENTSWEEP_CUDA STREQUAL "ON")
    message(FATAL_ERROR "AGENTSWEEP_CUDA=ON but no CUDA compiler was found; install the CUDA toolkit or use -DAGENTSWEEP_CUDA=AUTO")
  endif()
endif()
message(STATUS "agentsweep: CUDA backend ${AGENTSWEEP_HAVE_CUDA} (architectures: ${CMAKE_CUDA_ARCHITECTURES})")
