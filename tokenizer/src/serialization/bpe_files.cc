#include "serialization/bpe_files.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "pretokenizers/regex.h"
#include "util/byte_level.h"
#include "util/strings.h"

namespace tokforge {

using Json = nlohmann::json;

namespace {

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::stringstream buffer;
  buffer << file.rdbuf();
  if (file.bad()) return absl::DataLossError(absl::StrCat("failed to read ", path));
  return buffer.str();
}

Json AddedTokenJson(uint32_t id, const std::string& content) {
  return Json{{"id", id},          {"content", content}, {"single_word", false},
              {"lstrip", false},   {"rstrip", false},    {"normalized", false},
              {"special", true}};
}

Json ByteLevelComponent(bool use_regex, bool trim_offsets) {
  return Json{{"type", "ByteLevel"},
              {"add_prefix_space", false},
              {"trim_offsets", trim_offsets},
              {"use_regex", use_regex}};
}

Json BpeModelJson(Json vocab, Json merges, bool ignore_merges) {
  return Json{{"type", "BPE"},
              {"dropout", nullptr},
              {"unk_token", nullptr},
              {"continuing_subword_prefix", nullptr},
              {"end_of_word_suffix", nullptr},
              {"fuse_unk", false},
              {"byte_fallback", false},
              {"ignore_merges", ignore_merges},
              {"vocab", std::move(vocab)},
              {"merges", std::move(merges)}};
}

struct TiktokenEncoding {
  std::string_view name;
  std::string_view pattern;
  std::vector<std::pair<std::string, uint32_t>> special_tokens;
};

// Patterns and special tokens of tiktoken's encodings (tiktoken_ext/
// openai_public.py). The patterns are the Hugging Face spellings that our
// scanners implement; tiktoken spells cl100k with possessive quantifiers
// and r50k with "\s+$", which match the same pieces.
const TiktokenEncoding* FindTiktokenEncoding(std::string_view file_name) {
  static const TiktokenEncoding kEncodings[] = {
      {"r50k_base", kGpt2Pattern, {{"<|endoftext|>", 50256}}},
      {"p50k_base", kGpt2Pattern, {{"<|endoftext|>", 50256}}},
      {"cl100k_base",
       kCl100kPattern,
       {{"<|endoftext|>", 100257},
        {"<|fim_prefix|>", 100258},
        {"<|fim_middle|>", 100259},
        {"<|fim_suffix|>", 100260},
        {"<|endofprompt|>", 100276}}},
      {"o200k_base", kO200kPattern, {{"<|endoftext|>", 199999}, {"<|endofprompt|>", 200018}}},
  };
  for (const TiktokenEncoding& encoding : kEncodings) {
    if (file_name.find(encoding.name) != std::string_view::npos) return &encoding;
  }
  return nullptr;
}

}  // namespace

absl::StatusOr<Json> ReadVocabAndMerges(const std::string& vocab_path,
                                        const std::string& merges_path) {
  absl::StatusOr<std::string> vocab_text = ReadWholeFile(vocab_path);
  if (!vocab_text.ok()) return vocab_text.status();
  Json vocab = Json::parse(*vocab_text, nullptr, /*allow_exceptions=*/false);
  if (vocab.is_discarded() || !vocab.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat(vocab_path, ": expected a JSON object mapping tokens to ids"));
  }
  absl::StatusOr<std::string> merges_text = ReadWholeFile(merges_path);
  if (!merges_text.ok()) return merges_text.status();
  Json merges = Json::array();
  size_t line_number = 0;
  for (absl::string_view line : absl::StrSplit(*merges_text, '\n')) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // The first line of merges.txt is "#version: 0.2".
    if (line.empty() || (line_number == 1 && absl::StartsWith(line, "#version"))) continue;
    const std::vector<std::string> parts = absl::StrSplit(line, ' ');
    if (parts.size() != 2) {
      return absl::InvalidArgumentError(absl::StrCat(merges_path, ":", line_number,
                                                     ": expected \"left right\", found \"", line,
                                                     "\""));
    }
    merges.push_back(Json::array({parts[0], parts[1]}));
  }
  Json document{{"version", "1.0"},
                {"truncation", nullptr},
                {"padding", nullptr},
                {"added_tokens", Json::array()},
                {"normalizer", nullptr},
                {"pre_tokenizer", ByteLevelComponent(true, true)},
                {"post_processor", ByteLevelComponent(true, false)},
                {"decoder", ByteLevelComponent(true, true)},
                {"model", Json()}};
  if (const auto it = vocab.find("<|endoftext|>"); it != vocab.end() && it->is_number_unsigned()) {
    document["added_tokens"].push_back(AddedTokenJson(it->get<uint32_t>(), "<|endoftext|>"));
  }
  document["model"] = BpeModelJson(std::move(vocab), std::move(merges), false);
  return document;
}

