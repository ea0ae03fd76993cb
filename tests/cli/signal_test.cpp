// SIGINT and SIGTERM inside one long replication: the event loop reads the
// stop request every few thousand events, so `timeout` and Ctrl-C act within
// a moment even when a single replication takes many seconds; a second signal
// ends the process at once.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "support.hpp"

namespace {

// One replication of this scenario takes seconds (within the work limit).
const std::string kSlow = pk::test::source_path("tests/data/run/slow_replication.yaml");

// When the tests below signal the run: well inside its first replication.
constexpr std::chrono::milliseconds kSignalDelay{1000};

struct Stopped {
  int code = -1;
  double seconds_after_signal = 0;
  std::string err;
};

// Starts `pkrisk run kSlow`, sends `signals` (one after the other, `gap` apart)
// after `delay`, and waits for the end.
Stopped run_and_signal(int sig, int signals, std::chrono::milliseconds delay,
                       std::chrono::milliseconds gap) {
  const std::string err_path = pk::test::temp_path("signal.err");
  const pid_t pid = fork();
  if (pid == 0) {
    if (!freopen("/dev/null", "w", stdout) || !freopen(err_path.c_str(), "w", stderr)) _exit(126);
    execl(pk::test::kBinary.c_str(), pk::test::kBinary.c_str(), "run", kSlow.c_str(), "-n", "4",
          "-j1", "-q", static_cast<char*>(nullptr));
    _exit(127);
  }
  std::this_thread::sleep_for(delay);
  const auto signalled = std::chrono::steady_clock::now();
  for (int i = 0; i < signals; ++i) {
    if (i) std::this_thread::sleep_for(gap);
    kill(pid, sig);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  Stopped s;
  s.seconds_after_signal =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - signalled).count();
  s.code = pk::test::exit_code(status);
  s.err = pk::test::read_file(err_path);
  return s;
}

TEST(Signals, ASlowReplicationTakesSeconds) {
  // The premise of the tests below: without a signal, the run takes a while.
  const auto start = std::chrono::steady_clock::now();
  const auto r = pk::test::run_pkrisk("run " + kSlow + " -n 1 -j1 -q");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(r.code, 0) << r.err;
  // Half as long again as the signal delay, so a faster machine still signals
  // inside the replication.
  EXPECT_GT(seconds, 1.5 * std::chrono::duration<double>(kSignalDelay).count());
}

TEST(Signals, SigintStopsInsideTheReplication) {
  const Stopped s = run_and_signal(SIGINT, 1, kSignalDelay, std::chrono::milliseconds(0));
  EXPECT_EQ(s.code, 130) << s.err;
  EXPECT_LT(s.seconds_after_signal, 1.5) << s.err;
  EXPECT_NE(s.err.find("PARTIAL (0 of 4 replications)"), std::string::npos) << s.err;
}

TEST(Signals, SigtermStopsInsideTheReplication) {
  const Stopped s = run_and_signal(SIGTERM, 1, kSignalDelay, std::chrono::milliseconds(0));
  EXPECT_EQ(s.code, 143) << s.err;
  EXPECT_LT(s.seconds_after_signal, 1.5) << s.err;
}

// `timeout` sends its signal to the process and then to its process group:
// one request, delivered twice within microseconds. It must still print the
// partial result, not end at once as a second request would.
TEST(Signals, ARequestDeliveredTwiceAtOnceIsOneRequest) {
  const Stopped s = run_and_signal(SIGINT, 2, kSignalDelay, std::chrono::milliseconds(0));
  EXPECT_EQ(s.code, 130) << s.err;
  EXPECT_NE(s.err.find("PARTIAL"), std::string::npos) << s.err;
}

TEST(Signals, ASecondSignalEndsAtOnce) {
  const Stopped s = run_and_signal(SIGINT, 2, kSignalDelay, std::chrono::milliseconds(300));
  EXPECT_EQ(s.code, 130) << s.err;
  EXPECT_LT(s.seconds_after_signal, 1.5) << s.err;
}

}  // namespace
