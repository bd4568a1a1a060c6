#include "tokforge/hf_folder.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <ctime>
#include <initializer_list>
#include <filesystem>
#include <string_view>
#include <system_error>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "pipeline.h"
#include "util/file_output.h"
#include "util/strings.h"

namespace tokforge {
namespace {

// Small files keep their keys in insertion order, as transformers writes them.
using OrderedJson = nlohmann::ordered_json;

std::string Lowercase(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

bool IsOneOf(std::string_view lower, std::initializer_list<std::string_view> spellings) {
  for (std::string_view spelling : spellings) {
    if (lower == spelling) return true;
  }
  return false;
}

std::string TodayUtc() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[16];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%d", &utc);
  return buffer;
}

std::string HumanBytes(uint64_t bytes) {
  if (bytes >= (1ull << 30)) return absl::StrFormat("%.2f GiB", bytes / double(1ull << 30));
  if (bytes >= (1ull << 20)) return absl::StrFormat("%.1f MiB", bytes / double(1ull << 20));
  if (bytes >= (1ull << 10)) return absl::StrFormat("%.1f KiB", bytes / double(1ull << 10));
  return absl::StrCat(bytes, " bytes");
}

// Renders `text` as a Markdown code span that is safe inside a table cell:
// control characters are written as escapes, "|" is escaped for GitHub
// tables, and the backtick fence is longer than any backtick run inside.
std::string MarkdownCode(std::string_view text) {
  std::string escaped;
  size_t longest_run = 0;
  size_t run = 0;
  for (const char c : text) {
    run = (c == '`') ? run + 1 : 0;
    longest_run = std::max(longest_run, run);
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      escaped += "\\n";
    } else if (c == '\r') {
      escaped += "\\r";
    } else if (c == '\t') {
      escaped += "\\t";
    } else if (byte < 0x20 || byte == 0x7f) {
      escaped += absl::StrFormat("\\x%02x", byte);
    } else if (c == '|') {
      escaped += "\\|";
    } else {
      escaped.push_back(c);
    }
  }
  const std::string fence(longest_run + 1, '`');
  const bool pad = !escaped.empty() && (escaped.front() == '`' || escaped.back() == '`');
  return absl::StrCat(fence, pad ? " " : "", escaped, pad ? " " : "", fence);
}

// Escapes text for a Markdown table cell outside a code span.
std::string MarkdownCell(std::string_view text) {
  std::string escaped;
  for (const char c : text) {
    if (c == '|' || c == '\\' || c == '*' || c == '_' || c == '`' || c == '<' || c == '[') {
      escaped.push_back('\\');
    }
    escaped.push_back(c == '\n' || c == '\r' ? ' ' : c);
  }
  return escaped;
}

absl::Status FolderError(const std::string& folder, const std::error_code& error) {
  const std::string message =
      absl::StrCat("cannot create the folder ", folder, ": ", error.message());
  switch (error.value()) {
    case ENOENT:
      return absl::NotFoundError(message);
    case EACCES:
    case EPERM:
      return absl::PermissionDeniedError(message);
    case EEXIST:
    case ENOTDIR:
      return absl::AlreadyExistsError(
          absl::StrCat(message, " (a file with that name exists; choose another folder)"));
    default:
      return absl::InternalError(message);
  }
}

// The (role, token) pairs of `roles` that are set, in transformers' order.
std::vector<std::pair<std::string, std::string>> NamedRoles(const HfSpecialTokens& roles) {
  std::vector<std::pair<std::string, std::string>> named;
  const std::pair<const char*, const std::string*> all[] = {
      {"bos_token", &roles.bos_token}, {"eos_token", &roles.eos_token},
      {"unk_token", &roles.unk_token}, {"sep_token", &roles.sep_token},
      {"pad_token", &roles.pad_token}, {"cls_token", &roles.cls_token},
      {"mask_token", &roles.mask_token}};
  for (const auto& [role, token] : all) {
    if (!token->empty()) named.emplace_back(role, *token);
  }
  return named;
}

absl::Status CheckRoles(const Tokenizer& tokenizer, const HfSpecialTokens& roles) {
  std::vector<std::pair<std::string, std::string>> named = NamedRoles(roles);
  for (const std::string& token : roles.additional_special_tokens) {
    named.emplace_back("additional_special_tokens", token);
  }
  for (const auto& [role, token] : named) {
    if (!tokenizer.TokenToId(token)) {
      return absl::InvalidArgumentError(absl::StrCat(
          role, " \"", token,
          "\" is not in the vocabulary; train with it in special_tokens or choose an existing "
          "token"));
    }
  }
  return absl::OkStatus();
}

OrderedJson SpecialTokensMap(const HfSpecialTokens& roles) {
  OrderedJson map = OrderedJson::object();
  for (const auto& [role, token] : NamedRoles(roles)) map[role] = token;
  if (!roles.additional_special_tokens.empty()) {
    map["additional_special_tokens"] = roles.additional_special_tokens;
  }
  return map;
}

OrderedJson TokenizerConfig(const Tokenizer& tokenizer, const HfSpecialTokens& roles) {
  OrderedJson config = OrderedJson::object();
  const internal::Json& document = tokenizer.pipeline().document();
  if (const auto it = document.find("pre_tokenizer"); it != document.end() && it->is_object()) {
    const auto field = it->find("add_prefix_space");
    if (field != it->end() && field->is_boolean()) config["add_prefix_space"] = field->get<bool>();
  }
  OrderedJson decoder = OrderedJson::object();
  for (const internal::AddedToken& token : tokenizer.pipeline().added_tokens()) {
    OrderedJson entry = OrderedJson::object();
    entry["content"] = token.content;
    entry["lstrip"] = token.lstrip;
    entry["normalized"] = token.normalized;
    entry["rstrip"] = token.rstrip;
    entry["single_word"] = token.single_word;
    entry["special"] = token.special;
    decoder[absl::StrCat(token.id)] = std::move(entry);
  }
  config["added_tokens_decoder"] = std::move(decoder);
  for (const auto& [role, token] : NamedRoles(roles)) config[role] = token;
  if (!roles.additional_special_tokens.empty()) {
    config["additional_special_tokens"] = roles.additional_special_tokens;
  }
  // Byte-level decoding reproduces the input exactly; transformers' cleanup
  // would remove spaces before punctuation.
  config["clean_up_tokenization_spaces"] = false;
  config["tokenizer_class"] = "PreTrainedTokenizerFast";
  return config;
}

void AppendCorpora(const HfCardInfo& card, std::string* out) {
  absl::StrAppend(out, "## Training data\n\n");
  if (card.corpora.empty()) {
    absl::StrAppend(out,
                    "Not recorded: this folder was written from a tokenizer that was loaded, "
                    "not trained, in the session that saved it.\n\n");
    return;
  }
  absl::StrAppend(out, "| Corpus | Files | Size | Sequences | Duplicate share |\n");
  absl::StrAppend(out, "|--------|------:|-----:|----------:|----------------:|\n");
  for (const HfCorpusInfo& corpus : card.corpora) {
    const std::string files = corpus.files > 0 ? absl::StrCat(corpus.files) : "-";
    const std::string sequences =
        corpus.sequences ? absl::StrCat(*corpus.sequences) : "not recorded";
    const std::string duplicates = corpus.duplicate_share
                                       ? absl::StrFormat("%.2f %%", *corpus.duplicate_share * 100)
                                       : "not measured";
    absl::StrAppend(out, "| ", MarkdownCell(corpus.name), " | ", files, " | ",
                    HumanBytes(corpus.bytes), " (", corpus.bytes, " bytes) | ", sequences, " | ",
                    duplicates, " |\n");
  }
  absl::StrAppend(out, "\n");
}

void AppendOptions(const HfCardInfo& card, std::string* out) {
  if (!card.options) return;
  const BpeTrainerOptions& options = *card.options;
  std::vector<std::string> special;
  for (const std::string& token : options.special_tokens) special.push_back(MarkdownCode(token));
  absl::StrAppend(out, "## Training options\n\n| Option | Value |\n|--------|-------|\n");
  absl::StrAppend(out, "| vocab_size | ", options.vocab_size, " |\n");
  absl::StrAppend(out, "| min_frequency | ", options.min_frequency, " |\n");
  absl::StrAppend(out, "| special_tokens | ", special.empty() ? "none" : absl::StrJoin(special, ", "),
                  " |\n");
  absl::StrAppend(out, "| max_token_length | ",
                  options.max_token_length == 0 ? std::string("no limit")
                                                : absl::StrCat(options.max_token_length, " bytes"),
                  " |\n");
  absl::StrAppend(out, "| hf_compatible | ", options.hf_compatible ? "true" : "false", " |\n\n");
  absl::StrAppend(out,
                  options.hf_compatible
                      ? "The byte alphabet is only the bytes seen in the corpus, as in Hugging "
                        "Face's BpeTrainer, so unseen bytes cannot be encoded.\n\n"
                      : "All 256 bytes are in the vocabulary, so any input can be encoded.\n\n");
}

void AppendStats(const HfCardInfo& card, std::string* out) {
  if (!card.stats) return;
  const TrainingStats& stats = *card.stats;
  absl::StrAppend(out, "## Training statistics\n\n| Statistic | Value |\n|-----------|------:|\n");
  absl::StrAppend(out, "| Text counted | ", HumanBytes(stats.corpus_bytes), " |\n");
  absl::StrAppend(out, "| Sequences | ", stats.sequences, " |\n");
  absl::StrAppend(out, "| Pre-tokenized pieces | ", stats.pieces, " (", stats.distinct_pieces,
                  " distinct) |\n");
  absl::StrAppend(out, "| Merges | ", stats.merges, " |\n");
  absl::StrAppend(out, "| Counting time | ", absl::StrFormat("%.2f s", stats.counting_seconds),
                  " |\n");
  absl::StrAppend(out, "| Merging time | ", absl::StrFormat("%.2f s", stats.merging_seconds),
                  " |\n\n");
}

// "byte-level BPE", "WordPiece" and so on, from the tokenizer.json types.
std::string DescribeModel(const Tokenizer& tokenizer) {
  const internal::Json& document = tokenizer.pipeline().document();
  std::string model = "subword";
  if (const auto it = document.find("model"); it != document.end() && it->is_object()) {
    model = it->value("type", model);
  }
  if (const auto it = document.find("pre_tokenizer"); it != document.end() && it->is_object()) {
    if (it->value("type", "") == "ByteLevel") return "byte-level " + model;
  }
  return model;
}

std::string ModelCard(const Tokenizer& tokenizer, const std::string& folder,
                      const HfCardInfo& card, const HfSpecialTokens& roles) {
  std::string title = card.title;
  if (title.empty()) {
    title = std::filesystem::path(folder).lexically_normal().filename().string();
    if (title.empty() || title == ".") title = "Tokenizer";
  }
  const std::string date = card.date.empty() ? TodayUtc() : card.date;
  std::string out;
  absl::StrAppend(&out, "---\nlibrary_name: transformers\ntags:\n- tokenizer\n- bpe\n- tokforge\n",
                  "---\n\n# ", MarkdownCell(title), "\n\n");
  absl::StrAppend(&out, "A ", DescribeModel(tokenizer), " tokenizer with ", tokenizer.vocab_size(true),
                  " tokens, saved by tokforge ", TOKFORGE_VERSION, " on ", date, ".");
  if (!card.method.empty()) absl::StrAppend(&out, " Trained with ", MarkdownCode(card.method), ".");
  absl::StrAppend(&out, "\n\n");

  absl::StrAppend(&out,
                  "## Usage\n\n```python\nfrom transformers import AutoTokenizer\n\n"
                  "tokenizer = AutoTokenizer.from_pretrained(\"PATH_OR_REPO_ID\")\n```\n\n"
                  "```python\nimport tokforge\n\n"
                  "tokenizer = tokforge.Tokenizer.from_file(\"tokenizer.json\")\n```\n\n");

  const std::vector<std::pair<std::string, std::string>> named = NamedRoles(roles);
  if (!named.empty() || !roles.additional_special_tokens.empty()) {
    absl::StrAppend(&out, "## Special tokens\n\n| Role | Token | Id |\n|------|-------|---:|\n");
    for (const auto& [role, token] : named) {
      absl::StrAppend(&out, "| ", role, " | ", MarkdownCode(token), " | ",
                      *tokenizer.TokenToId(token), " |\n");
    }
    for (const std::string& token : roles.additional_special_tokens) {
      absl::StrAppend(&out, "| additional | ", MarkdownCode(token), " | ",
                      *tokenizer.TokenToId(token), " |\n");
    }
    absl::StrAppend(&out, "\n");
  }

  AppendCorpora(card, &out);
  AppendOptions(card, &out);
  AppendStats(card, &out);
  absl::StrAppend(&out,
                  "## Files\n\n"
                  "- `tokenizer.json`: the tokenizer in Hugging Face tokenizers format\n"
                  "- `tokenizer_config.json` and `special_tokens_map.json`: settings for "
                  "`transformers.PreTrainedTokenizerFast`\n");
  return out;
}

}  // namespace

