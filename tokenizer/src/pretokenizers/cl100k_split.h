// A hand-written scanner equivalent to the cl100k split pattern of GPT-4 and
// Llama 3, in the form Hugging Face tokenizer.json files spell it:
//
//   (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|
//   ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
//
// Every character belongs to some alternative, so the pieces cover the text.
// Classes are those of util/unicode_class.h; an invalid UTF-8 byte is one
// character of the "other" class. tests/pretokenizers/split_scanner_test.cc
// compares the scanner with ICU's regex engine running the pattern.

#ifndef TOKFORGE_PRETOKENIZERS_CL100K_SPLIT_H_
#define TOKFORGE_PRETOKENIZERS_CL100K_SPLIT_H_

#include <cstddef>
#include <string_view>

#include "pretokenizers/gpt2_split.h"
#include "util/unicode_class.h"
#include "util/utf8.h"

namespace tokforge {

namespace split_internal {

// Returns true when the character at `pos` is `lower` or its case variant.
// U+017F LATIN SMALL LETTER LONG S case-folds to 's', so (?i:s) matches it.
inline size_t FoldedAsciiLength(std::string_view text, size_t pos, char lower) {
  if (pos >= text.size()) return 0;
  const char c = text[pos];
  if (c == lower || c == lower - ('a' - 'A')) return 1;
  if (lower == 's' && text.substr(pos, 2) == "\xC5\xBF") return 2;
  return 0;
}

// Length of a case-insensitive contraction ('s 't 're 've 'm 'll 'd) at
// `pos`, or 0.
inline size_t FoldedContractionLength(std::string_view text, size_t pos) {
  if (pos >= text.size() || text[pos] != '\'') return 0;
  for (const char single : {'s', 't', 'm', 'd'}) {
    if (const size_t n = FoldedAsciiLength(text, pos + 1, single)) return 1 + n;
  }
  for (const char* pair : {"re", "ve", "ll"}) {
    const size_t first = FoldedAsciiLength(text, pos + 1, pair[0]);
    if (first == 0) continue;
    if (const size_t second = FoldedAsciiLength(text, pos + 1 + first, pair[1])) {
      return 1 + first + second;
    }
  }
  return 0;
}

inline bool IsCrLf(std::string_view text, size_t pos) {
  return pos < text.size() && (text[pos] == '\r' || text[pos] == '\n');
}

// Matches "\s*[\r\n]+|\s+(?!\S)|\s+" at `pos`, where a whitespace character
// starts, and returns the end of the match.
inline size_t WhitespaceMatchEnd(std::string_view text, size_t pos, const CharClass* table) {
  using gpt2_split_internal::Classify;
  size_t end = pos;
  size_t last_start = pos;
  size_t after_last_crlf = 0;  // 0: no \r or \n in the run
  while (end < text.size()) {
    const gpt2_split_internal::ClassifiedChar c = Classify(text, end, table);
    if (c.cls != CharClass::kWhitespace) break;
    if (IsCrLf(text, end)) after_last_crlf = end + 1;
    last_start = end;
    end += c.length;
  }
  // \s*[\r\n]+ backtracks to the last line break of the run.
  if (after_last_crlf != 0) return after_last_crlf;
  // \s+(?!\S) leaves the last whitespace character for the next piece when
  // a non-space follows; a single one falls through to \s+.
  if (end < text.size() && last_start > pos) return last_start;
  return end;
}

}  // namespace split_internal

// Calls emit(begin, end) with the byte range of every piece of `text`, in order.
template <typename Emit>
void SplitCl100k(std::string_view text, Emit&& emit) {
  using gpt2_split_internal::Classify;
  using gpt2_split_internal::ClassifiedChar;
  using gpt2_split_internal::RunEnd;
  using split_internal::IsCrLf;
  const CharClass* table = CharClassTable();
  const size_t n = text.size();
  size_t pos = 0;
  while (pos < n) {
    const size_t begin = pos;
    if (const size_t contraction = split_internal::FoldedContractionLength(text, pos)) {
      pos += contraction;
      emit(begin, pos);
      continue;
    }
    const ClassifiedChar c = Classify(text, pos, table);
    // [^\r\n\p{L}\p{N}]?\p{L}+
    if (c.cls == CharClass::kLetter) {
      pos = RunEnd(text, pos + c.length, CharClass::kLetter, table);
      emit(begin, pos);
      continue;
    }
    if (c.cls != CharClass::kNumber && !IsCrLf(text, pos) && pos + c.length < n) {
      const ClassifiedChar next = Classify(text, pos + c.length, table);
      if (next.cls == CharClass::kLetter) {
        pos = RunEnd(text, pos + c.length + next.length, CharClass::kLetter, table);
        emit(begin, pos);
        continue;
      }
    }
    // \p{N}{1,3}
    if (c.cls == CharClass::kNumber) {
      pos += c.length;
      for (int count = 1; count < 3 && pos < n; ++count) {
        const ClassifiedChar digit = Classify(text, pos, table);
        if (digit.cls != CharClass::kNumber) break;
        pos += digit.length;
      }
      emit(begin, pos);
      continue;
    }
    //  ?[^\s\p{L}\p{N}]+[\r\n]*
    size_t run_start = pos;
    CharClass run_class = c.cls;
    if (text[pos] == ' ' && pos + 1 < n) {
      const ClassifiedChar next = Classify(text, pos + 1, table);
      if (next.cls == CharClass::kOther) {
        run_start = pos + 1;
        run_class = CharClass::kOther;
      }
    }
    if (run_class == CharClass::kOther) {
      pos = RunEnd(text, run_start, CharClass::kOther, table);
      while (IsCrLf(text, pos)) ++pos;
      emit(begin, pos);
      continue;
    }
    pos = split_internal::WhitespaceMatchEnd(text, pos, table);
    emit(begin, pos);
  }
}

}  // namespace tokforge

#endif  // TOKFORGE_PRETOKENIZERS_CL100K_SPLIT_H_
