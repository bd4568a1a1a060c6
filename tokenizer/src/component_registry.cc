// The tables that map each tokenizer.json "type" to its component factory.

#include <string_view>

#include "absl/strings/str_cat.h"
#include "components.h"
#include "decoders/decoders.h"
#include "decoders/wordpiece.h"
#include "models/bpe/bpe_model.h"
#include "models/unigram/unigram_model.h"
#include "models/wordpiece/wordpiece_model.h"
#include "normalizers/bert.h"
#include "normalizers/precompiled.h"
#include "normalizers/simple.h"
#include "normalizers/unicode.h"
#include "pretokenizers/bert.h"
#include "pretokenizers/byte_level.h"
#include "pretokenizers/char_split.h"
#include "pretokenizers/metaspace.h"
#include "pretokenizers/sequence.h"
#include "pretokenizers/split.h"
#include "processors/processors.h"
#include "util/strings.h"

namespace tokforge::internal {
namespace {

template <typename Component>
struct Registration {
  std::string_view type;
  ComponentFactory<Component> factory;
};

// Add one line per component type, kept in alphabetical order.
constexpr Registration<Normalizer> kNormalizers[] = {
    {"BertNormalizer", &CreateBertNormalizer},
    {"Lowercase", &CreateLowercaseNormalizer},
    {"NFC", &CreateNfcNormalizer},
    {"NFD", &CreateNfdNormalizer},
    {"NFKC", &CreateNfkcNormalizer},
    {"NFKD", &CreateNfkdNormalizer},
    {"Nmt", &CreateNmtNormalizer},
    {"Precompiled", &CreatePrecompiledNormalizer},
    {"Prepend", &CreatePrependNormalizer},
    {"Replace", &CreateReplaceNormalizer},
    {"Sequence", &CreateSequenceNormalizer},
    {"Strip", &CreateStripNormalizer},
    {"StripAccents", &CreateStripAccentsNormalizer},
};
constexpr Registration<PreTokenizer> kPreTokenizers[] = {
    {"BertPreTokenizer", &CreateBertPreTokenizer},
    {"ByteLevel", &CreateByteLevelPreTokenizer},
    {"Digits", &CreateDigitsPreTokenizer},
    {"Metaspace", &CreateMetaspacePreTokenizer},
    {"Punctuation", &CreatePunctuationPreTokenizer},
    {"Sequence", &CreateSequencePreTokenizer},
    {"Split", &CreateSplitPreTokenizer},
    {"Whitespace", &CreateWhitespacePreTokenizer},
    {"WhitespaceSplit", &CreateWhitespaceSplitPreTokenizer},
};
constexpr Registration<Model> kModels[] = {
    {"BPE", &CreateBpeModel},
    {"Unigram", &CreateUnigramModel},
    {"WordLevel", &CreateWordLevelModel},
    {"WordPiece", &CreateWordPieceModel},
};
constexpr Registration<PostProcessor> kPostProcessors[] = {
    {"BertProcessing", &CreateBertProcessor},
    {"ByteLevel", &CreateByteLevelProcessor},
    {"RobertaProcessing", &CreateRobertaProcessor},
    {"Sequence", &CreateSequenceProcessor},
    {"TemplateProcessing", &CreateTemplateProcessor},
};
constexpr Registration<Decoder> kDecoders[] = {
    {"ByteFallback", &CreateByteFallbackDecoder},
    {"ByteLevel", &CreateByteLevelDecoder},
    {"CTC", &CreateCtcDecoder},
    {"Fuse", &CreateFuseDecoder},
    {"Metaspace", &CreateMetaspaceDecoder},
    {"Replace", &CreateReplaceDecoder},
    {"Sequence", &CreateSequenceDecoder},
    {"Strip", &CreateStripDecoder},
    {"WordPiece", &CreateWordPieceDecoder},
};

template <typename Component, size_t N>
absl::StatusOr<std::unique_ptr<Component>> Create(const Registration<Component> (&table)[N],
                                                  std::string_view kind, const Json& config,
                                                  const JsonLocation& where) {
  if (!config.is_object()) {
    return where.Error(absl::StrCat("expected a ", ToAbsl(kind), " object, found ", config.dump()));
  }
  const auto type_field = config.find("type");
  if (type_field == config.end() || !type_field->is_string()) {
    return where.Child("type").Error(absl::StrCat("expected the ", ToAbsl(kind), " type as a string"));
  }
  const std::string type = type_field->get<std::string>();
  for (const Registration<Component>& entry : table) {
    if (entry.factory != nullptr && entry.type == type) return entry.factory(config, where);
  }
  std::string known;
  for (const Registration<Component>& entry : table) {
    if (entry.factory == nullptr) continue;
    absl::StrAppend(&known, known.empty() ? "" : ", ", ToAbsl(entry.type));
  }
  return where.Child("type").Error(absl::StrCat("unknown ", ToAbsl(kind), " type \"", type,
                                                "\" (supported: ", known, ")"));
}

}  // namespace

absl::StatusOr<std::unique_ptr<Normalizer>> CreateNormalizer(const Json& config,
                                                             const JsonLocation& where) {
  return Create(kNormalizers, "normalizer", config, where);
}

absl::StatusOr<std::unique_ptr<PreTokenizer>> CreatePreTokenizer(const Json& config,
                                                                 const JsonLocation& where) {
  return Create(kPreTokenizers, "pre-tokenizer", config, where);
}

absl::StatusOr<std::unique_ptr<Model>> CreateModel(const Json& config, const JsonLocation& where) {
  return Create(kModels, "model", config, where);
}

absl::StatusOr<std::unique_ptr<PostProcessor>> CreatePostProcessor(const Json& config,
                                                                   const JsonLocation& where) {
  return Create(kPostProcessors, "post-processor", config, where);
}

absl::StatusOr<std::unique_ptr<Decoder>> CreateDecoder(const Json& config,
                                                       const JsonLocation& where) {
  return Create(kDecoders, "decoder", config, where);
}

}  // namespace tokforge::internal
