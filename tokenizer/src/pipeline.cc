#include "pipeline.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "pretokenizers/gpt2_split.h"
#include "util/byte_level.h"
#include "util/utf8.h"

namespace tokforge::internal {
namespace {

absl::Status FieldError(const std::string& source, const std::string& path,
                        const std::string& problem) {
  return absl::InvalidArgumentError(absl::StrCat(source, ": ", path, ": ", problem));
}

// Reads an optional boolean field; absent or null gives `fallback`.
absl::StatusOr<bool> BoolField(const Json& object, const char* key, bool fallback,
                               const std::string& source, const std::string& path) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return fallback;
  if (!it->is_boolean()) {
    return FieldError(source, absl::StrCat(path, ".", key),
                      absl::StrCat("expected true or false, found ", it->dump()));
  }
  return it->get<bool>();
}

absl::StatusOr<std::string> TypeOf(const Json& component, const std::string& source,
                                   const std::string& path) {
  if (!component.is_object()) {
    return FieldError(source, path, absl::StrCat("expected an object, found ", component.dump()));
  }
  const auto it = component.find("type");
  if (it == component.end() || !it->is_string()) {
    return FieldError(source, absl::StrCat(path, ".type"), "missing component type");
  }
  return it->get<std::string>();
}

absl::Status Unsupported(const std::string& source, const std::string& path,
                         const std::string& type) {
  return absl::UnimplementedError(
      absl::StrCat(source, ": ", path, ": component type \"", type,
                   "\" is not supported by this version of tokforge"));
}

}  // namespace

