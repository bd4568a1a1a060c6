#include "decoders/wordpiece.h"

#include <utility>

namespace tokforge::internal {
namespace {

// Replaces every occurrence of `from` (non-empty) in `text` by `to`.
std::string ReplaceAll(std::string text, std::string_view from, std::string_view to) {
  if (from.empty()) return text;
  std::string result;
  size_t copied = 0;
  for (size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, copied)) {
    result.append(text, copied, pos - copied);
    result.append(to);
    copied = pos + from.size();
  }
  if (copied == 0) return text;
  result.append(text, copied, std::string::npos);
  return result;
}

}  // namespace

std::string WordPieceCleanup(std::string text) {
  // Same replacements in the same order as Hugging Face's wordpiece.rs.
  static constexpr std::pair<std::string_view, std::string_view> kRules[] = {
      {" .", "."},   {" ?", "?"},     {" !", "!"},         {" ,", ","},
      {" ' ", "'"},  {" n't", "n't"}, {" 'm", "'m"},       {" do not", " don't"},
      {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"},
  };
  for (const auto& [from, to] : kRules) text = ReplaceAll(std::move(text), from, to);
  return text;
}

void WordPieceDecoder::DecodeChain(std::vector<std::string>* tokens) const {
  for (size_t i = 0; i < tokens->size(); ++i) {
    std::string& token = (*tokens)[i];
    if (i != 0) {
      if (token.compare(0, prefix_.size(), prefix_) == 0) {
        token.erase(0, prefix_.size());
      } else {
        token.insert(token.begin(), ' ');
      }
    }
    if (cleanup_) token = WordPieceCleanup(std::move(token));
  }
}

void CtcDecoder::DecodeChain(std::vector<std::string>* tokens) const {
  std::vector<std::string> result;
  for (size_t i = 0; i < tokens->size(); ++i) {
    if (i > 0 && (*tokens)[i] == (*tokens)[i - 1]) continue;
    std::string token = ReplaceAll((*tokens)[i], pad_token_, "");
    if (cleanup_) token = ReplaceAll(WordPieceCleanup(std::move(token)), word_delimiter_token_, " ");
    if (!token.empty()) result.push_back(std::move(token));
  }
  *tokens = std::move(result);
}

absl::StatusOr<std::unique_ptr<Decoder>> CreateWordPieceDecoder(const Json& config,
                                                                const JsonLocation& where) {
  absl::StatusOr<std::optional<std::string>> prefix = ReadOptionalString(config, "prefix", where);
  if (!prefix.ok()) return prefix.status();
  absl::StatusOr<bool> cleanup = ReadBool(config, "cleanup", true, where);
  if (!cleanup.ok()) return cleanup.status();
  return std::unique_ptr<Decoder>(new WordPieceDecoder(prefix->value_or("##"), *cleanup));
}

absl::StatusOr<std::unique_ptr<Decoder>> CreateCtcDecoder(const Json& config,
                                                          const JsonLocation& where) {
  absl::StatusOr<std::optional<std::string>> pad = ReadOptionalString(config, "pad_token", where);
  if (!pad.ok()) return pad.status();
  absl::StatusOr<std::optional<std::string>> delimiter =
      ReadOptionalString(config, "word_delimiter_token", where);
  if (!delimiter.ok()) return delimiter.status();
  absl::StatusOr<bool> cleanup = ReadBool(config, "cleanup", true, where);
  if (!cleanup.ok()) return cleanup.status();
  return std::unique_ptr<Decoder>(
      new CtcDecoder(pad->value_or("<pad>"), delimiter->value_or("|"), *cleanup));
}

}  // namespace tokforge::internal
