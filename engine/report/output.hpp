// Crash-safe output: every file pkrisk writes goes to a temporary name in the
// same directory, is flushed and synced, then renamed over the target — so a
// reader sees the old file or the new one, never half of one.
#pragma once

#include <string>
#include <vector>

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
// the file; on failure no partial or temporary file is left behind. A symbolic
// link is followed (the file it names is replaced); a device or a FIFO is
// written in place, not atomically, since it cannot be replaced.
std::string write_file_atomic(const std::string& path, const std::string& bytes,
                              FileSystem& fs = real_file_system());

// What `--out DIR` of run and sweep (and `merge OUT`) may do with a directory
// that is already there: one rule for every command (docs/exit-codes.md).
struct OutputDirRequest {
  bool force = false;       // --force: write over what the directory holds
  bool resume = false;      // --resume: continue the sweep stored there
  bool can_resume = false;  // the command has --resume (for the message)
};

struct OutputDirDecision {
  bool ok = false;
  // --force on a directory that holds something: remove the previous result's
  // files (previous_result_files) before writing, so that no stale summary or
  // store is left beside the new one.
  bool clear_previous = false;
  std::string error;  // when not ok: what is there and which flag would allow it
};

// A directory that does not exist, or holds nothing but a lock file
// (pkrisk.lock), is fresh. One that holds anything else is refused unless
// --force, or --resume when it holds a results store (results.sqlite). A path
// that is not a directory is left to the writing, which reports it.
OutputDirDecision decide_output_dir(const std::string& dir, const OutputDirRequest& request);

// The files of a result that --force removes: the results store with its
// journal files, and summary.json (manifest.json is rewritten at the start).
const std::vector<std::string>& previous_result_files();

// Removes those of previous_result_files() that are regular files in `dir`.
// "" or what could not be removed.
std::string clear_previous_result(const std::string& dir);

}  // namespace pk
