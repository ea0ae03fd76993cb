#include "cluster.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <list>

#ifdef PK_HAVE_MPI
#include <mpi.h>
#endif

namespace pk::cli {

namespace {
Cluster g_cluster;
bool g_mpi = false;
constexpr int kResultTag = 17;
#ifdef PK_HAVE_MPI
// Results on their way to rank 0: the buffer must outlive its send.
struct PendingSend {
  std::string msg;
  MPI_Request request = MPI_REQUEST_NULL;
};
std::list<PendingSend> g_pending;

// Drops the sends that have completed; with `wait`, waits for all of them.
void reap_sends(bool wait) {
  for (auto it = g_pending.begin(); it != g_pending.end();) {
    int done = 0;
    if (wait) {
      MPI_Wait(&it->request, MPI_STATUS_IGNORE);
      done = 1;
    } else {
      MPI_Test(&it->request, &done, MPI_STATUS_IGNORE);
    }
    it = done ? g_pending.erase(it) : std::next(it);
  }
}
#endif
}  // namespace

const Cluster& cluster() {
  return g_cluster;
}

void cluster_init(int* argc, char*** argv) {
#ifdef PK_HAVE_MPI
  // Only under a launcher: a plain `pkrisk` run must not pay for MPI start-up.
  if (!std::getenv("OMPI_COMM_WORLD_SIZE") && !std::getenv("PMI_SIZE") && !std::getenv("PMIX_RANK"))
    return;
  MPI_Init(argc, argv);
  g_mpi = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &g_cluster.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &g_cluster.size);
#else
  (void)argc;
  (void)argv;
#endif
}

void cluster_abort(const std::string& why) {
  std::fprintf(stderr, "pkrisk: rank %d: %s\n", g_cluster.rank, why.c_str());
#ifdef PK_HAVE_MPI
  if (g_mpi) MPI_Abort(MPI_COMM_WORLD, 3);
#endif
  std::exit(3);
}

void cluster_finalize() {
#ifdef PK_HAVE_MPI
  if (g_mpi) {
    reap_sends(true);
    MPI_Finalize();
  }
#endif
}

std::vector<int64_t> cluster_broadcast_units(const std::vector<int64_t>& units, bool ok) {
#ifdef PK_HAVE_MPI
  if (g_mpi && g_cluster.size > 1) {
    long long n = ok ? static_cast<long long>(units.size()) : -1;
    MPI_Bcast(&n, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
    if (n < 0) return {-1};
    std::vector<long long> buf(units.begin(), units.end());
    buf.resize(static_cast<size_t>(n));
    if (n > 0) MPI_Bcast(buf.data(), static_cast<int>(n), MPI_LONG_LONG, 0, MPI_COMM_WORLD);
    return std::vector<int64_t>(buf.begin(), buf.end());
  }
#endif
  if (!ok) return {-1};
  return units;
}

void cluster_send_result(int64_t unit, const std::string& data) {
#ifdef PK_HAVE_MPI
  // Non-blocking: a blocking send of a large result waits until rank 0 posts
  // its receive, which it does only between its own units, so this rank
  // would sit idle for up to a whole unit after each of its own.
  PendingSend& p = g_pending.emplace_back();
  p.msg.assign(sizeof(int64_t), '\0');
  std::memcpy(p.msg.data(), &unit, sizeof unit);
  p.msg += data;
  MPI_Isend(p.msg.data(), static_cast<int>(p.msg.size()), MPI_CHAR, 0, kResultTag, MPI_COMM_WORLD,
            &p.request);
  reap_sends(false);
#else
  (void)unit;
  (void)data;
#endif
}

bool cluster_receive_result(bool block, int64_t& unit, std::string& data) {
#ifdef PK_HAVE_MPI
  MPI_Status status;
  int flag = 0;
  if (block) {
    MPI_Probe(MPI_ANY_SOURCE, kResultTag, MPI_COMM_WORLD, &status);
    flag = 1;
  } else {
    MPI_Iprobe(MPI_ANY_SOURCE, kResultTag, MPI_COMM_WORLD, &flag, &status);
  }
  if (!flag) return false;
  int count = 0;
  MPI_Get_count(&status, MPI_CHAR, &count);
  std::string msg(static_cast<size_t>(count), '\0');
  MPI_Recv(msg.data(), count, MPI_CHAR, status.MPI_SOURCE, kResultTag, MPI_COMM_WORLD,
           MPI_STATUS_IGNORE);
  std::memcpy(&unit, msg.data(), sizeof unit);
  data = msg.substr(sizeof unit);
  return true;
#else
  (void)block;
  (void)unit;
  (void)data;
  return false;
#endif
}

}  // namespace pk::cli
