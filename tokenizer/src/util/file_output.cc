#include "util/file_output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace tokforge {
namespace {

absl::Status ErrnoError(const char* what, const std::string& path, int error) {
  const std::string message = absl::StrCat(what, " ", path, ": ", std::strerror(error));
  switch (error) {
    case ENOENT:
      return absl::NotFoundError(message);
    case EACCES:
    case EPERM:
      return absl::PermissionDeniedError(message);
    default:
      return absl::InternalError(message);
  }
}

}  // namespace

absl::Status WriteFileAtomically(const std::string& path, std::string_view contents) {
  const std::filesystem::path target(path);
  std::error_code error;
  if (std::filesystem::is_directory(target, error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot write ", path, ": it is a directory; give a file name"));
  }
  std::string temp_path = path + ".tmp.XXXXXX";
  const int fd = mkstemp(temp_path.data());
  if (fd < 0) return ErrnoError("cannot create a file next to", path, errno);

  const char* data = contents.data();
  size_t remaining = contents.size();
  while (remaining > 0) {
    const ssize_t written = ::write(fd, data, remaining);
    if (written < 0) {
      if (errno == EINTR) continue;
      const int saved = errno;
      ::close(fd);
      std::remove(temp_path.c_str());
      return ErrnoError("failed to write", temp_path, saved);
    }
    data += written;
    remaining -= static_cast<size_t>(written);
  }
  // mkstemp creates the file with mode 0600; output files get the usual 0644
  // minus the umask.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const int saved = errno;
    std::remove(temp_path.c_str());
    return ErrnoError("failed to write", temp_path, saved);
  }
  if (std::rename(temp_path.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    std::remove(temp_path.c_str());
    return ErrnoError("failed to rename the output to", path, saved);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    return absl::InvalidArgumentError(absl::StrCat("cannot read ", path, ": it is a directory"));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return ErrnoError("cannot open", path, errno);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return ErrnoError("failed to read", path, errno);
  return std::move(buffer).str();
}

absl::StatusOr<std::string> ReadFilePrefix(const std::string& path, size_t max_bytes) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    return absl::InvalidArgumentError(absl::StrCat("cannot read ", path, ": it is a directory"));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return ErrnoError("cannot open", path, errno);
  std::string prefix(max_bytes, '\0');
  in.read(prefix.data(), static_cast<std::streamsize>(max_bytes));
  if (in.bad()) return ErrnoError("failed to read", path, errno);
  prefix.resize(static_cast<size_t>(in.gcount()));
  return prefix;
}

}  // namespace tokforge
