#include "console.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "commands.hpp"
#include "experiment/metrics.hpp"
#include "experiment/sweep.hpp"
#include "report/output.hpp"

namespace pk::cli {

int fail(int code, const std::string& message) {
  std::fprintf(stderr, "pkrisk: %s\n", message.c_str());
  return code;
}

void print_diagnostics(const Diagnostics& diags) {
  for (const auto& d : diags.all()) std::cerr << d.format() << "\n";
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

int write_or_fail(const std::string& path, const std::string& bytes) {
  if (std::string e = write_file_atomic(path, bytes); !e.empty()) return fail(kExitInternal, e);
  return kExitOk;
}

std::string host_name() {
  char h[256] = {0};
  gethostname(h, sizeof h - 1);
  return h;
}

int write_manifest(const std::string& dir, const nlohmann::json& m) {
  return write_or_fail(dir + "/manifest.json", m.dump(2) + "\n");
}

int finish_sweep(const LoadedScenario& ls, const SweepPlan& plan, ResultStore& store,
                 const std::string& out, const std::string& format, bool quiet) {
  nlohmann::json summary;
  std::string error;
  if (!sweep_summary(ls, plan, store, summary, error)) return fail(kExitInternal, error);
  if (int rc = write_or_fail(out + "/summary.json", summary.dump(2) + "\n"); rc) return rc;
  if (format == "json")
    std::cout << summary.dump(2) << "\n";
  else if (!quiet || format == "table")
    std::cout << sweep_table(summary);
  return kExitOk;
}

// Every replication's metrics would not fit: refused up front.
bool rows_fit(const LoadedScenario& ls, int64_t replications) {
  const double cells = static_cast<double>(replications) * static_cast<double>(ls.arms.size()) *
                       static_cast<double>(metric_names(ls.baseline()).size());
  constexpr double kMaxBytes = 4.0 * (1ull << 30);
  if (cells * 8 <= kMaxBytes) return true;
  std::fprintf(stderr,
               "pkrisk: --per-replication would keep %.0f values (%.1f GiB) in memory, more than "
               "the 4 GiB limit: ask for fewer replications or arms\n",
               cells, cells * 8 / (1ull << 30));
  return false;
}

std::string per_replication_csv(const RunResult& r) {
  std::string out = "replication,arm";
  for (const auto& m : r.metric_names) out += "," + m;
  out += "\n";
  const size_t width = r.metric_names.size();
  const size_t per_rep = width * r.arms.size();
  for (size_t i = 0; per_rep && i * per_rep < r.rows.size(); ++i)
    for (size_t a = 0; a < r.arms.size(); ++a) {
      out += std::to_string(i);
      out += ',';
      out += r.arms[a].name;
      for (size_t m = 0; m < width; ++m) {
        out += ',';
        out += std::to_string(r.rows[i * per_rep + a * width + m]);
      }
      out += "\n";
    }
  return out;
}

std::function<void(int64_t, int64_t)> replication_progress() {
  const bool tty = isatty(STDERR_FILENO) && std::getenv("CI") == nullptr;
  const auto start = std::chrono::steady_clock::now();
  auto last = std::make_shared<std::chrono::steady_clock::time_point>(start);
  return [tty, start, last](int64_t done, int64_t total) {
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - start).count();
    if (done < total && now - *last < std::chrono::milliseconds(tty ? 200 : 5000)) return;
    *last = now;
    const double eta = done > 0 ? elapsed * (total - done) / done : 0;
    if (tty) {
      const int width = 30;
      const int fill = static_cast<int>(width * done / std::max<int64_t>(1, total));
      std::fprintf(stderr, "\r[%.*s%*s] %lld/%lld replications, %.1fs, ETA %.1fs ", fill,
                   "##############################", width - fill, "", static_cast<long long>(done),
                   static_cast<long long>(total), elapsed, eta);
      if (done == total) std::fprintf(stderr, "\n");
    } else {
      std::fprintf(stderr, "pkrisk: %lld/%lld replications, %.1fs, ETA %.1fs\n",
                   static_cast<long long>(done), static_cast<long long>(total), elapsed, eta);
    }
  };
}

UnitProgress::UnitProgress(const ExecutionReport& survey, bool quiet)
    : survey_(survey), quiet_(quiet) {}

void UnitProgress::accept(const WorkUnit&, const RunResult&) {
  ++finished_;
  if (quiet_) return;
  const double secs = std::chrono::duration<double>(Clock::now() - start_).count();
  const int64_t todo = survey_.units - survey_.stored;
  std::fprintf(stderr, "pkrisk: unit %lld/%lld done (%.1fs, ETA %.1fs)\n",
               static_cast<long long>(survey_.stored + finished_),
               static_cast<long long>(survey_.units), secs,
               secs / static_cast<double>(finished_) * static_cast<double>(todo - finished_));
}

}  // namespace pk::cli
