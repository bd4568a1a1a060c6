#include "models/wordpiece/wordpiece_model.h"

#include "absl/strings/str_cat.h"
#include "util/utf8.h"

namespace tokforge::internal {

absl::StatusOr<VocabMap> VocabMap::FromJson(const Json& vocab, const JsonLocation& where) {
  if (!vocab.is_object()) return where.Error("expected an object mapping tokens to ids");
  VocabMap map;
  map.token_to_id_.reserve(vocab.size());
  map.id_to_token_.reserve(vocab.size());
  for (const auto& [token, id] : vocab.items()) {
    if (!id.is_number_unsigned() || id.get<uint64_t>() > 0x7FFFFFFF) {
      return where.Error(absl::StrCat("token \"", token, "\": expected a non-negative integer id, found ",
                                      id.dump()));
    }
    const auto value = id.get<uint32_t>();
    map.token_to_id_[token] = value;
    map.id_to_token_[value] = token;
  }
  return map;
}

std::optional<uint32_t> VocabMap::Find(std::string_view token) const {
  const auto it = token_to_id_.find(token);
  if (it == token_to_id_.end()) return std::nullopt;
  return it->second;
}

const std::string* VocabMap::Token(uint32_t id) const {
  const auto it = id_to_token_.find(id);
  return it == id_to_token_.end() ? nullptr : &it->second;
}

std::vector<std::pair<std::string, uint32_t>> VocabMap::Entries() const {
  return {token_to_id_.begin(), token_to_id_.end()};
}

WordPieceModel::WordPieceModel(VocabMap vocab, Options options)
    : vocab_(std::move(vocab)), options_(std::move(options)) {
  unk_id_ = vocab_.Find(options_.unk_token);
}

void WordPieceModel::Tokenize(std::string_view piece, std::vector<ModelToken>* out) const {
  const auto whole = static_cast<uint32_t>(piece.size());
  auto emit_unknown = [&]() {
    if (unk_id_) out->push_back({*unk_id_, 0, whole});
  };
  // Character boundaries, so that candidates shrink one character at a time.
  std::vector<uint32_t> boundaries;
  for (size_t pos = 0; pos < piece.size(); pos += DecodeUtf8(piece, pos).length) {
    boundaries.push_back(static_cast<uint32_t>(pos));
  }
  const size_t char_count = boundaries.size();
  boundaries.push_back(whole);
  if (char_count > options_.max_input_chars_per_word) {
    emit_unknown();
    return;
  }

  const size_t first_new = out->size();
  std::string candidate;
  for (size_t start = 0; start < char_count;) {
    // Try the longest remaining substring first.
    size_t end = char_count;
    std::optional<uint32_t> match;
    for (; end > start; --end) {
      candidate.clear();
      if (start > 0) candidate = options_.continuing_subword_prefix;
      candidate.append(piece.substr(boundaries[start], boundaries[end] - boundaries[start]));
      match = vocab_.Find(candidate);
      if (match) break;
    }
    if (!match) {
      out->resize(first_new);
      emit_unknown();
      return;
    }
    out->push_back({*match, boundaries[start], boundaries[end]});
    start = end;
  }
}

WordLevelModel::WordLevelModel(VocabMap vocab, std::string unk_token)
    : vocab_(std::move(vocab)), unk_token_(std::move(unk_token)) {
  unk_id_ = vocab_.Find(unk_token_);
}

void WordLevelModel::Tokenize(std::string_view piece, std::vector<ModelToken>* out) const {
  const auto end = static_cast<uint32_t>(piece.size());
  if (const auto id = vocab_.Find(piece)) {
    out->push_back({*id, 0, end});
  } else if (unk_id_) {
    out->push_back({*unk_id_, 0, end});
  }
}

absl::StatusOr<std::unique_ptr<Model>> CreateWordPieceModel(const Json& config,
                                                            const JsonLocation& where) {
  const auto vocab_json = config.find("vocab");
  if (vocab_json == config.end()) return where.Child("vocab").Error("missing vocabulary");
  absl::StatusOr<VocabMap> vocab = VocabMap::FromJson(*vocab_json, where.Child("vocab"));
  if (!vocab.ok()) return vocab.status();
  WordPieceModel::Options options;
  for (auto [key, field] : {std::pair{"unk_token", &options.unk_token},
                            std::pair{"continuing_subword_prefix",
                                      &options.continuing_subword_prefix}}) {
    absl::StatusOr<std::optional<std::string>> value = ReadOptionalString(config, key, where);
    if (!value.ok()) return value.status();
    if (*value) *field = **value;
  }
  if (const auto it = config.find("max_input_chars_per_word");
      it != config.end() && !it->is_null()) {
    absl::StatusOr<uint64_t> value =
        ReadUnsigned(config, "max_input_chars_per_word", 0xFFFFFFFF, where);
    if (!value.ok()) return value.status();
    options.max_input_chars_per_word = *value;
  }
  return std::unique_ptr<Model>(new WordPieceModel(*std::move(vocab), std::move(options)));
}

absl::StatusOr<std::unique_ptr<Model>> CreateWordLevelModel(const Json& config,
                                                            const JsonLocation& where) {
  const auto vocab_json = config.find("vocab");
  if (vocab_json == config.end()) return where.Child("vocab").Error("missing vocabulary");
  absl::StatusOr<VocabMap> vocab = VocabMap::FromJson(*vocab_json, where.Child("vocab"));
  if (!vocab.ok()) return vocab.status();
  absl::StatusOr<std::optional<std::string>> unk_token =
      ReadOptionalString(config, "unk_token", where);
  if (!unk_token.ok()) return unk_token.status();
  return std::unique_ptr<Model>(
      new WordLevelModel(*std::move(vocab), unk_token->value_or("<unk>")));
}

}  // namespace tokforge::internal
