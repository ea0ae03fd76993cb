// Built instead of mpi_transport.cpp when MPI is not found: one process.
#include "experiment/mpi_transport.hpp"

namespace pk {

MpiSession::MpiSession(int*, char***) {}
MpiSession::~MpiSession() = default;

Transport* MpiSession::transport() {
  return nullptr;
}

}  // namespace pk
