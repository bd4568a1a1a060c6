#include "normalizers/char_transform.h"

#include <string>

namespace tokforge::internal {

NormalizedString ApplyCharChanges(const NormalizedString& text,
                                  const std::vector<CharChange>& changes,
                                  size_t initial_skip) {
  const std::string_view str = text.str();
  NormalizedStringBuilder builder(text);
  size_t pos = 0;  // byte offset of the next input character
  // The input character just before `pos`, consumed or dropped. Insertions
  // take its range, as Hugging Face takes the alignment of byte pos - 1.
  size_t previous_begin = 0;
  size_t previous_end = 0;
  auto skip_char = [&]() {
    if (pos >= str.size()) return;
    previous_begin = pos;
    pos += DecodeUtf8(str, pos).length;
    previous_end = pos;
  };
  for (size_t i = 0; i < initial_skip; ++i) skip_char();

  std::string output;
  for (const CharChange& change : changes) {
    output.clear();
    if (change.change > 0) {
      // An insertion takes the range of the input character before it.
      if (change.output != kKeepInputChar) AppendUtf8(change.output, &output);
      builder.Append(output, previous_begin, previous_end);
      continue;
    }
    if (pos >= str.size()) break;  // more changes than input: Hugging Face panics here
    const size_t begin = pos;
    skip_char();
    if (change.output == kKeepInputChar) {
      builder.Copy(begin, pos);
    } else {
      AppendUtf8(change.output, &output);
      builder.Append(output, begin, pos);
    }
    for (int32_t i = 0; i < -change.change; ++i) skip_char();
  }
  return std::move(builder).Finish();
}

}  // namespace tokforge::internal
