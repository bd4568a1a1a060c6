// A hand-written scanner equivalent to the GPT-2 split pattern
//
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
//
// as Hugging Face tokenizers applies it in ByteLevel(use_regex=true): the
// leftmost-first alternation, scanned left to right, every piece kept. The
// scanner runs on raw bytes: an invalid UTF-8 byte is one character of the
// "other" class, so any input splits and the pieces concatenate back to it.

#ifndef TOKFORGE_PRETOKENIZERS_GPT2_SPLIT_H_
#define TOKFORGE_PRETOKENIZERS_GPT2_SPLIT_H_

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "util/unicode_class.h"
#include "util/utf8.h"

namespace tokforge {

namespace gpt2_split_internal {

struct ClassifiedChar {
  CharClass cls;
  uint32_t length;
};

inline ClassifiedChar Classify(std::string_view text, size_t pos, const CharClass* table) {
  const unsigned char b = static_cast<unsigned char>(text[pos]);
  if (b < 0x80) return {table[b], 1};
  const DecodedChar c = DecodeUtf8(text, pos);
  return {table[c.code_point], c.length};
}

// Returns the end of the run of ASCII letters (A-Z, a-z) starting at `pos`,
// found 8 bytes at a time. Where fewer than 8 bytes remain it returns an
// earlier position inside the run, from which the caller goes on byte by byte.
inline size_t AsciiLetterRunEnd(std::string_view text, size_t pos) {
  if constexpr (std::endian::native == std::endian::little) {
    constexpr uint64_t kHighBits = 0x8080808080808080ULL;
    while (pos + 8 <= text.size()) {
      uint64_t word;
      std::memcpy(&word, text.data() + pos, sizeof(word));
      // The high bit of each byte is cleared first, so that no sum carries
      // into the next byte. Then bit 7 of (b | 0x20) + 0x1F is set when
      // b | 0x20 >= 'a', and bit 7 of (b | 0x20) + 0x05 when b | 0x20 > 'z'.
      // The ~word term drops the bytes of 0x80 and above.
      const uint64_t folded = (word | 0x2020202020202020ULL) & ~kHighBits;
      const uint64_t at_least_a = folded + 0x1F1F1F1F1F1F1F1FULL;
      const uint64_t past_z = folded + 0x0505050505050505ULL;
      const uint64_t letters = at_least_a & ~past_z & ~word & kHighBits;
      const uint64_t others = ~letters & kHighBits;
      // The lowest set bit of `others` is in the first byte that is not a letter.
      if (others != 0) return pos + std::countr_zero(others) / 8;
      pos += 8;
    }
  }
  return pos;
}

// Returns the end of the run of characters of class `cls` starting at `pos`.
inline size_t RunEnd(std::string_view text, size_t pos, CharClass cls, const CharClass* table) {
  // Runs of letters are mostly ASCII words, which skip the class table.
  if (cls == CharClass::kLetter) pos = AsciiLetterRunEnd(text, pos);
  while (pos < text.size()) {
    const ClassifiedChar c = Classify(text, pos, table);
    if (c.cls != cls) break;
    pos += c.length;
  }
  return pos;
}

// Returns the end of the run of U+0020 bytes starting at `pos`. Indentation
// makes long runs common, so they are compared 8 bytes at a time.
inline size_t SpaceRunEnd(std::string_view text, size_t pos) {
  if constexpr (std::endian::native == std::endian::little) {
    while (pos + 8 <= text.size()) {
      uint64_t word;
      std::memcpy(&word, text.data() + pos, sizeof(word));
      // The lowest nonzero byte of `other` is the first byte that is not a space.
      const uint64_t other = word ^ 0x2020202020202020ULL;
      if (other != 0) return pos + std::countr_zero(other) / 8;
      pos += 8;
    }
  }
  while (pos < text.size() && text[pos] == ' ') ++pos;
  return pos;
}

// Length of a contraction ('s 't 're 've 'm 'll 'd, lower case only) at `pos`,
// or 0.
inline size_t ContractionLength(std::string_view text, size_t pos) {
  if (pos + 1 >= text.size()) return 0;
  const char c1 = text[pos + 1];
  if (c1 == 's' || c1 == 't' || c1 == 'm' || c1 == 'd') return 2;
  if (pos + 2 >= text.size()) return 0;
  const char c2 = text[pos + 2];
  if ((c1 == 'r' && c2 == 'e') || (c1 == 'v' && c2 == 'e') || (c1 == 'l' && c2 == 'l')) return 3;
  return 0;
}

// Scans `text` for SplitGpt2 and SplitGpt2Lines. With kLines, a '\n' ends
// its whitespace run as the end of the text would, so each line splits as it
// would on its own.
template <bool kLines, typename Emit>
void SplitGpt2Scan(std::string_view text, Emit&& emit) {
  const CharClass* table = CharClassTable();
  const size_t n = text.size();
  size_t pos = 0;
  while (pos < n) {
    const size_t begin = pos;
    if (text[pos] == '\'') {
      const size_t contraction = ContractionLength(text, pos);
      if (contraction > 0) {
        emit(begin, begin + contraction);
        pos += contraction;
        continue;
      }
    }
    ClassifiedChar c = Classify(text, pos, table);
    // " ?X+" for letters, numbers and other characters: a single leading
    // U+0020 joins the run that follows it.
    size_t run_start = pos;
    if (text[pos] == ' ' && pos + 1 < n) {
      const ClassifiedChar next = Classify(text, pos + 1, table);
      if (next.cls != CharClass::kWhitespace) {
        c = next;
        run_start = pos + 1;
      }
    }
    if (c.cls != CharClass::kWhitespace) {
      pos = RunEnd(text, run_start + c.length, c.cls, table);
      emit(begin, pos);
      continue;
    }
    // Whitespace: "\s+(?!\S)" takes the run but leaves its last character for
    // the piece that follows when a non-space follows; a single whitespace
    // character before a non-space falls through to "\s+".
    size_t last_start = pos;
    size_t end = pos;
    bool line_end = false;
    while (end < n) {
      if (text[end] == ' ') {
        end = SpaceRunEnd(text, end);
        last_start = end - 1;
        continue;
      }
      const ClassifiedChar w = Classify(text, end, table);
      if (w.cls != CharClass::kWhitespace) break;
      last_start = end;
      end += w.length;
      if (kLines && text[last_start] == '\n') {
        line_end = true;
        break;
      }
    }
    if (!line_end && end < n && last_start > begin) end = last_start;
    emit(begin, end);
    pos = end;
  }
}

}  // namespace gpt2_split_internal

// Calls emit(begin, end) with the byte range of every piece of `text`, in order.
template <typename Emit>
void SplitGpt2(std::string_view text, Emit&& emit) {
  gpt2_split_internal::SplitGpt2Scan<false>(text, emit);
}

// Calls emit(begin, end) with the byte range of every piece of `text`, in
// order, where each line (with its "\n", the last one possibly without)
// splits as SplitGpt2 would split it alone. The last piece of a line ends
// with the line's "\n". One call costs less than one SplitGpt2 call per line.
template <typename Emit>
void SplitGpt2Lines(std::string_view text, Emit&& emit) {
  gpt2_split_internal::SplitGpt2Scan<true>(text, emit);
}

}  // namespace tokforge

#endif  // TOKFORGE_PRETOKENIZERS_GPT2_SPLIT_H_
