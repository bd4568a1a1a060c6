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

// Calls emit(begin, end) for each piece: the runs of non-whitespace
// characters, with every punctuation character cut out as a piece of its own.
template <typename Emit>
void SplitBert(std::string_view text, Emit emit) {
  SplitOnWhitespace(text, [&](size_t word_begin, size_t word_end) {
    size_t begin = word_begin;
    for (size_t pos = word_begin; pos < word_end;) {
      const unsigned char byte = static_cast<unsigned char>(text[pos]);
      if (byte < 0x80) {
        // Every ASCII punctuation character (Unicode P*) is in the ASCII ranges.
        if (IsAsciiPunctuation(byte)) {
          if (pos > begin) emit(begin, pos);
          emit(pos, pos + 1);
          begin = pos + 1;
        }
        ++pos;
        continue;
      }
      const DecodedChar c = DecodeUtf8(text, pos);
      if (IsPunctuation(c.code_point)) {
        if (pos > begin) emit(begin, pos);
        emit(pos, pos + c.length);
        begin = pos + c.length;
      }
      pos += c.length;
    }
    if (word_end > begin) emit(begin, word_end);
  });
}

}  // namespace

void BertPreTokenizer::PreTokenize(const NormalizedString& piece,
                                   std::vector<NormalizedString>* out) const {
  SplitBert(piece.str(), [&](size_t begin, size_t end) { out->push_back(piece.Slice(begin, end)); });
}

void BertPreTokenizer::SplitText(std::string_view text, std::vector<std::string_view>* pieces,
                                 std::deque<std::string>* /*arena*/) const {
  SplitBert(text, [&](size_t begin, size_t end) { pieces->push_back(text.substr(begin, end - begin)); });
}

absl::StatusOr<std::unique_ptr<PreTokenizer>> CreateBertPreTokenizer(const Json&,
                                                                     const JsonLocation&) {
  return std::unique_ptr<PreTokenizer>(new BertPreTokenizer());
}

}  // namespace tokforge::internal
