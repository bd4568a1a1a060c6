// The BPE model: vocabulary, ranked merges, and the merge loop of encoding.

#ifndef TOKFORGE_MODELS_BPE_BPE_MODEL_H_
#define TOKFORGE_MODELS_BPE_BPE_MODEL_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "util/strings.h"

namespace tokforge {

struct BpeMergeRule {
  std::string left;
  std::string right;
};

class BpeModel {
 public:
  struct Options {
    bool byte_level = true;      // pieces are raw bytes, tokens spell them with ByteLevelAlphabet
    bool ignore_merges = false;  // a piece found whole in the vocabulary is one token
  };

  // Builds the model; fails when a merge names a token missing from the
  // vocabulary, or when ids are duplicated.
  static absl::StatusOr<BpeModel> Create(std::vector<std::pair<std::string, uint32_t>> vocab,
                                         const std::vector<BpeMergeRule>& merges,
                                         Options options);

  // Appends the ids of one pre-tokenized piece (raw bytes) to `ids`. Bytes
  // whose symbol is not in the vocabulary are dropped, as Hugging Face does
  // without unk_token or byte_fallback.
  void EncodePiece(std::string_view piece, std::vector<uint32_t>* ids) const;

  std::optional<uint32_t> TokenToId(std::string_view token) const;
  const std::string* IdToToken(uint32_t id) const;
  // One past the largest id.
  size_t id_limit() const { return tokens_.size(); }
  size_t vocab_size() const { return ids_.size(); }
  const StringMap<uint32_t>& vocab() const { return ids_; }

 private:
  struct MergeTarget {
    uint32_t rank;
    uint32_t result;
  };

  static uint64_t PairKey(uint32_t left, uint32_t right) {
    return (static_cast<uint64_t>(left) << 32) | right;
  }

  Options options_;
  std::vector<std::string> tokens_;  // by id; empty string for unused ids
  StringMap<uint32_t> ids_;
  absl::flat_hash_map<uint64_t, MergeTarget> merges_;
  std::array<int64_t, 256> byte_ids_;  // id of each byte's one-character token, or -1
};

}  // namespace tokforge

#endif  // TOKFORGE_MODELS_BPE_BPE_MODEL_H_
