// The MPI transport (compiled only when MPI is found, see engine/CMakeLists.txt).
#include "experiment/mpi_transport.hpp"

#include <mpi.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <list>

namespace pk {

namespace {

constexpr int kResultTag = 17;

class MpiTransport final : public Transport {
 public:
  MpiTransport() {
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
  ~MpiTransport() override { reap_sends(true); }

  int rank() const override { return rank_; }
  int size() const override { return size_; }

  std::optional<std::vector<int64_t>> broadcast_units(
      const std::optional<std::vector<int64_t>>& units) override {
    long long n = units ? static_cast<long long>(units->size()) : -1;
    MPI_Bcast(&n, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
    if (n < 0) return std::nullopt;
    std::vector<long long> buf;
    if (units) buf.assign(units->begin(), units->end());
    buf.resize(static_cast<size_t>(n));
    if (n > 0) MPI_Bcast(buf.data(), static_cast<int>(n), MPI_LONG_LONG, 0, MPI_COMM_WORLD);
    return std::vector<int64_t>(buf.begin(), buf.end());
  }

  void send_result(int64_t unit, const std::string& data) override {
    // Non-blocking: a blocking send of a large result waits until rank 0 posts
    // its receive, which it does only between its own units, so this rank
    // would sit idle for up to a whole unit after each of its own.
    PendingSend& p = pending_.emplace_back();
    p.msg.assign(sizeof(int64_t), '\0');
    std::memcpy(p.msg.data(), &unit, sizeof unit);
    p.msg += data;
    MPI_Isend(p.msg.data(), static_cast<int>(p.msg.size()), MPI_CHAR, 0, kResultTag, MPI_COMM_WORLD,
              &p.request);
    reap_sends(false);
  }

  bool receive_result(bool wait, int64_t& unit, std::string& data) override {
    MPI_Status status;
    int flag = 0;
    if (wait) {
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
  }

  [[noreturn]] void abort(const std::string& why, int code) override {
    std::fprintf(stderr, "pkrisk: rank %d: %s\n", rank_, why.c_str());
    MPI_Abort(MPI_COMM_WORLD, code);
    std::exit(code);
  }

 private:
  // Results on their way to rank 0: the buffer must outlive its send.
  struct PendingSend {
    std::string msg;
    MPI_Request request = MPI_REQUEST_NULL;
  };

  // Drops the sends that have completed; with `wait`, waits for all of them.
  void reap_sends(bool wait) {
    for (auto it = pending_.begin(); it != pending_.end();) {
      int done = 0;
      if (wait) {
        MPI_Wait(&it->request, MPI_STATUS_IGNORE);
        done = 1;
      } else {
        MPI_Test(&it->request, &done, MPI_STATUS_IGNORE);
      }
      it = done ? pending_.erase(it) : std::next(it);
    }
  }

  int rank_ = 0;
  int size_ = 1;
  std::list<PendingSend> pending_;
};

}  // namespace

MpiSession::MpiSession(int* argc, char*** argv) {
  if (!std::getenv("OMPI_COMM_WORLD_SIZE") && !std::getenv("PMI_SIZE") && !std::getenv("PMIX_RANK"))
    return;
  MPI_Init(argc, argv);
  transport_ = std::make_unique<MpiTransport>();
}

MpiSession::~MpiSession() {
  if (!transport_) return;
  transport_.reset();  // waits for the sends still in flight
  MPI_Finalize();
}

Transport* MpiSession::transport() {
  return transport_ && transport_->size() > 1 ? transport_.get() : nullptr;
}

}  // namespace pk
