#include "analysis/vocabulary.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "util/byte_level.h"
#include "util/strings.h"
#include "util/utf8.h"

namespace tokforge::analysis {
namespace {

constexpr std::string_view kMetaspace = "\xE2\x96\x81";  // U+2581 "▁"
constexpr std::string_view kByteLevelSpace = "\xC4\xA0";  // U+0120 "Ġ"
constexpr std::string_view kContinuation = "##";

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::optional<uint8_t> ByteFallbackValue(std::string_view token) {
  if (token.size() != 6 || token.substr(0, 3) != "<0x" || token[5] != '>') return std::nullopt;
  const int high = HexDigit(token[3]);
  const int low = HexDigit(token[4]);
  if (high < 0 || low < 0) return std::nullopt;
  return static_cast<uint8_t>(high * 16 + low);
}

TokenSpelling DetectSpelling(const std::vector<std::pair<std::string, uint32_t>>& vocab) {
  size_t metaspace = 0;
  size_t byte_level = 0;
  size_t word_piece = 0;
  for (const auto& [token, id] : vocab) {
    if (token.starts_with(kMetaspace)) ++metaspace;
    if (token.starts_with(kByteLevelSpace)) ++byte_level;
    if (token.size() > 2 && token.starts_with(kContinuation)) ++word_piece;
  }
  const size_t threshold = std::max<size_t>(1, vocab.size() / 100);
  const size_t best = std::max({metaspace, byte_level, word_piece});
  if (best < threshold) return TokenSpelling::kPlain;
  if (best == metaspace) return TokenSpelling::kMetaspace;
  if (best == byte_level) return TokenSpelling::kByteLevel;
  return TokenSpelling::kWordPiece;
}

std::string RawSpelling(std::string_view token, TokenSpelling spelling) {
  switch (spelling) {
    case TokenSpelling::kPlain:
      return std::string(token);
    case TokenSpelling::kByteLevel: {
      std::string bytes;
      if (ByteLevelAlphabet::Get().Decode(token, &bytes)) return bytes;
      return std::string(token);
    }
    case TokenSpelling::kMetaspace: {
      if (std::optional<uint8_t> byte = ByteFallbackValue(token)) {
        return std::string(1, static_cast<char>(*byte));
      }
      std::string bytes;
      size_t pos = 0;
      while (pos < token.size()) {
        if (token.substr(pos, kMetaspace.size()) == kMetaspace) {
          bytes.push_back(' ');
          pos += kMetaspace.size();
        } else {
          bytes.push_back(token[pos]);
          ++pos;
        }
      }
      return bytes;
    }
    case TokenSpelling::kWordPiece:
      if (token.size() > kContinuation.size() && token.starts_with(kContinuation)) {
        return std::string(token.substr(kContinuation.size()));
      }
      return std::string(token);
  }
  return std::string(token);
}

VocabularyTables BuildVocabularyTables(const Tokenizer& tokenizer) {
  VocabularyTables tables;
  const std::vector<std::pair<std::string, uint32_t>> vocab = tokenizer.GetVocab(true);
  tables.spelling = DetectSpelling(tokenizer.GetVocab(false));
  tables.vocab_size = tokenizer.vocab_size(true);
  uint32_t max_id = 0;
  for (const auto& [token, id] : vocab) max_id = std::max(max_id, id);
  const size_t table_size = std::max<size_t>(tables.vocab_size, vocab.empty() ? 0 : size_t{max_id} + 1);
  tables.byte_fallback.assign(table_size, 0);
  tables.raw_length.assign(table_size, 0);
  for (const auto& [token, id] : vocab) {
    tables.byte_fallback[id] = ByteFallbackValue(token).has_value() ? 1 : 0;
    const size_t length = RawSpelling(token, tables.spelling).size();
    tables.raw_length[id] = static_cast<uint16_t>(std::min<size_t>(length, 65535));
  }
  tables.unk_id = tokenizer.unk_token_id();
  return tables;
}

std::vector<VocabularyOverlap> ComputeOverlaps(const std::vector<NamedTokenizer>& tokenizers,
                                               const std::vector<TokenSpelling>& spellings) {
  std::vector<absl::flat_hash_set<std::string>> sets(tokenizers.size());
  for (size_t i = 0; i < tokenizers.size(); ++i) {
    for (const auto& [token, id] : tokenizers[i].tokenizer.GetVocab(false)) {
      sets[i].insert(RawSpelling(token, spellings[i]));
    }
  }
  std::vector<VocabularyOverlap> overlaps;
  for (size_t a = 0; a < tokenizers.size(); ++a) {
    for (size_t b = a + 1; b < tokenizers.size(); ++b) {
      const auto& smaller = sets[a].size() <= sets[b].size() ? sets[a] : sets[b];
      const auto& larger = sets[a].size() <= sets[b].size() ? sets[b] : sets[a];
      uint64_t shared = 0;
      for (const std::string& spelling : smaller) shared += larger.contains(spelling) ? 1 : 0;
      VocabularyOverlap overlap;
      overlap.first = tokenizers[a].name;
      overlap.second = tokenizers[b].name;
      overlap.first_size = sets[a].size();
      overlap.second_size = sets[b].size();
      overlap.shared = shared;
      const uint64_t united = overlap.first_size + overlap.second_size - shared;
      overlap.jaccard = united == 0 ? 0.0 : static_cast<double>(shared) / static_cast<double>(united);
      overlaps.push_back(std::move(overlap));
    }
  }
  return overlaps;
}

}  // namespace tokforge::analysis
