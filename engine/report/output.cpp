#include "report/output.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace pk {

namespace {

class RealFileSystem final : public FileSystem {
 public:
  std::string write(const std::string& path, const std::string& bytes) override {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return std::strerror(errno);
    size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        const std::string why = std::strerror(errno);
        ::close(fd);
        return why;
      }
      done += static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0 && errno != EINVAL) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      return why;
    }
    if (::close(fd) != 0) return std::strerror(errno);
    return {};
  }
  std::string rename(const std::string& from, const std::string& to) override {
    return ::rename(from.c_str(), to.c_str()) == 0 ? std::string() : std::strerror(errno);
  }
  void remove(const std::string& path) override { ::unlink(path.c_str()); }
  std::string make_dirs(const std::string& path) override {
    std::string partial;
    size_t i = 0;
    while (i <= path.size()) {
      const size_t slash = path.find('/', i);
      const size_t end = slash == std::string::npos ? path.size() : slash;
      partial = path.substr(0, end);
      if (!partial.empty() && ::mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST)
        return partial + ": " + std::strerror(errno);
      if (slash == std::string::npos) break;
      i = slash + 1;
    }
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return path + ": not a directory";
    return {};
  }
};

}  // namespace

FileSystem& real_file_system() {
  static RealFileSystem fs;
  return fs;
}

std::string write_file_atomic(const std::string& path, const std::string& bytes, FileSystem& fs) {
  // A symbolic link is followed, as a shell's redirection follows it: the file
  // it names is replaced and the link stays a link.
  std::string target = path;
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
    char* real = ::realpath(path.c_str(), nullptr);
    if (!real) {
      return "cannot write " + path + ": a symbolic link that cannot be followed (" +
             std::strerror(errno) + ")";
    }
    target = real;
    std::free(real);
  }
  // A device or a named pipe (/dev/stdout, a FIFO a reader waits on) is
  // written in place: renaming a file over it would replace the device itself.
  if (::stat(target.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
    if (std::string why = fs.write(target, bytes); !why.empty())
      return "cannot write " + path + ": " + why;
    return {};
  }
  const std::string tmp = target + ".tmp." + std::to_string(::getpid());
  if (std::string why = fs.write(tmp, bytes); !why.empty()) {
    fs.remove(tmp);
    return "cannot write " + path + ": " + why;
  }
  if (std::string why = fs.rename(tmp, target); !why.empty()) {
    fs.remove(tmp);
    return "cannot write " + path + ": " + why;
  }
  return {};
}

namespace {

constexpr const char* kLockFile = "pkrisk.lock";
constexpr const char* kStoreFile = "results.sqlite";

// The names in `dir` (without . and ..), sorted; false when it cannot be listed.
bool list_dir(const std::string& dir, std::vector<std::string>& names) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return false;
  while (const dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  return true;
}

}  // namespace

OutputDirDecision decide_output_dir(const std::string& dir, const OutputDirRequest& request) {
  OutputDirDecision d;
  d.ok = true;
  struct stat st {};
  std::vector<std::string> names;
  // Absent, not a directory or unreadable: creating or writing it says what is wrong.
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || !list_dir(dir, names)) return d;
  names.erase(std::remove(names.begin(), names.end(), kLockFile), names.end());
  if (names.empty()) return d;
  const bool has_store = std::find(names.begin(), names.end(), kStoreFile) != names.end();
  if (request.resume && has_store) return d;
  if (request.force) {
    d.clear_previous = true;
    return d;
  }
  d.ok = false;
  std::string held;
  for (size_t i = 0; i < names.size() && i < 3; ++i) held += (i ? ", " : "") + names[i];
  if (names.size() > 3) held += " and " + std::to_string(names.size() - 3) + " more";
  if (request.resume) {
    d.error = dir + " holds no sweep results to resume (no " + kStoreFile + "; it holds " + held +
              "): add --force instead of --resume to write over it, or choose another directory";
    return d;
  }
  d.error =
      dir + " is not empty (it holds " + held + "): pkrisk does not write over it unless " +
      (has_store && request.can_resume ? "--resume (continue the sweep stored there) or " : "") +
      "--force (replace the previous result) is given; or choose another directory";
  return d;
}

const std::vector<std::string>& previous_result_files() {
  static const std::vector<std::string> kFiles = {
      kStoreFile,     "results.sqlite-wal", "results.sqlite-shm", "results.sqlite-journal",
      "summary.json", "decide.json",        "samples.csv"};
  return kFiles;
}

std::string clear_previous_result(const std::string& dir) {
  for (const std::string& name : previous_result_files()) {
    const std::string path = dir + "/" + name;
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    if (::unlink(path.c_str()) != 0) return "cannot remove " + path + ": " + std::strerror(errno);
  }
  return {};
}

}  // namespace pk
