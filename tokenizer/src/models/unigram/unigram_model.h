// Hugging Face's Unigram model: Viterbi segmentation over a vocabulary of
// (piece, log-probability score), as used by SentencePiece models (T5,
// CamemBERT, XLM-R, ALBERT, ...).

#ifndef TOKFORGE_MODELS_UNIGRAM_UNIGRAM_MODEL_H_
#define TOKFORGE_MODELS_UNIGRAM_UNIGRAM_MODEL_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "components.h"
#include "util/strings.h"

namespace tokforge::internal {

struct UnigramPiece {
  std::string piece;
  double score;
};

class UnigramModel : public Model {
 public:
  // Fails when unk_id is outside the vocabulary, or when the vocabulary is
  // empty although unk_id is set (the checks of Hugging Face's Unigram::from).
  static absl::StatusOr<std::unique_ptr<UnigramModel>> Create(std::vector<UnigramPiece> vocab,
                                                              std::optional<uint32_t> unk_id,
                                                              bool byte_fallback);

  std::string_view type() const override { return "Unigram"; }

  // Segments `piece` into the path of maximum total score. Among equal
  // scores the path whose last token starts earliest wins, as in Hugging
  // Face's forward pass (only a strictly better score replaces). A character with no single-character
  // piece gets an unknown node scored (minimum score - 10). Consecutive
  // unknown nodes are fused into one token. A token whose text is not in the
  // vocabulary becomes <0xNN> byte tokens when byte_fallback is set and all of
  // them exist, and the unknown id otherwise. Without an unknown id such
  // characters are dropped (Hugging Face fails the whole encode instead).
  void Tokenize(std::string_view piece, std::vector<ModelToken>* out) const override;

  std::optional<uint32_t> TokenToId(std::string_view token) const override;
  const std::string* IdToToken(uint32_t id) const override;
  size_t vocab_size() const override { return vocab_.size(); }
  std::vector<std::pair<std::string, uint32_t>> GetVocab() const override;
  std::optional<uint32_t> unk_token_id() const override { return unk_id_; }

  const std::vector<UnigramPiece>& pieces() const { return vocab_; }
  bool byte_fallback() const { return byte_fallback_; }

 private:
  static constexpr uint32_t kNoNode = 0xFFFFFFFF;

  UnigramModel() = default;

  uint32_t Child(uint32_t node, uint8_t byte) const;

  std::vector<UnigramPiece> vocab_;
  // Piece -> id; for a piece listed twice the later id wins, as in Hugging Face.
  StringMap<uint32_t> token_to_id_;
  std::optional<uint32_t> unk_id_;
  bool byte_fallback_ = false;
  double min_score_ = 0;
  std::optional<uint32_t> byte_ids_[256];

  // Byte trie of all pieces: edges keyed by (node << 8 | byte), and for each
  // node the id of the piece ending there (kNoNode when none).
  absl::flat_hash_map<uint64_t, uint32_t> edges_;
  std::vector<uint32_t> node_piece_;
};

// Factory for {"type": "Unigram", "unk_id": n|null, "vocab": [[piece, score],
// ...], "byte_fallback": bool}.
absl::StatusOr<std::unique_ptr<Model>> CreateUnigramModel(const Json& config,
                                                          const JsonLocation& where);

}  // namespace tokforge::internal

#endif  // TOKFORGE_MODELS_UNIGRAM_UNIGRAM_MODEL_H_
