// Character-level rewriting with Hugging Face's alignment rules.
//
// Hugging Face tokenizers applies most normalizers (filter, map, lowercase,
// NFD, the BERT and Precompiled normalizers) through
// NormalizedString::transform, which takes one (char, change) pair per output
// character. Token offsets after normalization depend on exactly how that
// function assigns original ranges, so the normalizers here build the same
// pairs and apply them with the same rules.

#ifndef TOKFORGE_NORMALIZERS_CHAR_TRANSFORM_H_
#define TOKFORGE_NORMALIZERS_CHAR_TRANSFORM_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "components.h"
#include "util/utf8.h"

namespace tokforge::internal {

// Output code point meaning "the consumed input character, byte for byte". It
// keeps bytes that are not valid UTF-8 unchanged.
inline constexpr char32_t kKeepInputChar = 0xFFFFFFFF;

// One output character and how it relates to the input:
//   change == 0: replaces the next input character and takes its range;
//   change  < 0: like 0, then also drops the -change input characters after it;
//   change  > 0: inserted, takes the range of the previous input character
//                (the empty range at the start when there is none).
struct CharChange {
  char32_t output;
  int32_t change;
};

// Applies `changes` to `text` as Hugging Face's NormalizedString::transform
// does (tokenizers 0.23): the first `initial_skip` input characters are
// dropped, and so are input characters left over after the last change.
NormalizedString ApplyCharChanges(const NormalizedString& text,
                                  const std::vector<CharChange>& changes,
                                  size_t initial_skip = 0);

// Removes the characters for which keep(code_point) is false, with the
// alignment of Hugging Face's NormalizedString::filter. Invalid bytes are
// passed to `keep` as kInvalidCodePoint.
template <typename Keep>
NormalizedString FilterChars(const NormalizedString& text, Keep keep) {
  std::vector<CharChange> changes;
  size_t removed = 0;
  size_t removed_at_start = 0;
  bool have_kept = false;
  const std::string_view str = text.str();
  for (size_t pos = 0; pos < str.size();) {
    const DecodedChar c = DecodeUtf8(str, pos);
    pos += c.length;
    if (!keep(c.code_point)) {
      ++removed;
      continue;
    }
    if (have_kept) {
      changes.back().change = -static_cast<int32_t>(removed);
    } else {
      removed_at_start = removed;
      have_kept = true;
    }
    changes.push_back({kKeepInputChar, 0});
    removed = 0;
  }
  if (have_kept) changes.back().change = -static_cast<int32_t>(removed);
  return ApplyCharChanges(text, changes, removed_at_start);
}

// Replaces every character by map(code_point), one for one, as Hugging Face's
// NormalizedString::map. `map` may return kKeepInputChar.
template <typename Map>
NormalizedString MapChars(const NormalizedString& text, Map map) {
  std::vector<CharChange> changes;
  const std::string_view str = text.str();
  changes.reserve(str.size());
  for (size_t pos = 0; pos < str.size();) {
    const DecodedChar c = DecodeUtf8(str, pos);
    pos += c.length;
    changes.push_back({map(c.code_point), 0});
  }
  return ApplyCharChanges(text, changes);
}

}  // namespace tokforge::internal

#endif  // TOKFORGE_NORMALIZERS_CHAR_TRANSFORM_H_
