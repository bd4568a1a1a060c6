// A tokenizer loaded from, or saved as, a Hugging Face tokenizer.json.

#ifndef TOKFORGE_TOKENIZER_H_
#define TOKFORGE_TOKENIZER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace tokforge {

// The result of encoding one sequence.
struct Encoding {
  std::vector<uint32_t> ids;
  std::vector<std::string> tokens;
  // Byte offsets [begin, end) of each token in the input text. Tokens added by
  // the post-processor get (0, 0).
  std::vector<std::pair<size_t, size_t>> offsets;
  // 1 for the special tokens that the post-processor added, else 0. Special
  // tokens found in the text get 0, as in Hugging Face tokenizers.
  std::vector<uint8_t> special_tokens_mask;
};

// The ids of many texts in one array, as a ragged array: the ids of text i
// are ids[offsets[i]] up to ids[offsets[i + 1]].
struct IdBatch {
  std::vector<uint32_t> ids;
  // One entry per text plus a final one equal to ids.size().
  std::vector<size_t> offsets{0};

  size_t size() const { return offsets.size() - 1; }
  absl::Span<const uint32_t> operator[](size_t i) const {
    return absl::MakeConstSpan(ids.data() + offsets[i], offsets[i + 1] - offsets[i]);
  }
};

namespace internal {
class Pipeline;
}  // namespace internal

// A normalizer, pre-tokenizer, model, post-processor and decoder, as in
// Hugging Face tokenizers. Immutable after loading, so one Tokenizer can be
// used from many threads at once.
class Tokenizer {
 public:
  // Loads a tokenizer.json. Errors name the file and the JSON path of the
  // offending value. A path ending in ".tiktoken" is read by FromTiktoken,
  // and a file named "vocab.json" with a "merges.txt" beside it by
  // FromVocabAndMerges.
  static absl::StatusOr<Tokenizer> FromFile(const std::string& path);
  // Loads GPT-2's vocab.json + merges.txt pair as a byte-level BPE tokenizer.
  static absl::StatusOr<Tokenizer> FromVocabAndMerges(const std::string& vocab_path,
                                                      const std::string& merges_path);
  // Loads a tiktoken rank file; its file name must name the encoding
  // (r50k_base, p50k_base, cl100k_base or o200k_base), which gives the split
  // pattern and the special tokens.
  static absl::StatusOr<Tokenizer> FromTiktoken(const std::string& path);
  // Loads tokenizer.json text; `source` names it in error messages.
  static absl::StatusOr<Tokenizer> FromJson(std::string_view json,
                                            std::string_view source = "<string>");

  Tokenizer(Tokenizer&&) noexcept;
  Tokenizer& operator=(Tokenizer&&) noexcept;
  Tokenizer(const Tokenizer&);
  Tokenizer& operator=(const Tokenizer&);
  ~Tokenizer();

  // Encodes `text`. With add_special_tokens, the post-processor adds its
  // special tokens (BOS/EOS, [CLS]/[SEP], ...).
  Encoding Encode(std::string_view text, bool add_special_tokens = true) const;
  // Like Encode but returns only the ids, without building tokens and offsets.
  std::vector<uint32_t> EncodeIds(std::string_view text, bool add_special_tokens = true) const;
  // Encodes many texts on `threads` threads (0 = all cores).
  std::vector<std::vector<uint32_t>> EncodeBatchIds(absl::Span<const std::string_view> texts,
                                                    bool add_special_tokens = true,
                                                    int threads = 0) const;

  // Encodes like EncodeBatchIds, but into one array (see IdBatch). This is
  // the fast way to encode a corpus, because it allocates nothing per text.
  IdBatch EncodeBatchIdsFlat(absl::Span<const std::string_view> texts,
                             bool add_special_tokens = true, int threads = 0) const;

  // Turns ids back into text through the decoder. The result is raw bytes:
  // a byte-level tokenizer returns exactly the bytes it encoded, even when
  // they are not valid UTF-8. Unknown ids are skipped.
  std::string Decode(absl::Span<const uint32_t> ids, bool skip_special_tokens = false) const;

  // Returns true when any byte sequence, valid UTF-8 or not, encodes
  // without loss: the tokenizer has a ByteLevel normalizer or pre-tokenizer,
  // or a model with byte_fallback. Other tokenizers turn invalid UTF-8 into
  // unknown tokens.
  bool EncodesAnyBytes() const;

  std::optional<uint32_t> TokenToId(std::string_view token) const;
  std::optional<std::string> IdToToken(uint32_t id) const;
  // Id of the model's unknown token, when the model has one.
  std::optional<uint32_t> unk_token_id() const;
  // Number of ids: the model's vocabulary plus added tokens outside it.
  size_t vocab_size(bool with_added_tokens = true) const;
  // token -> id for the model vocabulary and, optionally, the added tokens.
  std::vector<std::pair<std::string, uint32_t>> GetVocab(bool with_added_tokens = true) const;

  // Serializes as tokenizer.json in Hugging Face's field order.
  std::string ToJson(bool pretty = true) const;
  // Writes ToJson() to `path` atomically.
  absl::Status Save(const std::string& path, bool pretty = true) const;

  const internal::Pipeline& pipeline() const { return *pipeline_; }

 private:
  explicit Tokenizer(std::shared_ptr<const internal::Pipeline> pipeline);

  std::shared_ptr<const internal::Pipeline> pipeline_;
};

}  // namespace tokforge

#endif  // TOKFORGE_TOKENIZER_H_