absl::StatusOr<Json> ReadTiktoken(const std::string& path) {
  const std::string file_name = std::filesystem::path(path).filename().string();
  const TiktokenEncoding* encoding = FindTiktokenEncoding(file_name);
  if (encoding == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": unknown tiktoken encoding; the file name must contain r50k_base, p50k_base, "
              "cl100k_base or o200k_base, because .tiktoken files do not store the split "
              "pattern"));
  }
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();

  // rank -> token bytes, and bytes -> rank.
  const ByteLevelAlphabet& alphabet = ByteLevelAlphabet::Get();
  std::vector<std::pair<std::string, uint32_t>> ranked;
  absl::flat_hash_map<std::string, uint32_t> rank_of;
  size_t line_number = 0;
  for (absl::string_view line : absl::StrSplit(*text, '\n')) {
    ++line_number;
    if (line.empty()) continue;
    const std::vector<absl::string_view> fields = absl::StrSplit(line, ' ');
    std::string bytes;
    uint32_t rank = 0;
    if (fields.size() != 2 || !absl::Base64Unescape(fields[0], &bytes) ||
        !absl::SimpleAtoi(fields[1], &rank) || bytes.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", line_number, ": expected \"<base64 token> <rank>\", found \"",
          line.substr(0, 80), "\""));
    }
    if (!rank_of.emplace(bytes, rank).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", line_number, ": token listed twice"));
    }
    ranked.emplace_back(std::move(bytes), rank);
  }

  // Merges: every split of a multi-byte token into two tokens, ordered by the
  // rank of the token they form, then by the ranks of the parts.
  std::vector<std::tuple<uint32_t, uint32_t, uint32_t, std::string, std::string>> splits;
  for (const auto& [bytes, rank] : ranked) {
    for (size_t cut = 1; cut < bytes.size(); ++cut) {
      const auto left = rank_of.find(bytes.substr(0, cut));
      const auto right = rank_of.find(bytes.substr(cut));
      if (left == rank_of.end() || right == rank_of.end()) continue;
      if (left->second >= rank || right->second >= rank) continue;
      splits.emplace_back(rank, left->second, right->second, left->first, right->first);
    }
  }
  std::sort(splits.begin(), splits.end());
  auto spell = [&](const std::string& bytes) {
    std::string spelled;
    alphabet.Encode(bytes, &spelled);
    return spelled;
  };
  Json vocab = Json::object();
  for (const auto& [bytes, rank] : ranked) vocab[spell(bytes)] = rank;
  Json merges = Json::array();
  for (const auto& split : splits) {
    merges.push_back(Json::array({spell(std::get<3>(split)), spell(std::get<4>(split))}));
  }

  // The special tokens also go into the model vocabulary: Hugging Face gives
  // an added token outside the vocabulary the next free id, which would not
  // be tiktoken's id where tiktoken leaves gaps (cl100k has none at 100256).
  Json added = Json::array();
  for (const auto& [content, id] : encoding->special_tokens) {
    vocab[content] = id;
    added.push_back(AddedTokenJson(id, content));
  }
  Json document{
      {"version", "1.0"},
      {"truncation", nullptr},
      {"padding", nullptr},
      {"added_tokens", std::move(added)},
      {"normalizer", nullptr},
      {"pre_tokenizer",
       Json{{"type", "Sequence"},
            {"pretokenizers",
             Json::array({Json{{"type", "Split"},
                               {"pattern", Json{{"Regex", std::string(encoding->pattern)}}},
                               {"behavior", "Isolated"},
                               {"invert", false}},
                          ByteLevelComponent(false, true)})}}},
      {"post_processor", ByteLevelComponent(true, false)},
      {"decoder", ByteLevelComponent(true, true)},
      {"model", BpeModelJson(std::move(vocab), std::move(merges), true)}};
  return document;
}

}  // namespace tokforge