absl::StatusOr<std::shared_ptr<const Pipeline>> Pipeline::Create(Json document,
                                                                 std::string_view source_name) {
  const std::string source(source_name);
  if (!document.is_object()) {
    return FieldError(source, "$", "expected a JSON object at the top level");
  }
  auto pipeline = std::shared_ptr<Pipeline>(new Pipeline());

  // normalizer: only null for now.
  if (const auto it = document.find("normalizer"); it != document.end() && !it->is_null()) {
    auto type = TypeOf(*it, source, "normalizer");
    if (!type.ok()) return type.status();
    return Unsupported(source, "normalizer", *type);
  }

  // pre_tokenizer: ByteLevel.
  const auto pre_tokenizer = document.find("pre_tokenizer");
  if (pre_tokenizer == document.end() || pre_tokenizer->is_null()) {
    return FieldError(source, "pre_tokenizer", "a ByteLevel pre-tokenizer is required");
  }
  {
    auto type = TypeOf(*pre_tokenizer, source, "pre_tokenizer");
    if (!type.ok()) return type.status();
    if (*type != "ByteLevel") return Unsupported(source, "pre_tokenizer", *type);
    auto add_prefix_space = BoolField(*pre_tokenizer, "add_prefix_space", true, source,
                                      "pre_tokenizer");
    if (!add_prefix_space.ok()) return add_prefix_space.status();
    auto use_regex = BoolField(*pre_tokenizer, "use_regex", true, source, "pre_tokenizer");
    if (!use_regex.ok()) return use_regex.status();
    pipeline->add_prefix_space_ = *add_prefix_space;
    pipeline->use_regex_ = *use_regex;
  }
  for (const char* key : {"post_processor", "decoder"}) {
    const auto it = document.find(key);
    if (it == document.end() || it->is_null()) continue;
    auto type = TypeOf(*it, source, key);
    if (!type.ok()) return type.status();
    if (*type != "ByteLevel") return Unsupported(source, key, *type);
  }

  // model: BPE.
  const auto model = document.find("model");
  if (model == document.end() || !model->is_object()) {
    return FieldError(source, "model", "missing model object");
  }
  {
    const auto type_it = model->find("type");
    const std::string type =
        type_it != model->end() && type_it->is_string() ? type_it->get<std::string>() : "BPE";
    if (type != "BPE") return Unsupported(source, "model", type);
  }
  const auto vocab = model->find("vocab");
  if (vocab == model->end() || !vocab->is_object()) {
    return FieldError(source, "model.vocab", "expected an object mapping tokens to ids");
  }
  std::vector<std::pair<std::string, uint32_t>> entries;
  entries.reserve(vocab->size());
  for (const auto& [token, id] : vocab->items()) {
    if (!id.is_number_unsigned() || id.get<uint64_t>() > 0x7FFFFFFF) {
      return FieldError(source, absl::StrCat("model.vocab[\"", token, "\"]"),
                        absl::StrCat("expected a non-negative integer id, found ", id.dump()));
    }
    entries.emplace_back(token, id.get<uint32_t>());
  }
  std::vector<BpeMergeRule> merges;
  if (const auto it = model->find("merges"); it != model->end() && !it->is_null()) {
    if (!it->is_array()) return FieldError(source, "model.merges", "expected an array");
    merges.reserve(it->size());
    for (size_t i = 0; i < it->size(); ++i) {
      const Json& merge = (*it)[i];
      if (merge.is_string()) {
        const std::string text = merge.get<std::string>();
        const size_t space = text.find(' ');
        if (space == std::string::npos || text.find(' ', space + 1) != std::string::npos) {
          return FieldError(source, absl::StrCat("model.merges[", i, "]"),
                            absl::StrCat("expected \"left right\", found \"", text, "\""));
        }
        merges.push_back({text.substr(0, space), text.substr(space + 1)});
      } else if (merge.is_array() && merge.size() == 2 && merge[0].is_string() &&
                 merge[1].is_string()) {
        merges.push_back({merge[0].get<std::string>(), merge[1].get<std::string>()});
      } else {
        return FieldError(source, absl::StrCat("model.merges[", i, "]"),
                          absl::StrCat("expected a pair of strings, found ", merge.dump()));
      }
    }
  }
  BpeModel::Options model_options;
  model_options.byte_level = true;
  {
    auto ignore_merges = BoolField(*model, "ignore_merges", false, source, "model");
    if (!ignore_merges.ok()) return ignore_merges.status();
    model_options.ignore_merges = *ignore_merges;
  }
  auto bpe = BpeModel::Create(std::move(entries), merges, model_options);
  if (!bpe.ok()) return FieldError(source, "model", std::string(bpe.status().message()));
  pipeline->model_ = *std::move(bpe);

  // added_tokens.
  if (const auto it = document.find("added_tokens"); it != document.end() && !it->is_null()) {
    if (!it->is_array()) return FieldError(source, "added_tokens", "expected an array");
    for (size_t i = 0; i < it->size(); ++i) {
      const Json& entry = (*it)[i];
      const std::string path = absl::StrCat("added_tokens[", i, "]");
      if (!entry.is_object()) return FieldError(source, path, "expected an object");
      const auto id = entry.find("id");
      const auto content = entry.find("content");
      if (id == entry.end() || !id->is_number_unsigned() || id->get<uint64_t>() > 0x7FFFFFFF) {
        return FieldError(source, path + ".id", "expected a non-negative integer");
      }
      if (content == entry.end() || !content->is_string() || content->get<std::string>().empty()) {
        return FieldError(source, path + ".content", "expected a non-empty string");
      }
      AddedToken token;
      token.id = id->get<uint32_t>();
      token.content = content->get<std::string>();
      for (auto [key, field] : {std::pair{"single_word", &token.single_word},
                                std::pair{"lstrip", &token.lstrip},
                                std::pair{"rstrip", &token.rstrip},
                                std::pair{"normalized", &token.normalized},
                                std::pair{"special", &token.special}}) {
        auto value = BoolField(entry, key, false, source, path);
        if (!value.ok()) return value.status();
        *field = *value;
      }
      pipeline->added_ids_[token.content] = token.id;
      pipeline->added_by_id_[token.id] = pipeline->added_tokens_.size();
      pipeline->added_tokens_.push_back(std::move(token));
    }
  }

  pipeline->document_ = std::move(document);
  return std::shared_ptr<const Pipeline>(std::move(pipeline));
}

