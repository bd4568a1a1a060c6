// String helpers that bridge std::string_view and Abseil.
//
// Debian's Abseil is built with its own absl::string_view type (not an alias
// of std::string_view), so absl::StrCat and Abseil's heterogeneous lookup do
// not accept std::string_view directly.

#ifndef TOKFORGE_UTIL_STRINGS_H_
#define TOKFORGE_UTIL_STRINGS_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"

namespace tokforge {

inline absl::string_view ToAbsl(std::string_view text) { return {text.data(), text.size()}; }
inline std::string_view ToStd(absl::string_view text) { return {text.data(), text.size()}; }

// Transparent hash and equality so that maps keyed by std::string can be
// probed with a std::string_view without building a std::string.
struct StringViewHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const {
    return absl::Hash<absl::string_view>()(ToAbsl(text));
  }
};

struct StringViewEq {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const { return a == b; }
};

template <typename Value>
using StringMap = absl::flat_hash_map<std::string, Value, StringViewHash, StringViewEq>;

}  // namespace tokforge

#endif  // TOKFORGE_UTIL_STRINGS_H_
