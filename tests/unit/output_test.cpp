// Crash-safe output: a failed write leaves no partial file and says why.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "report/output.hpp"
#include "support.hpp"

namespace pk {
namespace {

// Writes through to the real file system, but fails on demand: a full disk
// midway through a write (leaving a partial temporary), or a failed rename.
class FailingFileSystem final : public FileSystem {
 public:
  bool fail_write = false;
  bool fail_rename = false;
  std::string write(const std::string& path, const std::string& bytes) override {
    if (fail_write) {
      std::ofstream(path) << bytes.substr(0, bytes.size() / 2);  // what a full disk leaves
      return "No space left on device";
    }
    return real_file_system().write(path, bytes);
  }
  std::string rename(const std::string& from, const std::string& to) override {
    if (fail_rename) return "Input/output error";
    return real_file_system().rename(from, to);
  }
  void remove(const std::string& path) override { real_file_system().remove(path); }
  std::string make_dirs(const std::string& path) override {
    return real_file_system().make_dirs(path);
  }
};

std::string read(const std::string& p) {
  return test::read_file(p);
}

size_t files_in(const std::string& dir) {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}

TEST(Output, AtomicWriteReplacesWholeFile) {
  const std::string dir = testing::TempDir() + "pk_output_ok";
  std::filesystem::remove_all(dir);
  ASSERT_EQ(real_file_system().make_dirs(dir + "/a/b"), "");
  const std::string path = dir + "/a/b/summary.json";
  EXPECT_EQ(write_file_atomic(path, "first"), "");
  EXPECT_EQ(write_file_atomic(path, "second"), "");
  EXPECT_EQ(read(path), "second");
  EXPECT_EQ(files_in(dir + "/a/b"), 1u);  // no temporary left
}

TEST(Output, FullDiskLeavesTheOldFileAndNoPartial) {
  const std::string dir = testing::TempDir() + "pk_output_full";
  std::filesystem::remove_all(dir);
  ASSERT_EQ(real_file_system().make_dirs(dir), "");
  const std::string path = dir + "/summary.json";
  ASSERT_EQ(write_file_atomic(path, "old result"), "");
  FailingFileSystem fs;
  fs.fail_write = true;
  const std::string err = write_file_atomic(path, std::string(10000, 'x'), fs);
  EXPECT_NE(err.find("summary.json"), std::string::npos) << err;
  EXPECT_NE(err.find("No space left"), std::string::npos) << err;
  EXPECT_EQ(read(path), "old result");
  EXPECT_EQ(files_in(dir), 1u);
}

TEST(Output, FailedRenameLeavesNoTemporary) {
  const std::string dir = testing::TempDir() + "pk_output_rename";
  std::filesystem::remove_all(dir);
  ASSERT_EQ(real_file_system().make_dirs(dir), "");
  FailingFileSystem fs;
  fs.fail_rename = true;
  EXPECT_NE(write_file_atomic(dir + "/x.json", "data", fs), "");
  EXPECT_EQ(files_in(dir), 0u);
}

// A link is followed, as a shell's redirection follows it; a named pipe (as a
// device, e.g. /dev/stdout) is written in place: a rename would replace it.
TEST(Output, ALinkIsFollowedAndAPipeIsWrittenInPlace) {
  const std::string dir = testing::TempDir() + "pk_output_special";
  std::filesystem::remove_all(dir);
  ASSERT_EQ(real_file_system().make_dirs(dir), "");
  ASSERT_EQ(write_file_atomic(dir + "/real.html", "old"), "");
  std::filesystem::create_symlink("real.html", dir + "/link.html");
  EXPECT_EQ(write_file_atomic(dir + "/link.html", "new"), "");
  EXPECT_TRUE(std::filesystem::is_symlink(dir + "/link.html"));
  EXPECT_EQ(read(dir + "/real.html"), "new");
  EXPECT_EQ(files_in(dir), 2u);  // no temporary left

  const std::string fifo = dir + "/pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // A reader first, so that opening the pipe for writing does not wait.
  const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(reader, 0);
  EXPECT_EQ(write_file_atomic(fifo, "through the pipe"), "");
  char buf[64] = {};
  const ssize_t n = ::read(reader, buf, sizeof buf);
  ::close(reader);
  EXPECT_EQ(std::string(buf, n > 0 ? static_cast<size_t>(n) : 0), "through the pipe");
  struct stat st {};
  ASSERT_EQ(::lstat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));  // still a pipe, not a file put in its place
}

TEST(Output, UnwritableDirectoryIsAClearError) {
  const std::string err = write_file_atomic("/nonexistent-dir/for/sure/summary.json", "x");
  EXPECT_NE(err.find("cannot write /nonexistent-dir/for/sure/summary.json"), std::string::npos)
      << err;
}

}  // namespace
}  // namespace pk
