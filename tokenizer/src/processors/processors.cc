#include "processors/processors.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

namespace tokforge {

using internal::Json;
using internal::JsonLocation;
using internal::PostProcessor;

namespace {

// Moves offsets off the spaces that byte-level tokens carry ('Ġ' is one
// space byte), as Hugging Face's ByteLevel processor does with trim_offsets.
void TrimByteLevelOffsets(Encoding* encoding, bool add_prefix_space) {
  constexpr std::string_view kSpace = "\xC4\xA0";  // U+0120, the byte 0x20
  for (size_t i = 0; i < encoding->tokens.size(); ++i) {
    const std::string& token = encoding->tokens[i];
    size_t leading = 0;
    while (token.compare(leading * 2, 2, kSpace) == 0) ++leading;
    size_t trailing = 0;
    if (leading * 2 < token.size()) {
      while ((trailing + 1) * 2 <= token.size() &&
             token.compare(token.size() - (trailing + 1) * 2, 2, kSpace) == 0) {
        ++trailing;
      }
    }
    auto& [begin, end] = encoding->offsets[i];
    if (leading > 0) {
      const bool is_first = i == 0 || begin == 0;
      if (is_first && add_prefix_space && leading == 1) leading = 0;
      begin = std::min(begin + leading, end);
    }
    if (trailing > 0 && end >= trailing) end = std::max(end - trailing, begin);
  }
}

class ByteLevelProcessor : public PostProcessor {
 public:
  ByteLevelProcessor(bool trim_offsets, bool add_prefix_space)
      : trim_offsets_(trim_offsets), add_prefix_space_(add_prefix_space) {}
  void Process(Encoding* encoding, bool, bool with_details) const override {
    if (trim_offsets_ && with_details) TrimByteLevelOffsets(encoding, add_prefix_space_);
  }
  bool ChangesIds(bool) const override { return false; }

 private:
  bool trim_offsets_;
  bool add_prefix_space_;
};

// A special token of a template: one or more ids with their token strings.
struct SpecialPiece {
  std::vector<uint32_t> ids;
  std::vector<std::string> tokens;
};

// The single-sequence template: special pieces around the sequence "A".
class TemplateProcessor : public PostProcessor {
 public:
  TemplateProcessor(std::vector<SpecialPiece> before, std::vector<SpecialPiece> after,
                    bool trim_byte_level, bool add_prefix_space)
      : before_(std::move(before)),
        after_(std::move(after)),
        trim_byte_level_(trim_byte_level),
        add_prefix_space_(add_prefix_space) {}

  void Process(Encoding* encoding, bool add_special_tokens, bool with_details) const override {
    if (trim_byte_level_ && with_details) TrimByteLevelOffsets(encoding, add_prefix_space_);
    if (!add_special_tokens) return;
    Encoding result;
    auto append_special = [&](const SpecialPiece& piece) {
      result.ids.insert(result.ids.end(), piece.ids.begin(), piece.ids.end());
      if (!with_details) return;
      result.tokens.insert(result.tokens.end(), piece.tokens.begin(), piece.tokens.end());
      result.offsets.insert(result.offsets.end(), piece.ids.size(), {0, 0});
      result.special_tokens_mask.insert(result.special_tokens_mask.end(), piece.ids.size(), 1);
    };
    for (const SpecialPiece& piece : before_) append_special(piece);
    result.ids.insert(result.ids.end(), encoding->ids.begin(), encoding->ids.end());
    if (with_details) {
      result.tokens.insert(result.tokens.end(), encoding->tokens.begin(), encoding->tokens.end());
      result.offsets.insert(result.offsets.end(), encoding->offsets.begin(),
                            encoding->offsets.end());
      result.special_tokens_mask.insert(result.special_tokens_mask.end(),
                                        encoding->special_tokens_mask.begin(),
                                        encoding->special_tokens_mask.end());
    }
    for (const SpecialPiece& piece : after_) append_special(piece);
    *encoding = std::move(result);
  }
  bool ChangesIds(bool add_special_tokens) const override {
    return add_special_tokens && !(before_.empty() && after_.empty());
  }

 private:
  std::vector<SpecialPiece> before_;
  std::vector<SpecialPiece> after_;
  bool trim_byte_level_;
  bool add_prefix_space_;
};

class SequenceProcessor : public PostProcessor {
 public:
  explicit SequenceProcessor(std::vector<std::unique_ptr<PostProcessor>> children)
      : children_(std::move(children)) {}
  void Process(Encoding* encoding, bool add_special_tokens, bool with_details) const override {
    for (const auto& child : children_) child->Process(encoding, add_special_tokens, with_details);
  }
  bool ChangesIds(bool add_special_tokens) const override {
    for (const auto& child : children_) {
      if (child->ChangesIds(add_special_tokens)) return true;
    }
    return false;
  }

