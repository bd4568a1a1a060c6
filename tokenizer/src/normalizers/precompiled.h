// SentencePiece's precompiled character map and the Hugging Face
// "Precompiled" normalizer built on it.

#ifndef TOKFORGE_NORMALIZERS_PRECOMPILED_H_
#define TOKFORGE_NORMALIZERS_PRECOMPILED_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "components.h"

namespace tokforge::internal {

// The `precompiled_charsmap` of a SentencePiece NormalizerSpec: a little-endian
// uint32 byte size N of a double-array trie, N bytes of trie units (the
// darts-clone format, one little-endian uint32 each), then the replacement
// strings, each terminated by NUL. Trie keys are UTF-8 byte sequences and a
// key's value is the byte offset of its replacement in the string pool.
class PrecompiledCharsmap {
 public:
  // Parses the raw bytes (not base64). Fails when the sizes are inconsistent.
  static absl::StatusOr<PrecompiledCharsmap> Parse(std::string_view blob);

  // Calls visit(key_length, replacement) for every key that is a prefix of
  // `key`, shortest first. A NUL byte in `key` ends the search.
  template <typename Visit>
  void ForEachPrefixMatch(std::string_view key, Visit visit) const;

  // Replacement of the shortest key that is a prefix of `chunk`. Hugging Face
  // (spm_precompiled 0.1) uses the shortest match here, even though
  // SentencePiece itself takes the longest.
  std::optional<std::string_view> ShortestPrefixReplacement(std::string_view chunk) const;

  // Length and replacement of the longest key that is a prefix of `text`, as
  // SentencePiece's own normalizer matches.
  std::optional<std::pair<size_t, std::string_view>> LongestPrefixReplacement(
      std::string_view text) const;

 private:
  std::string_view ReplacementAt(uint32_t offset) const;

  std::vector<uint32_t> units_;
  std::string pool_;
};

// Hugging Face's Precompiled normalizer: for each extended grapheme cluster
// shorter than 6 bytes, the shortest charsmap key that prefixes the cluster
// replaces the whole cluster; otherwise each character is looked up alone.
class PrecompiledNormalizer : public Normalizer {
 public:
  explicit PrecompiledNormalizer(PrecompiledCharsmap charsmap);

  void Normalize(NormalizedString* text) const override;

  // Normalizes plain text (no alignment); for tests and tools.
  std::string NormalizeText(std::string_view text) const;

 private:
  PrecompiledCharsmap charsmap_;
  // Replacement of each ASCII character alone: text is mostly ASCII, and a
  // table lookup costs less than a walk of the charsmap's trie.
  std::array<std::optional<std::string_view>, 128> ascii_replacements_;
};

// Factory for {"type": "Precompiled", "precompiled_charsmap": "<base64>"}. An
// empty charsmap gives a normalizer that changes nothing.
absl::StatusOr<std::unique_ptr<Normalizer>> CreatePrecompiledNormalizer(const Json& config,
                                                                        const JsonLocation& where);

// Implementation of the template.

template <typename Visit>
void PrecompiledCharsmap::ForEachPrefixMatch(std::string_view key, Visit visit) const {
  // darts-clone unit layout: bits 0-7 label, bit 8 "has leaf", bit 9 selects
  // an offset shift of 8, bits 10-31 offset. A leaf unit stores its value in
  // bits 0-30.
  auto offset_of = [](uint32_t unit) { return (unit >> 10) << ((unit & (1u << 9)) >> 6); };
  if (units_.empty()) return;
  size_t node = offset_of(units_[0]);
  for (size_t i = 0; i < key.size(); ++i) {
    const auto byte = static_cast<uint8_t>(key[i]);
    if (byte == 0) return;
    node ^= byte;
    if (node >= units_.size()) return;
    const uint32_t unit = units_[node];
    if ((unit & ((1u << 31) | 0xFFu)) != byte) return;
    node ^= offset_of(unit);
    if (node >= units_.size()) return;
    if ((unit >> 8) & 1) {
      visit(i + 1, ReplacementAt(units_[node] & ((1u << 31) - 1)));
    }
  }
}

}  // namespace tokforge::internal

#endif  // TOKFORGE_NORMALIZERS_PRECOMPILED_H_
