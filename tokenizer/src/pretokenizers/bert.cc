#include "pretokenizers/bert.h"

#include "util/unicode_props.h"
#include "util/utf8.h"

namespace tokforge::internal {
namespace {

bool IsAsciiPunctuation(char32_t c) {
  return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) ||
         (c >= 0x7B && c <= 0x7E);
}

// Calls emit(begin, end) for each run of non-whitespace characters.
template <typename Emit>
void SplitOnWhitespace(std::string_view text, Emit emit) {
  size_t begin = 0;
  for (size_t pos = 0; pos < text.size();) {
    const DecodedChar c = DecodeUtf8(text, pos);
    if (IsUnicodeWhitespace(c.code_point)) {
      if (pos > begin) emit(begin, pos);
      begin = pos + c.length;
    }
    pos += c.length;
  }
  if (text.size() > begin) emit(begin, text.size());
}

}  // namespace

void BertPreTokenizer::PreTokenize(const NormalizedString& piece,
                                   std::vector<NormalizedString>* out) const {
  const std::string_view text = piece.str();
  SplitOnWhitespace(text, [&](size_t word_begin, size_t word_end) {
    size_t begin = word_begin;
    for (size_t pos = word_begin; pos < word_end;) {
      const DecodedChar c = DecodeUtf8(text, pos);
      if (IsAsciiPunctuation(c.code_point) || IsPunctuation(c.code_point)) {
        if (pos > begin) out->push_back(piece.Slice(begin, pos));
        out->push_back(piece.Slice(pos, pos + c.length));
        begin = pos + c.length;
      }
      pos += c.length;
    }
    if (word_end > begin) out->push_back(piece.Slice(begin, word_end));
  });
}

absl::StatusOr<std::unique_ptr<PreTokenizer>> CreateBertPreTokenizer(const Json&,
                                                                     const JsonLocation&) {
  return std::unique_ptr<PreTokenizer>(new BertPreTokenizer());
}

}  // namespace tokforge::internal