 private:
  std::vector<std::unique_ptr<PostProcessor>> children_;
};

// Reads a ["token", id] pair of RobertaProcessing and BertProcessing.
absl::StatusOr<SpecialPiece> ReadTokenPair(const Json& config, const char* key,
                                           const JsonLocation& where) {
  const auto it = config.find(key);
  if (it == config.end() || !it->is_array() || it->size() != 2 || !(*it)[0].is_string() ||
      !(*it)[1].is_number_unsigned()) {
    return where.Child(key).Error("expected a [\"token\", id] pair");
  }
  return SpecialPiece{{(*it)[1].get<uint32_t>()}, {(*it)[0].get<std::string>()}};
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostProcessor>> CreateByteLevelProcessor(
    const Json& config, const JsonLocation& where) {
  absl::StatusOr<bool> trim = internal::ReadBool(config, "trim_offsets", true, where);
  if (!trim.ok()) return trim.status();
  absl::StatusOr<bool> prefix = internal::ReadBool(config, "add_prefix_space", true, where);
  if (!prefix.ok()) return prefix.status();
  return std::make_unique<ByteLevelProcessor>(*trim, *prefix);
}

absl::StatusOr<std::unique_ptr<PostProcessor>> CreateTemplateProcessor(
    const Json& config, const JsonLocation& where) {
  const auto specials = config.find("special_tokens");
  if (specials != config.end() && !specials->is_object()) {
    return where.Child("special_tokens").Error("expected an object");
  }
  absl::StatusOr<const Json*> single = internal::ReadArray(config, "single", where);
  if (!single.ok()) return single.status();
  std::vector<SpecialPiece> before;
  std::vector<SpecialPiece> after;
  bool seen_sequence = false;
  for (size_t i = 0; i < (*single)->size(); ++i) {
    const Json& item = (**single)[i];
    const JsonLocation item_where = where.Child("single").Index(i);
    if (item.contains("Sequence")) {
      seen_sequence = true;
      continue;
    }
    const auto special = item.find("SpecialToken");
    if (special == item.end() || !special->is_object()) {
      return item_where.Error("expected {\"SpecialToken\": ...} or {\"Sequence\": ...}");
    }
    absl::StatusOr<std::string> name =
        internal::ReadString(*special, "id", item_where.Child("SpecialToken"));
    if (!name.ok()) return name.status();
    if (specials == config.end() || !specials->contains(*name)) {
      return item_where.Error(
          absl::StrCat("special token \"", *name, "\" is not defined in special_tokens"));
    }
    const Json& definition = (*specials)[*name];
    const JsonLocation definition_where = where.Child("special_tokens").Child(*name);
    SpecialPiece piece;
    const auto ids = definition.find("ids");
    const auto tokens = definition.find("tokens");
    if (ids == definition.end() || !ids->is_array() || tokens == definition.end() ||
        !tokens->is_array() || ids->size() != tokens->size()) {
      return definition_where.Error("expected \"ids\" and \"tokens\" arrays of equal length");
    }
    for (size_t k = 0; k < ids->size(); ++k) {
      if (!(*ids)[k].is_number_unsigned() || !(*tokens)[k].is_string()) {
        return definition_where.Error("expected integer ids and string tokens");
      }
      piece.ids.push_back((*ids)[k].get<uint32_t>());
      piece.tokens.push_back((*tokens)[k].get<std::string>());
    }
    (seen_sequence ? after : before).push_back(std::move(piece));
  }
  return std::make_unique<TemplateProcessor>(std::move(before), std::move(after), false, false);
}

absl::StatusOr<std::unique_ptr<PostProcessor>> CreateRobertaProcessor(const Json& config,
                                                                     const JsonLocation& where) {
  absl::StatusOr<SpecialPiece> cls = ReadTokenPair(config, "cls", where);
  if (!cls.ok()) return cls.status();
  absl::StatusOr<SpecialPiece> sep = ReadTokenPair(config, "sep", where);
  if (!sep.ok()) return sep.status();
  absl::StatusOr<bool> trim = internal::ReadBool(config, "trim_offsets", true, where);
  if (!trim.ok()) return trim.status();
  absl::StatusOr<bool> prefix = internal::ReadBool(config, "add_prefix_space", true, where);
  if (!prefix.ok()) return prefix.status();
  return std::make_unique<TemplateProcessor>(std::vector<SpecialPiece>{*std::move(cls)},
                                             std::vector<SpecialPiece>{*std::move(sep)}, *trim,
                                             *prefix);
}

absl::StatusOr<std::unique_ptr<PostProcessor>> CreateBertProcessor(const Json& config,
                                                                  const JsonLocation& where) {
  absl::StatusOr<SpecialPiece> cls = ReadTokenPair(config, "cls", where);
  if (!cls.ok()) return cls.status();
  absl::StatusOr<SpecialPiece> sep = ReadTokenPair(config, "sep", where);
  if (!sep.ok()) return sep.status();
  return std::make_unique<TemplateProcessor>(std::vector<SpecialPiece>{*std::move(cls)},
                                             std::vector<SpecialPiece>{*std::move(sep)}, false,
                                             false);
}

absl::StatusOr<std::unique_ptr<PostProcessor>> CreateSequenceProcessor(
    const Json& config, const JsonLocation& where) {
  absl::StatusOr<const Json*> list = internal::ReadArray(config, "processors", where);
  if (!list.ok()) return list.status();
  std::vector<std::unique_ptr<PostProcessor>> children;
  for (size_t i = 0; i < (*list)->size(); ++i) {
    auto child = internal::CreatePostProcessor((**list)[i], where.Child("processors").Index(i));
    if (!child.ok()) return child.status();
    children.push_back(*std::move(child));
  }
  return std::make_unique<SequenceProcessor>(std::move(children));
}

}  // namespace tokforge
