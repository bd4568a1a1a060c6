// The BPE model: vocabulary, ranked merges, and the merge loop of encoding,
// with the options of Hugging Face's BPE (unk_token, fuse_unk, byte_fallback,
// continuing_subword_prefix, end_of_word_suffix, ignore_merges).

#ifndef TOKFORGE_MODELS_BPE_BPE_MODEL_H_
#define TOKFORGE_MODELS_BPE_BPE_MODEL_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "components.h"
#include "models/bpe/lookup_tables.h"
#include "util/strings.h"

namespace tokforge {

struct BpeMergeRule {
  std::string left;
  std::string right;
};

class BpeModel : public internal::Model {
 public:
  struct Options {
    std::optional<std::string> unk_token;
    std::string continuing_subword_prefix;  // added to every symbol but the first of a piece
    std::string end_of_word_suffix;         // added to the last symbol of a piece
    bool fuse_unk = false;                  // consecutive unknown characters give one unk
    bool byte_fallback = false;             // unknown characters become <0xNN> byte tokens
    bool ignore_merges = false;             // a piece found whole in the vocabulary is one token
  };

  // Builds the model. Errors (a merge naming a token missing from the
  // vocabulary, duplicate ids, an unk_token outside the vocabulary) name the
  // offending JSON path relative to the model object.
  static absl::StatusOr<std::unique_ptr<BpeModel>> Create(
      std::vector<std::pair<std::string, uint32_t>> vocab,
      const std::vector<BpeMergeRule>& merges, Options options);

  std::string_view type() const override { return "BPE"; }
  // Characters are UTF-8 scalar values of `piece`; an invalid byte counts as
  // one character. A character without a token becomes byte-fallback tokens,
  // else the unk token, else is dropped, as Hugging Face does.
  void Tokenize(std::string_view piece, std::vector<internal::ModelToken>* out) const override;

  std::optional<uint32_t> TokenToId(std::string_view token) const override;
  const std::string* IdToToken(uint32_t id) const override;
  size_t vocab_size() const override { return ids_.size(); }
  std::vector<std::pair<std::string, uint32_t>> GetVocab() const override;
  std::optional<uint32_t> unk_token_id() const override { return unk_id_; }

  const Options& options() const { return options_; }

  // True when every byte has a one-character token of the GPT-2 byte
  // alphabet and no prefix or suffix applies, so that EncodeBytes may take
  // raw bytes in place of their byte-level spelling.
  bool accepts_raw_bytes() const { return accepts_raw_bytes_; }
  // Appends the ids of one piece given as raw bytes; the same ids as
  // Tokenize on the piece's byte-level spelling. Requires accepts_raw_bytes().
  void EncodeBytes(std::string_view piece, std::vector<uint32_t>* ids) const {
    const uint32_t id = whole_tokens_.Find(piece);
    if (id != bpe_internal::TokenBytesTable::kNotFound) {
      ids->push_back(id);
      return;
    }
    EncodeBytesSlow(piece, ids);
  }

 private:

  // Appends the tokens of piece[begin, end) with offsets relative to the piece.
  void TokenizeSegment(std::string_view piece, size_t begin, size_t end,
                       std::vector<internal::ModelToken>* out) const;
  // Tokenize may cut a piece into parts and encode them alone where no token
  // could span the cut: between two characters that no token has side by
  // side, since a merge result spanning the cut would have them. Whole
  // sentences reach the model as one piece in SentencePiece-style pipelines
  // (Llama 2, Mistral), where the parts repeat far more than the sentences.
  // Two kinds of cuts are checked, because they are cheap to find:
  // - before each "▁" (U+2581, SentencePiece's word marker) that follows
  //   another character, when no token has "▁" after another character;
  // - between ASCII characters a and b when no token has "ab", and fused
  //   unknown characters cannot span it.
  void PrepareCuts();
  bool IsCut(std::string_view piece, size_t pos) const;
  bool cut_at_word_marker_ = false;
  bool cut_ascii_pairs_ = false;
  std::vector<bool> ascii_pair_cuts_;  // [a * 128 + b]

  // Id of the token for `text` with the prefix and suffix that its position
  // in the piece requires, or nullopt.
  std::optional<uint32_t> SymbolId(std::string_view text, bool first, bool last) const;

  Options options_;
  std::vector<std::string> tokens_;  // by id; empty string for unused ids
  std::vector<bool> has_token_;      // by id
  StringMap<uint32_t> ids_;
  bpe_internal::MergeTable merges_;
  std::optional<uint32_t> unk_id_;
  std::array<int64_t, 256> byte_fallback_ids_;  // id of "<0xNN>", or -1
  std::array<int64_t, 256> char_ids_;           // id of each one-byte token, or -1

  // Raw-byte encoding (EncodeBytes).
  void PrepareRawBytes();
  // True when BPE on `bytes`, the raw bytes of token `id`, gives that token
  // alone. Usually so, but a vocabulary may hold tokens that its merges never
  // build, and encoding must not emit them.
  bool MergesToItself(uint32_t id, std::string_view bytes) const;
  void EncodeBytesSlow(std::string_view piece, std::vector<uint32_t>* ids) const;
  // Merges the symbols [begin, end) in place and returns the new end.
  uint32_t* MergeShort(uint32_t* begin, uint32_t* end) const;
  void MergeLong(std::vector<uint32_t>* symbols) const;
  // Replaces `symbols` with the merged ids of raw `bytes`.
  void MergeBytes(std::string_view bytes, std::vector<uint32_t>* symbols) const;

  bool accepts_raw_bytes_ = false;
  std::array<uint32_t, 256> byte_symbol_ids_{};  // id of each byte's alphabet character
  // Raw bytes -> id of every token that a piece of those bytes encodes to:
  // all tokens under ignore_merges, else those that MergesToItself.
  bpe_internal::TokenBytesTable whole_tokens_;
  StringMap<uint32_t> raw_ids_;  // every token, for ignore_merges when whole_tokens_ is incomplete
};

// Creates a BpeModel from its tokenizer.json "model" object.
absl::StatusOr<std::unique_ptr<internal::Model>> CreateBpeModel(
    const internal::Json& config, const internal::JsonLocation& where);

}  // namespace tokforge

#endif  // TOKFORGE_MODELS_BPE_BPE_MODEL_H_
