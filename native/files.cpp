// Program files on the desktop: bounded reads and temp-file-then-rename writes.
#include "files.h"

#include <fcntl.h>
#include <limits.h>
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

// The file a save should replace: the target of a symbolic link rather than the link.
std::string save_target(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return path;
  char resolved[PATH_MAX];
  return ::realpath(path.c_str(), resolved) ? std::string(resolved) : path;
}

std::string directory_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
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
  const std::string target = save_target(path);
  struct stat old {};
  const bool replacing = ::stat(target.c_str(), &old) == 0 && S_ISREG(old.st_mode);
  // A new name each time, created exclusively: never follows a link planted at the temporary name.
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; fd < 0 && attempt < 100; ++attempt) {
    tmp = target + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(attempt);
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
  if (int dir = ::open(directory_of(target).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return "";
}

}  // namespace gs