void Pipeline::Encode(std::string_view text, bool /*add_special_tokens*/,
                      std::vector<uint32_t>* ids, Encoding* encoding) const {
  // Added tokens are matched in the raw text first: at each position the
  // longest added token that starts there wins.
  size_t segment_start = 0;
  size_t pos = 0;
  while (!added_tokens_.empty() && pos < text.size()) {
    const AddedToken* match = nullptr;
    for (const AddedToken& token : added_tokens_) {
      if (text.compare(pos, token.content.size(), token.content) == 0 &&
          (match == nullptr || token.content.size() > match->content.size())) {
        match = &token;
      }
    }
    if (match == nullptr) {
      ++pos;
      continue;
    }
    EncodeSegment(text.substr(segment_start, pos - segment_start), segment_start, ids, encoding);
    ids->push_back(match->id);
    if (encoding != nullptr) {
      encoding->tokens.push_back(match->content);
      encoding->offsets.emplace_back(pos, pos + match->content.size());
      encoding->special_tokens_mask.push_back(match->special ? 1 : 0);
    }
    pos += match->content.size();
    segment_start = pos;
  }
  EncodeSegment(text.substr(segment_start), segment_start, ids, encoding);
}

void Pipeline::EncodeSegment(std::string_view text, size_t base_offset,
                             std::vector<uint32_t>* ids, Encoding* encoding) const {
  if (text.empty()) return;
  std::string prefixed;
  size_t shift = 0;  // bytes added in front of the original text
  if (add_prefix_space_ && text.front() != ' ') {
    prefixed.reserve(text.size() + 1);
    prefixed.push_back(' ');
    prefixed.append(text);
    text = prefixed;
    shift = 1;
  }
  auto encode_piece = [&](size_t begin, size_t end) {
    const size_t first = ids->size();
    model_.EncodePiece(text.substr(begin, end - begin), ids);
    if (encoding == nullptr) return;
    const ByteLevelAlphabet& alphabet = ByteLevelAlphabet::Get();
    size_t offset = begin;
    for (size_t i = first; i < ids->size(); ++i) {
      const std::string& token = *model_.IdToToken((*ids)[i]);
      std::string bytes;
      alphabet.Decode(token, &bytes);
      const size_t token_begin = offset;
      offset += bytes.size();
      auto to_original = [&](size_t p) { return base_offset + (p < shift ? 0 : p - shift); };
      encoding->tokens.push_back(token);
      encoding->offsets.emplace_back(to_original(token_begin), to_original(offset));
      encoding->special_tokens_mask.push_back(0);
    }
  };
  if (use_regex_) {
    SplitGpt2(text, encode_piece);
  } else {
    encode_piece(0, text.size());
  }
}

std::string Pipeline::Decode(const uint32_t* ids, size_t count, bool skip_special_tokens) const {
  const ByteLevelAlphabet& alphabet = ByteLevelAlphabet::Get();
  std::string out;
  for (size_t i = 0; i < count; ++i) {
    const uint32_t id = ids[i];
    const auto added = added_by_id_.find(id);
    if (added != added_by_id_.end()) {
      const AddedToken& token = added_tokens_[added->second];
      if (skip_special_tokens && token.special) continue;
    }
    const std::string* token = IdToToken(id);
    if (token == nullptr) continue;
    // Characters outside the byte alphabet (in added tokens, say) decode to
    // their own UTF-8, as in Hugging Face's ByteLevel decoder.
    for (size_t pos = 0; pos < token->size();) {
      const DecodedChar c = DecodeUtf8(*token, pos);
      const std::optional<uint8_t> byte = alphabet.Byte(c.code_point);
      if (byte) {
        out.push_back(static_cast<char>(*byte));
      } else {
        out.append(*token, pos, c.length);
      }
      pos += c.length;
    }
  }
  return out;
}

std::optional<uint32_t> Pipeline::TokenToId(std::string_view token) const {
  if (const auto it = added_ids_.find(token); it != added_ids_.end()) return it->second;
  return model_.TokenToId(token);
}

const std::string* Pipeline::IdToToken(uint32_t id) const {
  if (const auto it = added_by_id_.find(id); it != added_by_id_.end()) {
    return &added_tokens_[it->second].content;
  }
  return model_.IdToToken(id);
}

size_t Pipeline::vocab_size(bool with_added_tokens) const {
  if (!with_added_tokens) return model_.vocab_size();
  size_t size = model_.vocab_size();
  for (const AddedToken& token : added_tokens_) {
    if (!model_.TokenToId(token.content)) ++size;
  }
  return size;
}

}  // namespace tokforge::internal
