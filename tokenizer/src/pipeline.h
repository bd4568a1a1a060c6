// The components behind a Tokenizer. Internal: not part of the public API.

#ifndef TOKFORGE_PIPELINE_H_
#define TOKFORGE_PIPELINE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "added_vocabulary.h"
#include "components.h"
#include "tokforge/tokenizer.h"

namespace tokforge {
class BpeModel;
}  // namespace tokforge

namespace tokforge::internal {

class Pipeline {
 public:
  // Builds the pipeline described by a parsed tokenizer.json. `source` names
  // the file in error messages.
  static absl::StatusOr<std::shared_ptr<const Pipeline>> Create(Json document,
                                                                std::string_view source);

  // Encodes `text`, appending ids (and, when `encoding` is not null, tokens,
  // offsets and the special-token mask) to the outputs.
  void Encode(std::string_view text, bool add_special_tokens, std::vector<uint32_t>* ids,
              Encoding* encoding) const;
  std::string Decode(const uint32_t* ids, size_t count, bool skip_special_tokens) const;
  // True when Encode without `encoding` only appends to `ids`, so that the
  // ids of many texts may go into one vector. Otherwise the post-processor
  // rewrites the whole vector, and each text needs a vector of its own.
  bool EncodeOnlyAppends(bool add_special_tokens) const {
    return post_processor_ == nullptr || !post_processor_->ChangesIds(add_special_tokens);
  }

  std::optional<uint32_t> TokenToId(std::string_view token) const;
  const std::string* IdToToken(uint32_t id) const;
  size_t vocab_size(bool with_added_tokens) const;

  const Json& document() const { return document_; }
  const Model& model() const { return *model_; }
  const std::vector<AddedToken>& added_tokens() const { return added_.tokens(); }

 private:
  Pipeline() = default;

  // Appends the model tokens of one piece of text between added tokens.
  void EncodeText(const NormalizedString& text, Encoding* encoding, bool with_details) const;
  // EncodeText for ids only, through the pre-tokenizer's SplitText.
  void EncodeTextIds(std::string_view text, std::vector<uint32_t>* ids) const;
  // Ids only, for byte-level BPE pipelines without a normalizer: splits the
  // raw text and encodes raw bytes, skipping the spelled pieces and their
  // alignment. Gives the same ids as the general path.
  void EncodeIdsFast(std::string_view text, bool add_special_tokens,
                     std::vector<uint32_t>* ids) const;
  // True when some added token's content occurs in `text`. Without a
  // normalizer, no occurrence means the added-token split is a no-op.
  bool ContainsAddedToken(std::string_view text) const;

  Json document_;
  std::unique_ptr<Normalizer> normalizer_;
  std::unique_ptr<PreTokenizer> pre_tokenizer_;
  std::unique_ptr<Model> model_;
  std::unique_ptr<PostProcessor> post_processor_;
  std::unique_ptr<Decoder> decoder_;
  AddedVocabulary added_;
  // Set when EncodeIdsFast applies: splits raw text (between added tokens)
  // with `fast_split_` and appends the ids of its pieces.
  using RawEncoder = void (*)(const BpeModel& model, const Regex* split, std::string_view text,
                              std::vector<uint32_t>* ids);
  // True when the normalizer and the pre-tokenizer both have a plain-text
  // path, so that ids-only encoding can skip aligned strings throughout.
  bool plain_ids_path_ = false;
  const BpeModel* fast_model_ = nullptr;
  const Regex* fast_split_ = nullptr;  // null when the pre-tokenizer does not split
  RawEncoder encode_raw_ = nullptr;
};

}  // namespace tokforge::internal

#endif  // TOKFORGE_PIPELINE_H_
