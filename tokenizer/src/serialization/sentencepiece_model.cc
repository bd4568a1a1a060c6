#include "serialization/sentencepiece_model.h"

#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "serialization/serde_float.h"
#include "util/strings.h"

namespace tokforge::internal {
namespace {

// Protocol buffer wire types.
enum WireType : uint32_t {
  kVarint = 0,
  kFixed64 = 1,
  kLengthDelimited = 2,
  kFixed32 = 5,
};

// A cursor over one serialized message. `base` is the message's offset in
// the whole file, for error messages.
class WireReader {
 public:
  WireReader(std::string_view bytes, size_t base, std::string_view message)
      : bytes_(bytes), base_(base), message_(message) {}

  bool done() const { return pos_ >= bytes_.size(); }
  size_t offset() const { return base_ + pos_; }

  // Reads a field tag; returns false on malformed input.
  bool ReadTag(uint32_t* field, uint32_t* wire_type) {
    uint64_t tag;
    if (!ReadVarint(&tag) || (tag >> 3) == 0 || (tag >> 3) > 0x1FFFFFFF) return false;
    *field = static_cast<uint32_t>(tag >> 3);
    *wire_type = static_cast<uint32_t>(tag & 7);
    return true;
  }

  bool ReadVarint(uint64_t* value) {
    *value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= bytes_.size()) return false;
      const auto byte = static_cast<uint8_t>(bytes_[pos_++]);
      *value |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return true;
    }
    return false;
  }

  bool ReadFixed32(uint32_t* value) {
    if (bytes_.size() - pos_ < 4) return false;
    const auto* b = reinterpret_cast<const unsigned char*>(bytes_.data() + pos_);
    *value = static_cast<uint32_t>(b[0]) | (static_cast<uint32_t>(b[1]) << 8) |
             (static_cast<uint32_t>(b[2]) << 16) | (static_cast<uint32_t>(b[3]) << 24);
    pos_ += 4;
    return true;
  }

  // Reads a length-delimited payload; *payload_offset is its file offset.
  bool ReadBytes(std::string_view* payload, size_t* payload_offset) {
    uint64_t length;
    if (!ReadVarint(&length) || length > bytes_.size() - pos_) return false;
    *payload_offset = base_ + pos_;
    *payload = bytes_.substr(pos_, length);
    pos_ += length;
    return true;
  }

  bool Skip(uint32_t wire_type) {
    uint64_t ignored_varint;
    uint32_t ignored_fixed;
    std::string_view ignored_bytes;
    size_t ignored_offset;
    switch (wire_type) {
      case kVarint:
        return ReadVarint(&ignored_varint);
      case kFixed64:
        if (bytes_.size() - pos_ < 8) return false;
        pos_ += 8;
        return true;
      case kLengthDelimited:
        return ReadBytes(&ignored_bytes, &ignored_offset);
      case kFixed32:
        return ReadFixed32(&ignored_fixed);
      default:  // groups (3, 4) are not used by sentencepiece_model.proto
        return false;
    }
  }

  absl::Status Error(std::string_view problem) const {
    return absl::InvalidArgumentError(absl::StrCat("invalid SentencePiece model: ", ToAbsl(problem),
                                                   " in ", ToAbsl(message_), " at byte ",
                                                   offset()));
  }

 private:
  std::string_view bytes_;
  size_t base_;
  std::string_view message_;
  size_t pos_ = 0;
};

// Reads the value of a varint field into an int32 (proto int32/enum/bool
// fields carry negative numbers as 64-bit two's complement).
absl::Status ReadInt32Field(WireReader& reader, uint32_t wire_type, int32_t* out) {
  uint64_t value;
  if (wire_type != kVarint || !reader.ReadVarint(&value)) {
    return reader.Error("expected a varint field");
  }
  *out = static_cast<int32_t>(static_cast<int64_t>(value));
  return absl::OkStatus();
}

absl::Status ReadBoolField(WireReader& reader, uint32_t wire_type, bool* out) {
  int32_t value = 0;
  absl::Status status = ReadInt32Field(reader, wire_type, &value);
  *out = value != 0;
  return status;
}