HfSpecialTokens GuessSpecialTokenRoles(const Tokenizer& tokenizer) {
  HfSpecialTokens roles;
  if (const std::optional<uint32_t> unk = tokenizer.unk_token_id()) {
    roles.unk_token = tokenizer.IdToToken(*unk).value_or("");
  }
  for (const internal::AddedToken& token : tokenizer.pipeline().added_tokens()) {
    if (!token.special) continue;
    const std::string lower = Lowercase(token.content);
    // Each role takes the first matching token; later matches stay additional.
    auto claim = [&](std::string* role) {
      if (!role->empty()) return false;
      *role = token.content;
      return true;
    };
    bool assigned = false;
    if (lower == "<|endoftext|>") {
      const bool bos = claim(&roles.bos_token);
      const bool eos = claim(&roles.eos_token);
      assigned = bos || eos;
    } else if (IsOneOf(lower, {"<s>", "<bos>", "[bos]", "<|startoftext|>", "<|begin_of_text|>"})) {
      assigned = claim(&roles.bos_token);
    } else if (IsOneOf(lower, {"</s>", "<eos>", "[eos]", "<|end_of_text|>"})) {
      assigned = claim(&roles.eos_token);
    } else if (IsOneOf(lower, {"<unk>", "[unk]", "<|unk|>"})) {
      assigned = claim(&roles.unk_token) || roles.unk_token == token.content;
    } else if (IsOneOf(lower, {"<pad>", "[pad]", "<|pad|>", "<|padding|>"})) {
      assigned = claim(&roles.pad_token);
    } else if (IsOneOf(lower, {"[sep]", "<sep>"})) {
      assigned = claim(&roles.sep_token);
    } else if (IsOneOf(lower, {"[cls]", "<cls>"})) {
      assigned = claim(&roles.cls_token);
    } else if (IsOneOf(lower, {"[mask]", "<mask>", "<|mask|>"})) {
      assigned = claim(&roles.mask_token);
    }
    if (!assigned && token.content != roles.unk_token) {
      roles.additional_special_tokens.push_back(token.content);
    }
  }
  return roles;
}

