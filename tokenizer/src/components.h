// Interfaces of the pipeline components that a tokenizer.json describes:
//
//   text -> Normalizer -> PreTokenizer -> Model -> PostProcessor -> Encoding
//                                         Decoder <- ids
//
// Each concrete component lives in its own file pair under normalizers/,
// pretokenizers/, models/, processors/ or decoders/, and is created from its
// JSON object by a factory function. The factories are listed by their
// tokenizer.json "type" in component_registry.cc (the library is a static
// archive, so self-registering static objects would be dropped by the
// linker). To add a component: implement the interface, declare its factory
// in the component's header, and add one line to the matching table there.
//
// All components are immutable after construction and must be safe to call
// from many threads at once.

#ifndef TOKFORGE_COMPONENTS_H_
#define TOKFORGE_COMPONENTS_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tokforge/tokenizer.h"
#include "util/thread_cache.h"

namespace tokforge {
class Regex;
}  // namespace tokforge

namespace tokforge::internal {

using Json = nlohmann::json;

// The location of a JSON value in a tokenizer.json, for error messages of the form
// "<source>: <path>: <problem>", for example
// "tok.json: normalizer.normalizers[2].pattern: expected a string, found 3".
struct JsonLocation {
  std::string source;  // file name, or "<string>"
  std::string path;    // dotted path with [index] for array elements

  JsonLocation Child(std::string_view key) const;
  JsonLocation Index(size_t index) const;
  // Returns InvalidArgumentError naming this location.
  absl::Status Error(std::string_view problem) const;
};

// ---------------------------------------------------------------------------
// Normalization with alignment.

// Text being normalized, with the original byte range that every byte of the
// current text comes from, so that token offsets can point into the input.
// Offsets in the alignment are absolute byte offsets in the text given to
// Tokenizer::Encode, not relative to this piece.
class NormalizedString {
 public:
  NormalizedString() = default;
  // Wraps `original`, whose first byte is at byte `original_offset` of the
  // encoded input.
  explicit NormalizedString(std::string_view original, size_t original_offset = 0);

  const std::string& str() const { return text_; }
  size_t size() const { return text_.size(); }
  bool empty() const { return text_.empty(); }

  // Original byte range [begin, end) covered by current bytes [begin, end).
  // An empty current range maps to an empty original range at that position.
  std::pair<size_t, size_t> ToOriginal(size_t begin, size_t end) const;
  // Original byte range covered by the whole current text.
  std::pair<size_t, size_t> OriginalSpan() const { return ToOriginal(0, text_.size()); }

  // Current bytes [begin, end) as a new NormalizedString with their alignment.
  NormalizedString Slice(size_t begin, size_t end) const;

 private:
  friend class NormalizedStringBuilder;

  std::string text_;
  // One entry per byte of text_: the original range that byte comes from.
  std::vector<std::pair<uint32_t, uint32_t>> alignment_;
  // Original position of an empty text, used by ToOriginal on empty strings.
  uint32_t empty_position_ = 0;
};

// Builds the next version of a NormalizedString piece by piece. Each Append
// names the bytes of the source's current text that produced its output, so
// replacements, deletions (Append("", b, e) or simply skipping bytes) and
// insertions (begin == end) all keep the alignment.
class NormalizedStringBuilder {
 public:
  explicit NormalizedStringBuilder(const NormalizedString& source);

  // Appends `output`, produced from source bytes [begin, end). Every output
  // byte gets the original range of those source bytes; an insertion
  // (begin == end) gets the empty original range at that position.
  void Append(std::string_view output, size_t begin, size_t end);
  // Appends source bytes [begin, end) unchanged.
  void Copy(size_t begin, size_t end);

  NormalizedString Finish() &&;

 private:
  const NormalizedString& source_;
  NormalizedString result_;
};

class Normalizer {
 public:
  virtual ~Normalizer() = default;
  // Rewrites `text` in place, keeping its alignment to the original.
  virtual void Normalize(NormalizedString* text) const = 0;
  // Normalization for ids only: rewrites plain text as Normalize rewrites
  // the text of a NormalizedString. Available when HasPlainNormalize() is true.
  virtual bool HasPlainNormalize() const { return false; }
  virtual void NormalizePlain(std::string* /*text*/) const {}
};

// ---------------------------------------------------------------------------
// Pre-tokenization.

class PreTokenizer {
 public:
  virtual ~PreTokenizer() = default;
  // Splits one piece into sub-pieces appended to `out`, in order. A
  // pre-tokenizer may also rewrite the text of the pieces (ByteLevel maps
  // bytes to its alphabet, Metaspace replaces spaces). Pieces whose original
  // span starts at 0 are at the start of the input, which Metaspace's
  // prepend_scheme "first" depends on.
  virtual void PreTokenize(const NormalizedString& piece,
                           std::vector<NormalizedString>* out) const = 0;

  // Pre-tokenization for ids only: appends the texts of the pieces that
  // PreTokenize would give for `text`, as views of `text` or of strings that
  // it adds to `arena` (a deque, so earlier strings never move). Available
  // when HasTextSplit() is true, which needs pieces that do not depend on
  // where the text sits in the input.
  virtual bool HasTextSplit() const { return false; }
  virtual void SplitText(std::string_view /*text*/, std::vector<std::string_view>* /*pieces*/,
                         std::deque<std::string>* /*arena*/) const {}

