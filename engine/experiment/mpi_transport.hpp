// MPI ranks for the executor, when built with Open MPI (PK_MPI, which defines
// PK_HAVE_MPI) and started under a launcher such as mpirun. Otherwise the
// session is a single process and transport() is null.
#pragma once

#include <memory>

#include "experiment/transport.hpp"

namespace pk {

// Initialises MPI for the life of the program (only under a launcher: a plain
// run must not pay for MPI start-up) and finalises it on destruction.
class MpiSession {
 public:
  MpiSession(int* argc, char*** argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  // The ranks of this job, or null when there is only this process.
  Transport* transport();

 private:
  std::unique_ptr<Transport> transport_;
};

}  // namespace pk
