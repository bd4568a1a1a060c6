// Per-id facts about a tokenizer's vocabulary, and vocabulary overlap.

#ifndef TOKFORGE_ANALYSIS_VOCABULARY_H_
#define TOKFORGE_ANALYSIS_VOCABULARY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tokforge/analysis.h"
#include "tokforge/tokenizer.h"

namespace tokforge::analysis {

// Returns the byte value of a SentencePiece byte-fallback token "<0xNN>".
std::optional<uint8_t> ByteFallbackValue(std::string_view token);

// Detects the spelling from the share of tokens that use its markers: 1% of
// the tokens starting with "▁" means Metaspace, with "Ġ" byte-level, with "##"
// WordPiece.
TokenSpelling DetectSpelling(const std::vector<std::pair<std::string, uint32_t>>& vocab);

// Maps a token to the bytes it stands for: byte-level characters to their
// bytes, "▁" to a space and "<0xNN>" to its byte, a leading "##" dropped.
// A byte-level token with a character outside the alphabet (an added token
// such as "<|endoftext|>") is returned unchanged.
std::string RawSpelling(std::string_view token, TokenSpelling spelling);

// Lookup tables indexed by token id.
struct VocabularyTables {
  TokenSpelling spelling = TokenSpelling::kPlain;
  uint64_t vocab_size = 0;
  std::vector<uint8_t> byte_fallback;  // 1 for "<0xNN>" tokens
  std::vector<uint16_t> raw_length;    // bytes of RawSpelling, capped at 65535
  std::optional<uint32_t> unk_id;
};

VocabularyTables BuildVocabularyTables(const Tokenizer& tokenizer);

// Overlap of every pair of tokenizers, comparing the raw spellings of their
// model vocabularies (added tokens left out).
std::vector<VocabularyOverlap> ComputeOverlaps(const std::vector<NamedTokenizer>& tokenizers,
                                               const std::vector<TokenSpelling>& spellings);

}  // namespace tokforge::analysis

#endif  // TOKFORGE_ANALYSIS_VOCABULARY_H_
