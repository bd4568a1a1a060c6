// The components behind a Tokenizer. Internal: not part of the public API.

#ifndef TOKFORGE_PIPELINE_H_
#define TOKFORGE_PIPELINE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "models/bpe/bpe_model.h"
#include "util/strings.h"
#include "tokforge/tokenizer.h"

namespace tokforge::internal {

using Json = nlohmann::json;

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

  std::optional<uint32_t> TokenToId(std::string_view token) const;
  const std::string* IdToToken(uint32_t id) const;
  size_t vocab_size(bool with_added_tokens) const;

  const Json& document() const { return document_; }
  const BpeModel& model() const { return model_; }
  const std::vector<AddedToken>& added_tokens() const { return added_tokens_; }

 private:
  Pipeline() = default;

  // Splits off added tokens, then pre-tokenizes and encodes the text between.
  void EncodeSegment(std::string_view text, size_t base_offset, std::vector<uint32_t>* ids,
                     Encoding* encoding) const;

  Json document_;
  BpeModel model_;
  std::vector<AddedToken> added_tokens_;
  StringMap<uint32_t> added_ids_;
  absl::flat_hash_map<uint32_t, size_t> added_by_id_;  // id -> index in added_tokens_
  bool add_prefix_space_ = false;
  bool use_regex_ = true;
};

}  // namespace tokforge::internal

#endif  // TOKFORGE_PIPELINE_H_
