#include "report/output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
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
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  if (std::string why = fs.write(tmp, bytes); !why.empty()) {
    fs.remove(tmp);
    return "cannot write " + path + ": " + why;
  }
  if (std::string why = fs.rename(tmp, path); !why.empty()) {
    fs.remove(tmp);
    return "cannot write " + path + ": " + why;
  }
  return {};
}

}  // namespace pk