  // Returns true when, on any text, this pre-tokenizer is the same as
  // isolating the matches of one regex (`*split`; null when the whole text
  // is one piece) and then spelling every byte in the GPT-2 byte alphabet,
  // with no prefix space. The pipeline then encodes raw bytes directly.
  virtual bool ByteLevelSplit(const Regex** /*split*/) const { return false; }
};

// ---------------------------------------------------------------------------
// Models.

// One token produced by a model: its id and the byte range [begin, end) of
// the piece text it covers. Tokens of one piece are in order, and ranges may
// be empty (a byte-fallback token for the second byte of a character, say,
// shares the character's range).
struct ModelToken {
  uint32_t id;
  uint32_t begin;
  uint32_t end;
};

class Model {
 public:
  virtual ~Model() = default;

  // The tokenizer.json model "type": "BPE", "Unigram", "WordPiece", ...
  virtual std::string_view type() const = 0;
  // Appends the tokens of one pre-tokenized, normalized piece to `out`.
  // Implementations must depend on the piece alone, so that TokenizeCached
  // may return earlier results.
  virtual void Tokenize(std::string_view piece, std::vector<ModelToken>* out) const = 0;
  // Same as Tokenize, through a per-thread cache of recent pieces: words
  // repeat, and a cache lookup costs less than a Viterbi search or a merge loop.
  void TokenizeCached(std::string_view piece, std::vector<ModelToken>* out) const;

  virtual std::optional<uint32_t> TokenToId(std::string_view token) const = 0;
  // Token of `id`, or null when the model has no such id.
  virtual const std::string* IdToToken(uint32_t id) const = 0;
  // Number of entries in the model's vocabulary.
  virtual size_t vocab_size() const = 0;
  // token -> id for the whole vocabulary, in no particular order.
  virtual std::vector<std::pair<std::string, uint32_t>> GetVocab() const = 0;
  virtual std::optional<uint32_t> unk_token_id() const { return std::nullopt; }

 protected:
  // Finds this model's per-thread caches (util/thread_cache.h).
  uint64_t cache_key() const { return cache_key_; }

 private:
  const uint64_t cache_key_ = NewThreadCacheKey();
};

// ---------------------------------------------------------------------------
// Post-processing and decoding.

class PostProcessor {
 public:
  virtual ~PostProcessor() = default;
  // Finishes the encoding of one sequence. It adds special tokens when
  // `add_special_tokens` is true (with offsets (0, 0) and special_tokens_mask
  // 1) and may adjust offsets. When `with_details` is false, only
  // encoding->ids is filled and must stay the only filled field.
  virtual void Process(Encoding* encoding, bool add_special_tokens, bool with_details) const = 0;
  // False when Process leaves the ids alone for this `add_special_tokens`,
  // so that ids of several sequences may share one vector.
  virtual bool ChangesIds(bool /*add_special_tokens*/) const { return true; }
};

class Decoder {
 public:
  virtual ~Decoder() = default;
  // Rewrites the token strings in place (Hugging Face's decode_chain); the
  // decoded text is their concatenation.
  virtual void DecodeChain(std::vector<std::string>* tokens) const = 0;
};

// ---------------------------------------------------------------------------
// Creating components from tokenizer.json.

// Each factory receives the component's JSON object (already checked to be an
// object with a string "type") and its location for error messages.
template <typename Component>
using ComponentFactory = absl::StatusOr<std::unique_ptr<Component>> (*)(const Json& config,
                                                                        const JsonLocation& where);

// Creates the component described by `config` by looking up its "type" in the
// registry. Errors name the location and the unknown type. Sequence
// components call these for their children.
absl::StatusOr<std::unique_ptr<Normalizer>> CreateNormalizer(const Json& config,
                                                             const JsonLocation& where);
absl::StatusOr<std::unique_ptr<PreTokenizer>> CreatePreTokenizer(const Json& config,
                                                                 const JsonLocation& where);
absl::StatusOr<std::unique_ptr<Model>> CreateModel(const Json& config, const JsonLocation& where);
absl::StatusOr<std::unique_ptr<PostProcessor>> CreatePostProcessor(const Json& config,
                                                                   const JsonLocation& where);
absl::StatusOr<std::unique_ptr<Decoder>> CreateDecoder(const Json& config,
                                                       const JsonLocation& where);

// ---------------------------------------------------------------------------
// Typed field readers for factories. Each returns an error naming
// where.Child(key) and the expected type when the field has the wrong type.

// An optional boolean: absent or null gives `fallback`.
absl::StatusOr<bool> ReadBool(const Json& object, const char* key, bool fallback,
                              const JsonLocation& where);
// A required string.
absl::StatusOr<std::string> ReadString(const Json& object, const char* key,
                                       const JsonLocation& where);
// An optional string: absent or null gives nullopt.
absl::StatusOr<std::optional<std::string>> ReadOptionalString(const Json& object, const char* key,
                                                              const JsonLocation& where);
// A required unsigned integer no larger than `max`.
absl::StatusOr<uint64_t> ReadUnsigned(const Json& object, const char* key, uint64_t max,
                                      const JsonLocation& where);
// A required array.
absl::StatusOr<const Json*> ReadArray(const Json& object, const char* key,
                                      const JsonLocation& where);

}  // namespace tokforge::internal

#endif  // TOKFORGE_COMPONENTS_H_
