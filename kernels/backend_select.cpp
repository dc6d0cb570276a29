/** @file
 * Backend selection, including the "no GPU, using CPU" fallback. With the CUDA
 * runtime linked statically the binary starts without a driver; the device
 * query then fails and auto falls back to the CPU.
 */
#include "kernels/backend_select.hpp"

#include <stdexcept>

#include "kernels/cpu/cpu_backend.hpp"
#if defined(AGENTSWEEP_HAVE_CUDA)
#include "kernels/cuda/cuda_backend.hpp"
#endif

namespace agentsweep::backends {

bool built_with_cuda() {
#if defined(AGENTSWEEP_HAVE_CUDA)
  return true;
#else
  return false;
#endif
}

SelectedBackend select_backend(BackendChoice choice, int cpu_threads,
                               [[maybe_unused]] std::size_t gpu_memory) {
  if (choice == BackendChoice::kCpu) return {make_cpu_backend(cpu_threads), ""};
#if defined(AGENTSWEEP_HAVE_CUDA)
  std::string why;
  const int devices = cuda_device_count(why);
  if (devices > 0) {
    SelectedBackend selected{make_cuda_backend(gpu_memory), ""};
    selected.note = "using the CUDA backend on " + selected.backend->description();
    return selected;
  }
  if (choice == BackendChoice::kCuda)
    throw std::runtime_error("--backend cuda: no usable GPU (" + why +
                             "); use --backend cpu or auto");
  SelectedBackend selected{make_cpu_backend(cpu_threads), ""};
  selected.note =
      "no GPU (" + why + "), using the CPU backend (" + selected.backend->description() + ")";
  return selected;
#else
  if (choice == BackendChoice::kCuda)
    throw std::runtime_error(
        "--backend cuda: this agentsweep was built without CUDA; rebuild with nvcc installed "
        "(-DAGENTSWEEP_CUDA=ON) or use --backend cpu");
  SelectedBackend selected{make_cpu_backend(cpu_threads), ""};
  selected.note =
      "built without CUDA, using the CPU backend (" + selected.backend->description() + ")";
  return selected;
#endif
}

}  // namespace agentsweep::backends
