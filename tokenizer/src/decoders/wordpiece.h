// The WordPiece and CTC decoders, as Hugging Face tokenizers defines them.

#ifndef TOKFORGE_DECODERS_WORDPIECE_H_
#define TOKFORGE_DECODERS_WORDPIECE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "components.h"

namespace tokforge::internal {

// Joins tokens with spaces, except that a token starting with `prefix` is
// glued to the previous one with the prefix removed. With `cleanup`, removes
// the space before punctuation and in English contractions (" ." -> ".",
// " n't" -> "n't", ...).
class WordPieceDecoder : public Decoder {
 public:
  WordPieceDecoder(std::string prefix, bool cleanup)
      : prefix_(std::move(prefix)), cleanup_(cleanup) {}
  void DecodeChain(std::vector<std::string>* tokens) const override;

 private:
  std::string prefix_;
  bool cleanup_;
};

// Connectionist temporal classification output: collapses repeated tokens,
// removes the pad token and, with `cleanup`, applies WordPiece's cleanup and
// turns the word delimiter into a space.
class CtcDecoder : public Decoder {
 public:
  CtcDecoder(std::string pad_token, std::string word_delimiter_token, bool cleanup)
      : pad_token_(std::move(pad_token)),
        word_delimiter_token_(std::move(word_delimiter_token)),
        cleanup_(cleanup) {}
  void DecodeChain(std::vector<std::string>* tokens) const override;

 private:
  std::string pad_token_;
  std::string word_delimiter_token_;
  bool cleanup_;
};

// The cleanup of Hugging Face's WordPiece decoder.
std::string WordPieceCleanup(std::string text);

absl::StatusOr<std::unique_ptr<Decoder>> CreateWordPieceDecoder(const Json& config,
                                                                const JsonLocation& where);
absl::StatusOr<std::unique_ptr<Decoder>> CreateCtcDecoder(const Json& config,
                                                          const JsonLocation& where);

}  // namespace tokforge::internal

#endif  // TOKFORGE_DECODERS_WORDPIECE_H_
