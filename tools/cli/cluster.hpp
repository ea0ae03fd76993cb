// MPI ranks for `pkrisk sweep`, when built with Open MPI (PK_MPI) and started
// under mpirun; otherwise one process of size 1 and these calls do nothing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pk::cli {

struct Cluster {
  int rank = 0;
  int size = 1;
};

// Initialises MPI only when the program was started by an MPI launcher.
void cluster_init(int* argc, char*** argv);
void cluster_finalize();
const Cluster& cluster();

// Stops every rank (an error on one rank that the others cannot see).
[[noreturn]] void cluster_abort(const std::string& why);

// Rank 0 sends a list of units (or -1 for "stop") to every rank.
std::vector<int64_t> cluster_broadcast_units(const std::vector<int64_t>& units, bool ok);

// Non-zero ranks: send one finished unit's result to rank 0.
void cluster_send_result(int64_t unit, const std::string& data);

// Rank 0: receives one result if `block` or if one is waiting; false if none.
bool cluster_receive_result(bool block, int64_t& unit, std::string& data);

}  // namespace pk::cli
