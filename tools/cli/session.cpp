#include "session.hpp"

#include <algorithm>
#include <csignal>
#include <ctime>
#include <thread>

#include "commands.hpp"

namespace pk::cli {

namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};
Transport* g_transport = nullptr;

extern "C" void on_interrupt(int sig) {
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
  const size_t slash = text.find('/');
  if (slash == std::string::npos) return false;
  try {
    k = std::stoll(text.substr(0, slash));
    n = std::stoll(text.substr(slash + 1));
  } catch (...) {
    return false;
  }
  return n >= 1 && k >= 1 && k <= n && n <= 100000;
}

std::optional<LoadedScenario> load_on_every_rank(const std::string& file) {
  if (!g_transport || g_transport->rank() == 0) return load_or_report(file);
  Diagnostics quiet(file);
  auto loaded = load_scenario(file, quiet, include_policy());
  if (!loaded) g_transport->abort("the scenario does not load on this rank", kExitBadInput);
  return loaded;
}

}  // namespace pk::cli
