// Measurement of one tokenizer on one sequence, accumulated per worker.

#ifndef TOKFORGE_ANALYSIS_MEASURE_H_
#define TOKFORGE_ANALYSIS_MEASURE_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "analysis/text_stats.h"
#include "analysis/vocabulary.h"
#include "tokforge/tokenizer.h"

namespace tokforge::analysis {

// Tokens of this many raw bytes or more share the last histogram bucket.
inline constexpr size_t kLongTokenBytes = 16;

// Counts of one worker; Merge adds another worker's counts.
struct Accumulator {
  uint64_t tokens = 0;
  uint64_t continued_words = 0;
  uint64_t unk_tokens = 0;
  uint64_t byte_fallback_tokens = 0;
  uint64_t roundtrip_failed_lines = 0;
  std::vector<uint64_t> length_histogram = std::vector<uint64_t>(kLongTokenBytes + 1, 0);
  absl::flat_hash_map<std::string, uint64_t> unknown_texts;

  void Merge(const Accumulator& other);
};

// Number of words covered by two or more tokens. A token covers a word when
// their byte ranges intersect; both lists must be sorted by position.
uint64_t CountContinuedWords(const std::vector<ByteSpan>& words,
                             const std::vector<std::pair<size_t, size_t>>& token_offsets);

// Number of lines of `original` that `decoded` does not reproduce. When the
// two have different line counts, every line of `original` counts.
uint64_t CountRoundtripFailedLines(std::string_view original, std::string_view decoded);

// Input text under an unknown token, cut to at most 40 bytes of whole
// characters.
std::string UnknownText(std::string_view text, size_t begin, size_t end);

// Encodes `text` without special tokens and adds its figures to
// `accumulator`. Marks every id in `seen` and returns the token count.
uint64_t MeasureSequence(const Tokenizer& tokenizer, const VocabularyTables& tables,
                         std::string_view text, const std::vector<ByteSpan>& words,
                         std::vector<std::atomic<uint8_t>>* seen, Accumulator* accumulator);

}  // namespace tokforge::analysis

#endif  // TOKFORGE_ANALYSIS_MEASURE_H_
