// Added tokens (tokenizer.json "added_tokens") and how they are found in the
// input before the model sees it, with Hugging Face's semantics:
//
// - tokens with normalized=false are matched in the raw text first; tokens
//   with normalized=true are matched, in their normalized spelling, in the
//   normalized text between those matches;
// - at each position the leftmost match wins and, among matches starting
//   there, the longest, whatever the order the tokens were added in;
// - single_word discards a match that touches a word character (\w) on
//   either side, lstrip and rstrip extend a match over the whitespace
//   before and after it.

#ifndef TOKFORGE_ADDED_VOCABULARY_H_
#define TOKFORGE_ADDED_VOCABULARY_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "components.h"
#include "util/strings.h"

namespace tokforge::internal {

// An entry of tokenizer.json's "added_tokens".
struct AddedToken {
  uint32_t id = 0;
  std::string content;
  bool single_word = false;
  bool lstrip = false;
  bool rstrip = false;
  bool normalized = false;
  bool special = false;
};

// A part of the input after added tokens were split off: either text for
// the model or one added token.
struct AddedSplit {
  NormalizedString text;
  std::optional<uint32_t> token_index;  // index into AddedVocabulary::tokens()
};

class AddedVocabulary {
 public:
  // Reads "added_tokens"; `normalizer` (may be null) gives the spelling that
  // tokens with normalized=true are matched in.
  //
  // Ids are assigned as Hugging Face tokenizers 0.23 does when it loads a
  // file, which ignores the "id" fields: a token already in the model keeps
  // the model's id, a repeated content keeps its first id, and any other
  // token gets the model's vocab_size, or one past the largest added id once
  // that is at or beyond vocab_size.
  static absl::StatusOr<AddedVocabulary> Create(const Json& list, const JsonLocation& where,
                                                const Normalizer* normalizer, const Model& model);

  // Splits `input` around added tokens and normalizes the other parts.
  void Split(const NormalizedString& input, const Normalizer* normalizer,
             std::vector<AddedSplit>* out) const;

  // True when some token matched on the original text, or on the normalized
  // text, occurs in `text`. When neither does, Split leaves the text whole.
  bool OccursInOriginal(std::string_view text) const { return Occurs(raw_, text); }
  bool OccursInNormalized(std::string_view text) const { return Occurs(normalized_, text); }

  const std::vector<AddedToken>& tokens() const { return tokens_; }
  const AddedToken* FindById(uint32_t id) const;
  std::optional<uint32_t> FindByContent(std::string_view content) const;
  bool empty() const { return tokens_.empty(); }

 private:
  // Leftmost-longest matcher over a set of patterns.
  struct Matcher {
    std::vector<std::string> patterns;
    std::vector<size_t> token_indices;  // token of each pattern
    // Patterns by first byte, longest first.
    std::array<std::vector<size_t>, 256> by_first_byte;
    int distinct_first_bytes = 0;
    uint8_t first_byte = 0;  // the first byte of every pattern, when there is only one

    void Add(std::string pattern, size_t token_index);
    bool empty() const { return patterns.empty(); }
  };

  void SplitWith(const Matcher& matcher, const NormalizedString& text,
                 std::vector<AddedSplit>* out) const;
  static bool Occurs(const Matcher& matcher, std::string_view text);

  std::vector<AddedToken> tokens_;
  StringMap<uint32_t> ids_by_content_;
  absl::flat_hash_map<uint32_t, size_t> index_by_id_;
  Matcher raw_;
  Matcher normalized_;
};

}  // namespace tokforge::internal

#endif  // TOKFORGE_ADDED_VOCABULARY_H_
