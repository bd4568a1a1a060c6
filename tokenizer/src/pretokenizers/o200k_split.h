// A hand-written scanner equivalent to the o200k split pattern (GPT-4o):
//
//   [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
//   |[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
//   |\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
//
// Marks (\p{M}) are neither letters nor numbers, so they also count as
// "other" characters. tests/pretokenizers/split_scanner_test.cc compares the
// scanner with ICU's regex engine running the pattern.

#ifndef TOKFORGE_PRETOKENIZERS_O200K_SPLIT_H_
#define TOKFORGE_PRETOKENIZERS_O200K_SPLIT_H_

#include <unicode/uchar.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pretokenizers/cl100k_split.h"
#include "util/unicode_class.h"
#include "util/utf8.h"

namespace tokforge {

namespace o200k_internal {

enum : uint8_t {
  kUpperLike = 1,   // [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]
  kLowerLike = 2,   // [\p{Ll}\p{Lm}\p{Lo}\p{M}]
  kLetter = 4,      // \p{L}
  kNumber = 8,      // \p{N}
  kSpace = 16,      // \s
};

struct O200kChar {
  uint8_t flags;
  uint32_t length;
};

inline O200kChar ClassifyO200kSlow(std::string_view text, size_t pos) {
  const DecodedChar c = DecodeUtf8(text, pos);
  if (c.code_point == kInvalidCodePoint) return {0, c.length};
  uint8_t flags = 0;
  switch (ClassOf(c.code_point)) {
    case CharClass::kLetter: flags |= kLetter; break;
    case CharClass::kNumber: flags |= kNumber; break;
    case CharClass::kWhitespace: flags |= kSpace; break;
    case CharClass::kOther: break;
  }
  switch (u_charType(static_cast<UChar32>(c.code_point))) {
    case U_UPPERCASE_LETTER:
    case U_TITLECASE_LETTER: flags |= kUpperLike; break;
    case U_LOWERCASE_LETTER: flags |= kLowerLike; break;
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
    case U_NON_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_COMBINING_SPACING_MARK: flags |= kUpperLike | kLowerLike; break;
    default: break;
  }
  return {flags, c.length};
}

// Flags of the ASCII characters, computed once by the general classifier.
struct AsciiO200kFlags {
  uint8_t flags[128];
  AsciiO200kFlags() {
    for (int byte = 0; byte < 128; ++byte) {
      const char c = static_cast<char>(byte);
      flags[byte] = ClassifyO200kSlow(std::string_view(&c, 1), 0).flags;
    }
  }
};
inline const AsciiO200kFlags kAsciiO200kFlags;

inline O200kChar ClassifyO200k(std::string_view text, size_t pos) {
  const auto byte = static_cast<unsigned char>(text[pos]);
  if (byte < 0x80) return {kAsciiO200kFlags.flags[byte], 1};
  return ClassifyO200kSlow(text, pos);
}

// End of the maximal run of characters having `flag`, starting at `pos`.
inline size_t FlagRunEnd(std::string_view text, size_t pos, uint8_t flag) {
  while (pos < text.size()) {
    const O200kChar c = ClassifyO200k(text, pos);
    if ((c.flags & flag) == 0) break;
    pos += c.length;
  }
  return pos;
}

// Matches [upper-like]*[lower-like]+ at `pos`; returns the end or npos.
inline size_t UpperThenLowerEnd(std::string_view text, size_t pos) {
  size_t end = pos;
  size_t after_last_lower = std::string_view::npos;
  while (end < text.size()) {
    const O200kChar c = ClassifyO200k(text, end);
    if ((c.flags & kUpperLike) == 0) break;
    end += c.length;
    if (c.flags & kLowerLike) after_last_lower = end;
  }
  // The lower-like run continues after the upper-like run when it can;
  // otherwise the upper-like run gives back up to its last lower-like one.
  if (end < text.size() && (ClassifyO200k(text, end).flags & kLowerLike)) {
    return FlagRunEnd(text, end, kLowerLike);
  }
  return after_last_lower;
}

// Matches [upper-like]+[lower-like]* at `pos`; returns the end or npos.
inline size_t UpperRunThenLowerEnd(std::string_view text, size_t pos) {
  if (pos >= text.size() || (ClassifyO200k(text, pos).flags & kUpperLike) == 0) {
    return std::string_view::npos;
  }
  return FlagRunEnd(text, FlagRunEnd(text, pos, kUpperLike), kLowerLike);
}

}  // namespace o200k_internal

// Calls emit(begin, end) with the byte range of every piece of `text`, in order.
template <typename Emit>
void SplitO200k(std::string_view text, Emit&& emit) {
  using namespace o200k_internal;
  constexpr size_t npos = std::string_view::npos;
  const CharClass* table = CharClassTable();
  const size_t n = text.size();
  size_t pos = 0;
  while (pos < n) {
    const size_t begin = pos;
    const O200kChar c = ClassifyO200k(text, pos);
    const bool can_prefix =
        (c.flags & (kLetter | kNumber)) == 0 && !split_internal::IsCrLf(text, pos);

    // The two letter alternatives, each first with the optional prefix
    // character and then without it.
    // Direct calls rather than a loop over the two functions, so that the
    // compiler inlines them.
    size_t end = npos;
    const bool has_next = can_prefix && pos + c.length < n;
    if (has_next) end = UpperThenLowerEnd(text, pos + c.length);
    if (end == npos) end = UpperThenLowerEnd(text, pos);
    if (end == npos && has_next) end = UpperRunThenLowerEnd(text, pos + c.length);
    if (end == npos) end = UpperRunThenLowerEnd(text, pos);
    if (end != npos) {
      end += split_internal::FoldedContractionLength(text, end);
      emit(begin, end);
      pos = end;
      continue;
    }

    // \p{N}{1,3}
    if (c.flags & kNumber) {
      pos += c.length;
      for (int count = 1; count < 3 && pos < n; ++count) {
        const O200kChar digit = ClassifyO200k(text, pos);
        if ((digit.flags & kNumber) == 0) break;
        pos += digit.length;
      }
      emit(begin, pos);
      continue;
    }

    //  ?[^\s\p{L}\p{N}]+[\r\n/]*
    constexpr uint8_t kNotOther = kSpace | kLetter | kNumber;
    size_t run_start = npos;
    if ((c.flags & kNotOther) == 0) {
      run_start = pos;
    } else if (text[pos] == ' ' && pos + 1 < n &&
               (ClassifyO200k(text, pos + 1).flags & kNotOther) == 0) {
      run_start = pos + 1;
    }
    if (run_start != npos) {
      pos = run_start;
      while (pos < n) {
        const O200kChar other = ClassifyO200k(text, pos);
        if (other.flags & kNotOther) break;
        pos += other.length;
      }
      while (pos < n && (text[pos] == '\r' || text[pos] == '\n' || text[pos] == '/')) ++pos;
      emit(begin, pos);
      continue;
    }

    pos = split_internal::WhitespaceMatchEnd(text, pos, table);
    emit(begin, pos);
  }
}

}  // namespace tokforge

#endif  // TOKFORGE_PRETOKENIZERS_O200K_SPLIT_H_
