// Crash-safe output: every file pkrisk writes goes to a temporary name in the
// same directory, is flushed and synced, then renamed over the target — so a
// reader sees the old file or the new one, never half of one.
#pragma once

#include <string>

namespace pk {

// The side effects of writing, behind an interface so that tests can make
// them fail on purpose (a full disk, an unwritable directory).
class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // Each returns an empty string on success, else what went wrong.
  virtual std::string write(const std::string& path,
                            const std::string& bytes) = 0;  // create/truncate, write, fsync
  virtual std::string rename(const std::string& from, const std::string& to) = 0;
  virtual void remove(const std::string& path) = 0;
  virtual std::string make_dirs(const std::string& path) = 0;
};

FileSystem& real_file_system();

// Writes `bytes` to `path` atomically. Returns "" or an error message naming
// the file; on failure no partial or temporary file is left behind.
std::string write_file_atomic(const std::string& path, const std::string& bytes,
                              FileSystem& fs = real_file_system());

}  // namespace pk
