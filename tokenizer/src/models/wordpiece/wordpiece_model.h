// Hugging Face's WordPiece model (BERT) and WordLevel model.

#ifndef TOKFORGE_MODELS_WORDPIECE_WORDPIECE_MODEL_H_
#define TOKFORGE_MODELS_WORDPIECE_WORDPIECE_MODEL_H_

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

// A token -> id vocabulary with its reverse map, shared by WordPiece and
// WordLevel.
class VocabMap {
 public:
  // Fails on an id listed for two tokens.
  static absl::StatusOr<VocabMap> FromJson(const Json& vocab, const JsonLocation& where);

  std::optional<uint32_t> Find(std::string_view token) const;
  const std::string* Token(uint32_t id) const;
  size_t size() const { return token_to_id_.size(); }
  std::vector<std::pair<std::string, uint32_t>> Entries() const;

 private:
  StringMap<uint32_t> token_to_id_;
  absl::flat_hash_map<uint32_t, std::string> id_to_token_;
};

// Greedy longest-match-first segmentation of each word. Pieces after the
// first carry continuing_subword_prefix. A word longer than
// max_input_chars_per_word characters, or one with any part that matches no
// piece, becomes a single unknown token spanning the word.
class WordPieceModel : public Model {
 public:
  struct Options {
    std::string unk_token = "[UNK]";
    std::string continuing_subword_prefix = "##";
    size_t max_input_chars_per_word = 100;
  };

  WordPieceModel(VocabMap vocab, Options options);

  std::string_view type() const override { return "WordPiece"; }
  // Without the unknown token in the vocabulary an unknown word is dropped
  // (Hugging Face fails the encode instead).
  void Tokenize(std::string_view piece, std::vector<ModelToken>* out) const override;
  std::optional<uint32_t> TokenToId(std::string_view token) const override {
    return vocab_.Find(token);
  }
  const std::string* IdToToken(uint32_t id) const override { return vocab_.Token(id); }
  size_t vocab_size() const override { return vocab_.size(); }
  std::vector<std::pair<std::string, uint32_t>> GetVocab() const override {
    return vocab_.Entries();
  }
  std::optional<uint32_t> unk_token_id() const override { return unk_id_; }

  const Options& options() const { return options_; }

 private:
  VocabMap vocab_;
  Options options_;
  std::optional<uint32_t> unk_id_;
};

// Maps each whole word to its id, or to unk_token when absent.
class WordLevelModel : public Model {
 public:
  WordLevelModel(VocabMap vocab, std::string unk_token);

  std::string_view type() const override { return "WordLevel"; }
  void Tokenize(std::string_view piece, std::vector<ModelToken>* out) const override;
  std::optional<uint32_t> TokenToId(std::string_view token) const override {
    return vocab_.Find(token);
  }
  const std::string* IdToToken(uint32_t id) const override { return vocab_.Token(id); }
  size_t vocab_size() const override { return vocab_.size(); }
  std::vector<std::pair<std::string, uint32_t>> GetVocab() const override {
    return vocab_.Entries();
  }
  std::optional<uint32_t> unk_token_id() const override { return unk_id_; }

 private:
  VocabMap vocab_;
  std::string unk_token_;
  std::optional<uint32_t> unk_id_;
};

absl::StatusOr<std::unique_ptr<Model>> CreateWordPieceModel(const Json& config,
                                                            const JsonLocation& where);
absl::StatusOr<std::unique_ptr<Model>> CreateWordLevelModel(const Json& config,
                                                            const JsonLocation& where);

}  // namespace tokforge::internal

#endif  // TOKFORGE_MODELS_WORDPIECE_WORDPIECE_MODEL_H_