absl::Status WriteHfFolder(const Tokenizer& tokenizer, const std::string& folder,
                           const HfCardInfo& card,
                           const std::optional<HfSpecialTokens>& special_tokens) {
  const HfSpecialTokens roles = special_tokens ? *special_tokens : GuessSpecialTokenRoles(tokenizer);
  if (absl::Status status = CheckRoles(tokenizer, roles); !status.ok()) return status;

  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) return FolderError(folder, error);
  if (!std::filesystem::is_directory(folder, error)) {
    return FolderError(folder, std::make_error_code(std::errc::not_a_directory));
  }

  const std::filesystem::path base(folder);
  if (absl::Status status = tokenizer.Save((base / "tokenizer.json").string()); !status.ok()) {
    return status;
  }
  const std::pair<const char*, std::string> files[] = {
      {"tokenizer_config.json", TokenizerConfig(tokenizer, roles).dump(2) + "\n"},
      {"special_tokens_map.json", SpecialTokensMap(roles).dump(2) + "\n"},
      {"README.md", ModelCard(tokenizer, folder, card, roles)},
  };
  for (const auto& [name, contents] : files) {
    if (absl::Status status = WriteFileAtomically((base / name).string(), contents); !status.ok()) {
      return status;
    }
  }
  return absl::OkStatus();
}

}  // namespace tokforge
