// Crash-safe file output: write to a temporary name, then rename.

#ifndef TOKFORGE_UTIL_FILE_OUTPUT_H_
#define TOKFORGE_UTIL_FILE_OUTPUT_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tokforge {

// Writes `contents` to `path` atomically: readers see the old file or the
// complete new one, never a partial file. The temporary file sits in the same
// directory and is removed on failure.
absl::Status WriteFileAtomically(const std::string& path, std::string_view contents);

// Reads a whole file. Errors name the path.
absl::StatusOr<std::string> ReadFile(const std::string& path);
// Reads the first `max_bytes` bytes of a file, or all of a shorter one.
absl::StatusOr<std::string> ReadFilePrefix(const std::string& path, size_t max_bytes);

}  // namespace tokforge

#endif  // TOKFORGE_UTIL_FILE_OUTPUT_H_