absl::Status ReadStringField(WireReader& reader, uint32_t wire_type, std::string* out) {
  std::string_view payload;
  size_t payload_offset;
  if (wire_type != kLengthDelimited || !reader.ReadBytes(&payload, &payload_offset)) {
    return reader.Error("expected a length-delimited field");
  }
  out->assign(payload);
  return absl::OkStatus();
}

absl::Status ParsePiece(std::string_view bytes, size_t base, SentencePieceModel::Piece* piece) {
  WireReader reader(bytes, base, "ModelProto.pieces");
  while (!reader.done()) {
    uint32_t field, wire_type;
    if (!reader.ReadTag(&field, &wire_type)) return reader.Error("malformed field tag");
    absl::Status status;
    if (field == 1) {
      status = ReadStringField(reader, wire_type, &piece->piece);
    } else if (field == 2) {
      uint32_t bits;
      if (wire_type != kFixed32 || !reader.ReadFixed32(&bits)) {
        return reader.Error("expected a 32-bit float score");
      }
      std::memcpy(&piece->score, &bits, sizeof(bits));
    } else if (field == 3) {
      int32_t type = 1;
      status = ReadInt32Field(reader, wire_type, &type);
      piece->type = static_cast<SentencePieceModel::PieceType>(type);
    } else if (!reader.Skip(wire_type)) {
      return reader.Error("malformed field");
    }
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status ParseTrainerSpec(std::string_view bytes, size_t base, SentencePieceModel* model) {
  WireReader reader(bytes, base, "TrainerSpec");
  while (!reader.done()) {
    uint32_t field, wire_type;
    if (!reader.ReadTag(&field, &wire_type)) return reader.Error("malformed field tag");
    absl::Status status;
    int32_t model_type = 1;
    switch (field) {
      case 3:
        status = ReadInt32Field(reader, wire_type, &model_type);
        model->model_type = static_cast<SentencePieceModel::ModelType>(model_type);
        break;
      case 24:
        status = ReadBoolField(reader, wire_type, &model->treat_whitespace_as_suffix);
        break;
      case 35:
        status = ReadBoolField(reader, wire_type, &model->byte_fallback);
        break;
      case 40:
        status = ReadInt32Field(reader, wire_type, &model->unk_id);
        break;
      case 41:
        status = ReadInt32Field(reader, wire_type, &model->bos_id);
        break;
      case 42:
        status = ReadInt32Field(reader, wire_type, &model->eos_id);
        break;
      case 43:
        status = ReadInt32Field(reader, wire_type, &model->pad_id);
        break;
      default:
        if (!reader.Skip(wire_type)) return reader.Error("malformed field");
    }
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status ParseNormalizerSpec(std::string_view bytes, size_t base, SentencePieceModel* model) {
  WireReader reader(bytes, base, "NormalizerSpec");
  while (!reader.done()) {
    uint32_t field, wire_type;
    if (!reader.ReadTag(&field, &wire_type)) return reader.Error("malformed field tag");
    absl::Status status;
    switch (field) {
      case 1:
        status = ReadStringField(reader, wire_type, &model->normalizer_name);
        break;
      case 2:
        status = ReadStringField(reader, wire_type, &model->precompiled_charsmap);
        break;
      case 3:
        status = ReadBoolField(reader, wire_type, &model->add_dummy_prefix);
        break;
      case 4:
        status = ReadBoolField(reader, wire_type, &model->remove_extra_whitespaces);
        break;
      case 5:
        status = ReadBoolField(reader, wire_type, &model->escape_whitespaces);
        break;
      default:
        if (!reader.Skip(wire_type)) return reader.Error("malformed field");
    }
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

// Returns the score that Hugging Face uses after transformers converted the
// model. The converter widens the float exactly and writes the shortest
// decimal that reads back as the same double (Python's repr). serde_json then
// reads that text, sometimes one unit in the last place away. Using the same
// value keeps Viterbi ties identical to the converted tokenizer.json.
double ScoreAsHuggingFaceReadsIt(float score) {
  const double widened = static_cast<double>(score);
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), widened);
  if (result.ec != std::errc()) return widened;
  return ParseSerdeJsonFloat(std::string_view(buffer, result.ptr - buffer)).value_or(widened);
}

nlohmann::json AddedTokenJson(size_t id, const std::string& content, bool special) {
  // Field order of Hugging Face's AddedToken serialization.
  nlohmann::json token = nlohmann::json::object();
  token["id"] = id;
  token["content"] = content;
  token["single_word"] = false;
  token["lstrip"] = false;
  token["rstrip"] = false;
  token["normalized"] = false;
  token["special"] = special;
  return token;
}

nlohmann::json MetaspaceJson(bool add_dummy_prefix) {
  return {{"type", "Metaspace"},
          {"replacement", "\xE2\x96\x81"},
          {"prepend_scheme", add_dummy_prefix ? "always" : "never"},
          {"split", true}};
}

}  // namespace

absl::StatusOr<SentencePieceModel> ParseSentencePieceModel(std::string_view bytes) {
  SentencePieceModel model;
  WireReader reader(bytes, 0, "ModelProto");
  while (!reader.done()) {
    uint32_t field, wire_type;
    if (!reader.ReadTag(&field, &wire_type)) return reader.Error("malformed field tag");
    if ((field == 1 || field == 2 || field == 3) && wire_type == kLengthDelimited) {
      std::string_view payload;
      size_t payload_offset;
      if (!reader.ReadBytes(&payload, &payload_offset)) {
        return reader.Error("truncated length-delimited field");
      }
      absl::Status status;
      if (field == 1) {
        model.pieces.emplace_back();
        status = ParsePiece(payload, payload_offset, &model.pieces.back());
      } else if (field == 2) {
        status = ParseTrainerSpec(payload, payload_offset, &model);
      } else {
        status = ParseNormalizerSpec(payload, payload_offset, &model);
      }
      if (!status.ok()) return status;
    } else if (!reader.Skip(wire_type)) {
      return reader.Error("malformed field");
    }
  }
  if (model.pieces.empty()) {
    return absl::InvalidArgumentError("invalid SentencePiece model: it has no pieces");
  }
  return model;
}

bool LooksLikeSentencePieceModel(std::string_view bytes) {
  // A ModelProto starts with field 1 (pieces), tag byte 0x0A. That byte is
  // also '\n', so a JSON document that starts with blank lines is told apart
  // by its first non-whitespace byte, '{'.
  if (bytes.empty() || bytes[0] != 0x0A) return false;
  const size_t first = bytes.find_first_not_of(" \t\r\n");
  return first == std::string_view::npos || bytes[first] != '{';
}

absl::StatusOr<nlohmann::json> SentencePieceToTokenizerJson(
    const SentencePieceModel& model, const SentencePieceConversionOptions& options) {
  if (model.model_type != SentencePieceModel::ModelType::kUnigram) {
    return absl::UnimplementedError(absl::StrCat(
        "SentencePiece model type ", static_cast<int>(model.model_type),
        " is not supported; only Unigram (1) models convert, convert others to tokenizer.json "
        "with transformers"));
  }
  if (model.unk_id < 0 || static_cast<size_t>(model.unk_id) >= model.pieces.size()) {
    return absl::InvalidArgumentError(absl::StrCat("invalid SentencePiece model: unk_id ",
                                                   model.unk_id, " is outside the ",
                                                   model.pieces.size(), " pieces"));
  }

  nlohmann::json vocab = nlohmann::json::array();
  nlohmann::json added_tokens = nlohmann::json::array();
  for (size_t id = 0; id < model.pieces.size(); ++id) {
    const SentencePieceModel::Piece& piece = model.pieces[id];
    vocab.push_back({piece.piece, ScoreAsHuggingFaceReadsIt(piece.score)});
    switch (piece.type) {
      case SentencePieceModel::PieceType::kControl:
      case SentencePieceModel::PieceType::kUnknown:
        added_tokens.push_back(AddedTokenJson(id, piece.piece, true));
        break;
      case SentencePieceModel::PieceType::kUserDefined:
        added_tokens.push_back(AddedTokenJson(id, piece.piece, false));
        break;
      default:
        break;
    }
  }
  for (int i = options.extra_ids - 1; i >= 0; --i) {
    const std::string token = absl::StrCat("<extra_id_", i, ">");
    added_tokens.push_back(AddedTokenJson(vocab.size(), token, true));
    vocab.push_back({token, 0.0});
  }

  nlohmann::json document = nlohmann::json::object();
  document["version"] = "1.0";
  document["truncation"] = nullptr;
  document["padding"] = nullptr;
  document["added_tokens"] = std::move(added_tokens);
  if (model.precompiled_charsmap.empty()) {
    document["normalizer"] = nullptr;
  } else {
    document["normalizer"] = {
        {"type", "Precompiled"},
        {"precompiled_charsmap", absl::Base64Escape(ToAbsl(model.precompiled_charsmap))}};
  }
  if (model.remove_extra_whitespaces) {
    document["pre_tokenizer"] = {
        {"type", "Sequence"},
        {"pretokenizers",
         nlohmann::json::array({{{"type", "WhitespaceSplit"}}, MetaspaceJson(model.add_dummy_prefix)})}};
  } else {
    document["pre_tokenizer"] = MetaspaceJson(model.add_dummy_prefix);
  }

  const bool has_eos = model.eos_id >= 0 && static_cast<size_t>(model.eos_id) < model.pieces.size() &&
                       model.pieces[model.eos_id].type == SentencePieceModel::PieceType::kControl;
  if (has_eos) {
    const std::string& eos = model.pieces[model.eos_id].piece;
    auto sequence = [](const char* id) {
      return nlohmann::json{{"Sequence", {{"id", id}, {"type_id", 0}}}};
    };
    const nlohmann::json eos_step = {{"SpecialToken", {{"id", eos}, {"type_id", 0}}}};
    document["post_processor"] = {
        {"type", "TemplateProcessing"},
        {"single", nlohmann::json::array({sequence("A"), eos_step})},
        {"pair", nlohmann::json::array({sequence("A"), eos_step, sequence("B"), eos_step})},
        {"special_tokens",
         {{eos, {{"id", eos}, {"ids", nlohmann::json::array({static_cast<uint32_t>(model.eos_id)})}, {"tokens", nlohmann::json::array({eos})}}}}}};
  } else {
    document["post_processor"] = nullptr;
  }
  document["decoder"] = MetaspaceJson(model.add_dummy_prefix);
  document["model"] = {{"type", "Unigram"},
                       {"unk_id", static_cast<uint32_t>(model.unk_id)},
                       {"vocab", std::move(vocab)},
                       {"byte_fallback", model.byte_fallback}};
  return document;
}

absl::StatusOr<nlohmann::json> SentencePieceFileToTokenizerJson(const std::string& path,
                                                                std::string_view contents) {
  absl::StatusOr<SentencePieceModel> model = ParseSentencePieceModel(contents);
  if (!model.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", model.status().message()));
  }
  SentencePieceConversionOptions options;
  const std::filesystem::path config_path =
      std::filesystem::path(path).parent_path() / "tokenizer_config.json";
  std::ifstream config_file(config_path, std::ios::binary);
  if (config_file) {
    std::ostringstream text;
    text << config_file.rdbuf();
    const nlohmann::json config = nlohmann::json::parse(text.str(), nullptr, false);
    if (config.is_object()) {
      const auto extra_ids = config.find("extra_ids");
      if (extra_ids != config.end() && extra_ids->is_number_unsigned() &&
          extra_ids->get<uint64_t>() <= 100000) {
        options.extra_ids = extra_ids->get<int>();
      }
    }
  }
  absl::StatusOr<nlohmann::json> document = SentencePieceToTokenizerJson(*model, options);
  if (!document.ok()) {
    return absl::Status(document.status().code(),
                        absl::StrCat(path, ": ", document.status().message()));
  }
  return document;
}

}  // namespace tokforge::internal
