#include "console.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "commands.hpp"
#include "experiment/metrics.hpp"
#include "experiment/sweep.hpp"
#include "report/output.hpp"
#include "session.hpp"
#include "util/csv.hpp"
#include "util/input_file.hpp"
#include "util/text.hpp"

namespace pk::cli {

int fail(int code, const std::string& message) {
  // Messages may quote what a file holds (names, stored metadata).
  std::fprintf(stderr, "pkrisk: %s\n", printable(message).c_str());
  return code;
}

void print_diagnostics(const Diagnostics& diags) {
  for (const auto& d : diags.all()) std::cerr << d.format() << "\n";
}

bool read_file(const std::string& path, std::string& out) {
  return static_cast<bool>(read_input_file(path, out));
}

int write_or_fail(const std::string& path, const std::string& bytes) {
  if (std::string e = write_file_atomic(path, bytes); !e.empty())
    return fail(kExitIo, e + " (check the free space and permissions of its folder, or choose " +
                             "another path)");
  return kExitOk;
}

int make_dirs_or_fail(const std::string& dir) {
  if (std::string e = real_file_system().make_dirs(dir); !e.empty())
    return fail(kExitIo, "cannot create the output directory " + e +
                             " (check the path and its permissions, or choose another)");
  return kExitOk;
}

namespace {

const char* const kLockName = "/pkrisk.lock";

std::string in_use(const std::string& dir, long pid) {
  return dir + " is in use by another pkrisk (PID " + std::to_string(pid) +
         "): wait for it to finish, or choose another directory";
}

long pid_in(int fd) {
  char buf[32] = {0};
  const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  return n > 0 ? std::strtol(buf, nullptr, 10) : 0;
}

}  // namespace

int lock_results_dir(const std::string& dir) {
  const std::string path = dir + kLockName;
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0)
    return fail(kExitIo, "cannot create the lock file " + path + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    const long pid = pid_in(fd);
    ::close(fd);
    if (err == EWOULDBLOCK) return fail(kExitBadInput, in_use(dir, pid));
    return fail(kExitIo, "cannot lock " + path + ": " + std::strerror(err));
  }
  const std::string me = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, me.data(), me.size(), 0) < 0)
    return fail(kExitIo, "cannot write the lock file " + path + ": " + std::strerror(errno));
  return kExitOk;  // the descriptor stays open: the lock lasts until this process ends
}

