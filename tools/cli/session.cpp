#include "session.hpp"

#include <unistd.h>

#include <time.h>
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <thread>

#include "commands.hpp"
#include "experiment/adversary.hpp"

namespace pk::cli {

namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};
Transport* g_transport = nullptr;

std::atomic<int64_t> g_first_ns{0};  // when the first signal came (monotonic)

// One request can arrive twice: `timeout` signals the process and then its
// process group, within microseconds. A repeat closer than this is the same
// request; a person pressing Ctrl-C again takes longer.
constexpr int64_t kRepeatNs = 200'000'000;

int64_t monotonic_ns() {
  timespec t{};
  ::clock_gettime(CLOCK_MONOTONIC, &t);  // async-signal-safe
  return static_cast<int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

// The first signal asks the command to stop cleanly (the work in hand is
// abandoned at the next check, what is finished is written); a second one,
// for a user who will not wait, ends the process at once. _exit is safe in
// a signal handler; exit() is not.
extern "C" void on_interrupt(int sig) {
  const int64_t now = monotonic_ns();
  if (g_stop.load()) {
    if (now - g_first_ns.load() < kRepeatNs) return;  // the same request, delivered twice
    ::_exit(128 + sig);
  }
  g_first_ns.store(now);
  g_signal.store(sig);
  g_stop.store(true);
}

}  // namespace

std::atomic<bool>& stop_requested() {
  return g_stop;
}

void catch_interrupts() {
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
}

void release_interrupts() {
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

int interrupted_exit_code() {
  return g_signal.load() == SIGTERM ? 143 : 130;
}

std::string utc_now() {
  char buf[32];
  const std::time_t t = std::time(nullptr);
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

Transport* transport() {
  return g_transport;
}

void set_transport(Transport* t) {
  g_transport = t;
}

int default_threads(int ranks) {
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / std::max(1, ranks));
}

bool parse_shard(const std::string& text, int64_t& k, int64_t& n) {
  // Exactly digits '/' digits: std::stoll would skip blanks and stop at junk,
  // reading "1 /2x" as 1/2.
  auto whole = [](const std::string& t, int64_t& out) {
    if (t.empty() || t.size() > 6) return false;
    out = 0;
    for (char c : t) {
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
    }
    return true;
  };
  const size_t slash = text.find('/');
  if (slash == std::string::npos) return false;
  if (!whole(text.substr(0, slash), k) || !whole(text.substr(slash + 1), n)) return false;
  return n >= 1 && k >= 1 && k <= n && n <= 100000;
}

std::optional<LoadedScenario> load_on_every_rank(const std::string& file) {
  if (!g_transport || g_transport->rank() == 0) return load_or_report(file);
  Diagnostics quiet(file);
  // Quietly: rank 0 reports, and the command's ReleaseRanks settles the exit.
  return load_scenario(file, quiet, include_policy());
}

void note_static_adversary(const LoadedScenario& ls, const char* command) {
  if (!ls.baseline().adversary || (g_transport && g_transport->rank() != 0)) return;
  std::fprintf(stderr,
               "pkrisk: note: %s compares the arms against a static adversary; the adversary "
               "block's adaptive twins are made by run, sweep and decide (docs/model.md §2.9)\n",
               command);
}

void add_adaptive_twins(LoadedScenario& ls, uint64_t seed, int threads, bool quiet) {
  const std::optional<Adversary>& adv = ls.baseline().adversary;
  if (!adv || ls.arms.size() < 2) return;
  if (!quiet && (!g_transport || g_transport->rank() == 0))
    std::fprintf(stderr,
                 "pkrisk: the adversary's answer to each arm: a pilot of %lld replications\n",
                 static_cast<long long>(adv->pilot_replications));
  add_adaptive_arms(ls, seed, threads);
}

CLI::Validator whole_number(int64_t max, int64_t min) {
  return CLI::Validator(
      [max, min](std::string& text) -> std::string {
        const std::string why = "must be a whole number from " + std::to_string(min) + " to " +
                                std::to_string(max) + ", got '" + text + "'";
        if (text.empty() || text.size() > 19) return why;
        int64_t v = 0;
        for (char c : text) {
          if (c < '0' || c > '9') return why;
          v = v * 10 + (c - '0');
        }
        return v >= min && v <= max ? std::string() : why;
      },
      "WHOLE");
}

}  // namespace pk::cli
