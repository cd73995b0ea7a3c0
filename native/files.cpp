// Program files on the desktop: bounded reads and temp-file-then-rename writes.
#include "files.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/limits.h"

namespace gs {
namespace {

std::string too_large() {
  return "the file is larger than the " + std::to_string(kMaxSourceBytes) + "-byte program limit";
}

// Reads fd to its end, but never more than one byte past the program limit.
std::string read_bounded(int fd, std::string& text) {
  std::string out;
  char buf[8192];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return std::strerror(errno);
    }
    if (n == 0) break;
    out.append(buf, size_t(n));
    if (out.size() > size_t(kMaxSourceBytes)) return too_large();
  }
  text = std::move(out);
  return "";
}

std::string directory_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

// The file a save writes: symbolic links are followed, a dangling one too (its target is then
// created), so a link is never replaced by a regular file. Returns why not ("" on success).
std::string save_target(const std::string& path, std::string& target) {
  std::string p = path;
  for (int hops = 0; hops < 40; ++hops) {  // 40: Linux's own limit on links followed
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) {
      target = p;
      return "";
    }
    std::string link(size_t(st.st_size > 0 ? st.st_size : PATH_MAX) + 1, '\0');
    ssize_t n = ::readlink(p.c_str(), link.data(), link.size());
    if (n < 0) return std::strerror(errno);
    link.resize(size_t(n));
    p = link.empty() || link[0] == '/' ? link : directory_of(p) + "/" + link;
  }
  return std::strerror(ELOOP);
}

// Temporaries are named ".gradscope-PID-N.tmp" beside the file: short, so a file name of
// NAME_MAX (255) bytes can still be saved, and recognisable, so ones left behind by a process
// that was killed mid-save can be removed.
std::string temporary_name(const std::string& dir, pid_t pid, int attempt) {
  return dir + "/.gradscope-" + std::to_string(pid) + "-" + std::to_string(attempt) + ".tmp";
}

// Removes this user's temporaries in `dir` whose process no longer runs (killed mid-save).
void remove_stale_temporaries(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  while (const dirent* e = ::readdir(d)) {
    int pid = 0, attempt = 0, end = 0;
    if (std::sscanf(e->d_name, ".gradscope-%d-%d.tmp%n", &pid, &attempt, &end) != 2 || e->d_name[end] != '\0' ||
        pid <= 0 || pid == ::getpid() || e->d_name != temporary_name(".", pid, attempt).substr(2))
      continue;
    if (::kill(pid, 0) == 0 || errno != ESRCH) continue;  // still running (or not ours to ask)
    const std::string path = dir + "/" + e->d_name;
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == ::geteuid()) ::unlink(path.c_str());
  }
  ::closedir(d);
}

// "r--r--r--" for the permission bits of `mode`.
std::string permissions_text(mode_t mode) {
  std::string out;
  for (int shift = 6; shift >= 0; shift -= 3) {
    out += (mode >> shift) & 4 ? 'r' : '-';
    out += (mode >> shift) & 2 ? 'w' : '-';
    out += (mode >> shift) & 1 ? 'x' : '-';
  }
  return out;
}

}  // namespace

std::string read_program_file(const std::string& path, std::string& text) {
  // O_NONBLOCK only for the open: a named pipe with no writer must not hang the app.
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return std::strerror(errno);
  struct stat st {};
  std::string why;
  if (::fstat(fd, &st) != 0) why = std::strerror(errno);
  else if (S_ISDIR(st.st_mode)) why = "it is a directory";
  else if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) why = "it is not a regular file";  // /dev/tty, sockets
  else if (S_ISREG(st.st_mode) && st.st_size > kMaxSourceBytes) why = too_large();  // without reading it
  else if (int flags = ::fcntl(fd, F_GETFL); flags < 0 || ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0)
    why = std::strerror(errno);
  else why = read_bounded(fd, text);
  ::close(fd);
  return why;
}

std::string read_program_stdin(std::string& text) { return read_bounded(STDIN_FILENO, text); }

std::string write_file_atomic(const std::string& path, const std::string& text) {
  std::string target;
  if (std::string why = save_target(path, target); !why.empty()) return why;
  struct stat old {};
  const bool replacing = ::stat(target.c_str(), &old) == 0 && S_ISREG(old.st_mode);
  // As editors do: a read-only file is not replaced behind its owner's back (root included,
  // for whom access() would say yes).
  if (replacing && ((old.st_mode & 0222) == 0 || (::geteuid() != 0 && ::access(target.c_str(), W_OK) != 0)))
    return "the file is read-only (" + permissions_text(old.st_mode) + "); save under another name";
  const std::string dir = directory_of(target);
  remove_stale_temporaries(dir);
  // A new name each time, created exclusively: never follows a link planted at the temporary name.
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; fd < 0 && attempt < 100; ++attempt) {
    tmp = temporary_name(dir, ::getpid(), attempt);
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) return std::strerror(errno);
  }
  if (fd < 0) return std::strerror(EEXIST);
  auto fail = [&](int err) {
    ::close(fd);
    ::unlink(tmp.c_str());
    return std::string(std::strerror(err));
  };
  if (replacing && ::fchmod(fd, old.st_mode & 07777) != 0) return fail(errno);  // keep its permissions
  size_t done = 0;
  while (done < text.size()) {
    ssize_t w = ::write(fd, text.data() + done, text.size() - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      return fail(errno);
    }
    done += size_t(w);
  }
  if (::fsync(fd) != 0) return fail(errno);
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return std::strerror(err);
  }
  if (std::rename(tmp.c_str(), target.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return std::strerror(err);
  }
  // Make the rename itself durable; the data is already safe, so a failure here is not reported.
  if (int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return "";
}

}  // namespace gs