bool results_dir_in_use(const std::string& dir, long& pid) {
  pid = 0;
  const int fd = ::open((dir + kLockName).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return false;
  const bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  if (held) pid = pid_in(fd);
  ::close(fd);
  return held;
}

int prepare_output_dir(const std::string& dir, const OutputDirRequest& request) {
  if (long pid = 0; results_dir_in_use(dir, pid)) return fail(kExitBadInput, in_use(dir, pid));
  const OutputDirDecision d = decide_output_dir(dir, request);
  if (!d.ok) return fail(kExitBadInput, d.error);
  if (int rc = make_dirs_or_fail(dir); rc) return rc;
  if (int rc = lock_results_dir(dir); rc) return rc;
  if (d.clear_previous)
    if (std::string e = clear_previous_result(dir); !e.empty()) return fail(kExitIo, e);
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
                 const std::string& out, const std::string& format, bool quiet,
                 const nlohmann::json& manifest) {
  nlohmann::json summary;
  std::string error;
  bool io_failure = false;
  if (!sweep_summary(ls, plan, store, summary, error, &io_failure))
    return fail(io_failure ? kExitIo : kExitBadInput, out + ": " + error);
  if (int rc = write_or_fail(out + "/summary.json", summary.dump(2) + "\n"); rc) return rc;
  nlohmann::json m = manifest;
  if (summary.contains("inert_edges")) m["inert_edges"] = summary["inert_edges"];  // merge too
  if (int rc = write_manifest(out, m); rc) return rc;
  if (format == "json")
    std::cout << summary.dump(2) << "\n";
  else if (!quiet || format == "table")
    std::cout << sweep_table(summary);
  return kExitOk;
}

std::optional<LoadedScenario> load_stored_scenario(std::map<std::string, std::string>& meta,
                                                   Diagnostics& diags, std::string& error) {
  auto loaded = load_scenario_text(meta["scenario_text"], diags, include_policy());
  if (!loaded) {
    for (const auto& d : diags.all()) std::cerr << d.format() << "\n";
    return error = "no longer loads", std::nullopt;
  }
  loaded->file = meta["scenario_file"];
  if (loaded->sha256 != meta["scenario_sha256"])
    return error = "does not match its hash", std::nullopt;
  return loaded;
}

int open_results_dir(const std::string& out, bool force, bool resume, const StoreOpener& open,
                     std::unique_ptr<ResultStore>& store) {
  if (int rc = prepare_output_dir(out, {.force = force, .resume = resume, .can_resume = true}))
    return rc;
  std::string error;
  bool bad_input = false;
  store = open(error, bad_input);
  return store ? 0 : fail(bad_input ? kExitBadInput : kExitIo, error);
}

ExecutionPolicy stored_policy(int64_t shard_k, int64_t shard_n, Transport* net) {
  ExecutionPolicy policy;
  policy.shard_k = shard_k;
  policy.shard_n = shard_n;
  policy.transport = net;
  policy.stop = &stop_requested();
  return policy;
}

std::optional<int> run_stored(const StoredRun& run, nlohmann::json& manifest,
                              const ExecutionReport& survey,
                              const std::function<ExecutionReport(Sink&)>& execute) {
  const bool root = !run.net || run.net->rank() == 0;
  manifest["command"] = command_line();
  manifest["started"] = utc_now();
  manifest["host"] = host_name();
  manifest["status"] = "running";
  manifest["units"] = survey.units;
  manifest["units_done"] = survey.stored;
  if (root)
    if (int rc = write_manifest(run.out, manifest); rc) return rc;
  manifest["ranks"] = run.net ? run.net->size() : 1;
  UnitProgress progress(survey, run.quiet);
  catch_interrupts();
  const auto start = std::chrono::steady_clock::now();
  const ExecutionReport done = execute(progress);
  release_interrupts();
  if (done.cancelled) return kExitBadInput;
  if (!root) return kExitOk;
  manifest["finished"] = utc_now();
  manifest["seconds"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  manifest["units_done"] = done.stored + done.finished;
  const auto units_done = static_cast<long long>(done.stored + done.finished);
  if (done.stopped) {
    manifest["status"] = "interrupted";
    if (int rc = write_manifest(run.out, manifest); rc) return rc;
    std::fprintf(stderr, "pkrisk: interrupted after %lld of %lld %s; continue with --resume\n",
                 units_done, static_cast<long long>(done.units), run.units_name);
    return interrupted_exit_code();
  }
  manifest["status"] = "complete";
  if (run.shard_n > 1) {
    if (int rc = write_manifest(run.out, manifest); rc) return rc;
    if (!run.quiet)
      std::fprintf(stderr,
                   "pkrisk: shard %s complete (%lld %s); join the shards with pkrisk merge\n",
                   manifest.value("shard", std::string()).c_str(),
                   static_cast<long long>(done.units), run.units_name);
    return kExitOk;
  }
  return std::nullopt;
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
  std::vector<std::string> cells = {"replication", "arm"};
  cells.insert(cells.end(), r.metric_names.begin(), r.metric_names.end());
  std::string out;
  csv_row(out, cells);
  const size_t width = r.metric_names.size();
  const size_t per_rep = width * r.arms.size();
  for (size_t i = 0; per_rep && i * per_rep < r.rows.size(); ++i)
    for (size_t a = 0; a < r.arms.size(); ++a) {
      cells = {std::to_string(i), r.arms[a].name};
      for (size_t m = 0; m < width; ++m)
        cells.push_back(std::to_string(r.rows[i * per_rep + a * width + m]));
      csv_row(out, cells);
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
  // Thousands of small units (decide's draws): a line every two seconds.
  if (finished_ > 1 && finished_ < todo && secs < last_ + 2) return;
  last_ = secs;
  std::fprintf(stderr, "pkrisk: unit %lld/%lld done (%.1fs, ETA %.1fs)\n",
               static_cast<long long>(survey_.stored + finished_),
               static_cast<long long>(survey_.units), secs,
               secs / static_cast<double>(finished_) * static_cast<double>(todo - finished_));
}

std::function<void(int64_t, double, double)> precision_progress(std::optional<double> target_ci,
                                                                std::optional<double> target_diff) {
  return [target_ci, target_diff](int64_t done, double worst, double worst_diff) {
    std::string line = "pkrisk: " + std::to_string(done) + " replications";
    char buf[160];
    if (target_ci) {
      std::snprintf(buf, sizeof buf, ", worst relative CI half-width %.4f (target %.4f)", worst,
                    *target_ci);
      line += buf;
    }
    if (target_diff) {
      std::snprintf(buf, sizeof buf,
                    ", worst CI half-width of lives saved per year %.4f (target %.4f)", worst_diff,
                    *target_diff);
      line += buf;
    }
    std::fprintf(stderr, "%s\n", line.c_str());
  };
}

}  // namespace pk::cli
