// The one way pkrisk reads a file it is given (a scenario, a catalogue, a CSV
// of observations, a summary): only a regular file, never a device, a FIFO or a
// file of the /proc and /sys pseudo-file systems (which claim a size of 0 and
// may block or never end), opened without blocking and read up to a limit.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>

namespace pk {

// What went wrong reading a file: nothing, the file is not one pkrisk reads
// (bad input), or the system failed to read a file that is (I/O).
enum class ReadStatus { kOk, kRefused, kIoError };

struct ReadResult {
  ReadStatus status = ReadStatus::kOk;
  std::string error;  // what went wrong, without the file name
  explicit operator bool() const { return status == ReadStatus::kOk; }
};

// Reads the whole of `path` into `out`, at most `max_bytes`.
inline ReadResult read_input_file(const std::string& path, std::string& out,
                                  uint64_t max_bytes = 64u << 20) {
  const auto refused = [](std::string why) { return ReadResult{ReadStatus::kRefused, why}; };
  out.clear();
  // stat before open: opening a device or a FIFO can block or have side effects.
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return errno == EIO ? ReadResult{ReadStatus::kIoError, std::strerror(errno)}
                        : refused(std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return refused("is a directory, not a file");
  if (!S_ISREG(st.st_mode)) return refused("not a regular file (a device, FIFO or socket)");
  // Checked on the path too, so that /proc/kmsg and the like are not even opened.
  const auto pseudo = [](const struct statfs& fs) {
    constexpr long kProcMagic = 0x9fa0, kSysfsMagic = 0x62656572, kDebugfsMagic = 0x64626720;
    return fs.f_type == kProcMagic || fs.f_type == kSysfsMagic || fs.f_type == kDebugfsMagic;
  };
  const char* const kPseudo = "a file of the /proc or /sys pseudo-file system, not a data file";
  struct statfs fs {};
  if (::statfs(path.c_str(), &fs) == 0 && pseudo(fs)) return refused(kPseudo);
  if (static_cast<uint64_t>(st.st_size) > max_bytes)
    return refused("file too large: " + std::to_string(st.st_size) + " bytes, limit " +
                   std::to_string(max_bytes));
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return refused(std::string("cannot open the file: ") + std::strerror(errno));
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  // The file opened must be the file checked, and not a pseudo-file.
  struct stat fst {};
  if (::fstat(fd, &fst) != 0 || !S_ISREG(fst.st_mode) || fst.st_ino != st.st_ino ||
      fst.st_dev != st.st_dev)
    return refused("the file changed while being opened");
  if (::fstatfs(fd, &fs) == 0 && pseudo(fs)) return refused(kPseudo);
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return refused("the file would block reading");
      return {ReadStatus::kIoError, std::string("cannot read the file: ") + std::strerror(errno)};
    }
    if (out.size() + static_cast<size_t>(n) > max_bytes)
      return refused("file too large: more than " + std::to_string(max_bytes) + " bytes");
    out.append(buf, static_cast<size_t>(n));
  }
  return {};
}

}  // namespace pk
