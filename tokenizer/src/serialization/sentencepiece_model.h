// Reading SentencePiece .model files (a serialized sentencepiece.ModelProto)
// and converting Unigram models to the tokenizer.json document that Hugging
// Face's converters (transformers' SpmConverter / T5Converter) build.

#ifndef TOKFORGE_SERIALIZATION_SENTENCEPIECE_MODEL_H_
#define TOKFORGE_SERIALIZATION_SENTENCEPIECE_MODEL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"

namespace tokforge::internal {

// The fields of sentencepiece_model.proto that tokenization depends on.
// Defaults are the proto defaults.
struct SentencePieceModel {
  // ModelProto.SentencePiece.Type.
  enum class PieceType : int32_t {
    kNormal = 1,
    kUnknown = 2,
    kControl = 3,
    kUserDefined = 4,
    kUnused = 5,
    kByte = 6,
  };
  // TrainerSpec.ModelType.
  enum class ModelType : int32_t { kUnigram = 1, kBpe = 2, kWord = 3, kChar = 4 };

  struct Piece {
    std::string piece;
    float score = 0;
    PieceType type = PieceType::kNormal;
  };

  std::vector<Piece> pieces;

  // TrainerSpec.
  ModelType model_type = ModelType::kUnigram;
  int32_t unk_id = 0;
  int32_t bos_id = 1;
  int32_t eos_id = 2;
  int32_t pad_id = -1;
  bool byte_fallback = false;
  bool treat_whitespace_as_suffix = false;

  // NormalizerSpec.
  std::string normalizer_name;
  std::string precompiled_charsmap;  // raw bytes, possibly empty
  bool add_dummy_prefix = true;
  bool remove_extra_whitespaces = true;
  bool escape_whitespaces = true;
};

// Parses a serialized ModelProto. Unknown fields are skipped; errors name the
// byte offset and the message being read.
absl::StatusOr<SentencePieceModel> ParseSentencePieceModel(std::string_view bytes);

struct SentencePieceConversionOptions {
  // Number of T5 sentinel tokens "<extra_id_N>" appended after the pieces,
  // highest N first, as T5Tokenizer's extra_ids does (100 for T5).
  int extra_ids = 0;
};

// Builds the tokenizer.json document for a Unigram model, shaped like the one
// transformers' T5Converter writes: Precompiled normalizer (when there is a
// charsmap), WhitespaceSplit + Metaspace pre-tokenizer, Unigram model,
// "$A </s>" template when the model has an end-of-sequence control piece,
// Metaspace decoder. Control and unknown pieces, and the extra ids, become
// special added tokens; user-defined pieces become non-special added tokens.
// Fails for BPE, WORD and CHAR models.
absl::StatusOr<nlohmann::json> SentencePieceToTokenizerJson(
    const SentencePieceModel& model, const SentencePieceConversionOptions& options);

// Converts the .model file at `path`, whose bytes are `contents`, to a
// tokenizer.json document. The number of T5 extra ids comes from "extra_ids"
// in a tokenizer_config.json beside the file, when there is one (transformers
// keeps it there, not in the .model). Errors name the path.
absl::StatusOr<nlohmann::json> SentencePieceFileToTokenizerJson(const std::string& path,
                                                                std::string_view contents);

// Returns true when `bytes` looks like a serialized ModelProto rather than
// JSON: it starts with the tag of field 1 (pieces) as a length-delimited
// field, and its first non-whitespace byte is not '{'.
bool LooksLikeSentencePieceModel(std::string_view bytes);

}  // namespace tokforge::internal

#endif  // TOKFORGE_SERIALIZATION_SENTENCEPIECE_MODEL_H_
