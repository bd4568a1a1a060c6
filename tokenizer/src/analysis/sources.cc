// Resolution of the tokenizer, corpus and word-list arguments of a comparison.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "tokforge/analysis.h"
#include "util/file_output.h"
#include "util/strings.h"

namespace tokforge {
namespace {

namespace fs = std::filesystem;

bool IsModelIdPart(std::string_view part) {
  if (part.empty() || part == "." || part == "..") return false;
  for (char c : part) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// "NAME" or "ORG/NAME" with the characters the hub allows.
bool LooksLikeModelId(std::string_view text) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) return IsModelIdPart(text);
  return IsModelIdPart(text.substr(0, slash)) && IsModelIdPart(text.substr(slash + 1));
}

bool IsRegularFile(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path, error);
}

std::optional<std::string> GetEnv(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

// The tokenizer file inside one snapshot directory, if any.
std::optional<fs::path> TokenizerFileIn(const fs::path& snapshot) {
  static constexpr const char* kCandidates[] = {
      "tokenizer.json", "tokenizer.model", "spiece.model", "sentencepiece.bpe.model",
      "vocab.json",     "vocab.txt"};
  for (const char* name : kCandidates) {
    if (IsRegularFile(snapshot / name)) return snapshot / name;
  }
  return std::nullopt;
}

std::string DefaultTokenizerName(const std::string& argument_path, const fs::path& file) {
  if (!fs::exists(argument_path) && LooksLikeModelId(argument_path)) return argument_path;
  if (file.filename() == "tokenizer.json" && file.has_parent_path()) {
    const std::string parent = fs::absolute(file).parent_path().filename().string();
    if (!parent.empty()) return parent;
  }
  return file.stem().string();
}

bool HasGlobCharacter(std::string_view text) {
  return text.find_first_of("*?[") != std::string_view::npos;
}

}  // namespace

NameValue SplitNameValue(std::string_view argument) {
  const size_t equals = argument.find('=');
  // A "=" after a "/" belongs to a path such as "dir/a=b.txt".
  if (equals == std::string_view::npos || equals == 0 ||
      argument.substr(0, equals).find('/') != std::string_view::npos) {
    return {"", std::string(argument)};
  }
  return {std::string(argument.substr(0, equals)), std::string(argument.substr(equals + 1))};
}

std::string HuggingFaceHubCacheDir() {
  if (std::optional<std::string> hub = GetEnv("HF_HUB_CACHE")) return *hub;
  if (std::optional<std::string> home = GetEnv("HF_HOME")) return (fs::path(*home) / "hub").string();
  if (std::optional<std::string> xdg = GetEnv("XDG_CACHE_HOME")) {
    return (fs::path(*xdg) / "huggingface" / "hub").string();
  }
  const std::string home = GetEnv("HOME").value_or("");
  return (fs::path(home) / ".cache" / "huggingface" / "hub").string();
}

absl::StatusOr<std::string> FindInHuggingFaceCache(std::string_view model_id,
                                                   const std::string& hub_dir) {
  if (!LooksLikeModelId(model_id)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", ToAbsl(model_id), "\" is not a Hugging Face model id (expected NAME or ORG/NAME)"));
  }
  const std::string folder = absl::StrCat("models--", absl::StrReplaceAll(ToAbsl(model_id), {{"/", "--"}}));
  const fs::path model_dir = fs::path(hub_dir) / folder;
  const fs::path snapshots = model_dir / "snapshots";
  const std::string not_found = absl::StrCat(
      "Hugging Face model \"", ToAbsl(model_id), "\" is not in the local cache: no tokenizer file under ",
      snapshots.string(), "/*/. Download it with `huggingface-cli download ", ToAbsl(model_id),
      " tokenizer.json`, point HF_HOME or HF_HUB_CACHE at the cache that has it, or pass NAME=PATH "
      "with a tokenizer file");

  // refs/main names the revision the hub client would use offline.
  std::ifstream ref(model_dir / "refs" / "main");
  std::string revision;
  if (ref && std::getline(ref, revision)) {
    revision = std::string(absl::StripAsciiWhitespace(revision));
    if (!revision.empty()) {
      if (std::optional<fs::path> file = TokenizerFileIn(snapshots / revision)) return file->string();
    }
  }

  std::error_code error;
  std::optional<fs::path> newest;
  fs::file_time_type newest_time;
  for (fs::directory_iterator it(snapshots, error), end; !error && it != end; it.increment(error)) {
    std::optional<fs::path> file = TokenizerFileIn(it->path());
    if (!file) continue;
    std::error_code time_error;
    const fs::file_time_type time = fs::last_write_time(*file, time_error);
    if (time_error) continue;
    if (!newest || time > newest_time) {
      newest = file;
      newest_time = time;
    }
  }
  if (!newest) return absl::NotFoundError(not_found);
  return newest->string();
}

absl::StatusOr<NamedTokenizer> LoadNamedTokenizer(std::string_view argument,
                                                  const std::string& hub_dir) {
  const NameValue parts = SplitNameValue(argument);
  if (parts.value.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "tokenizer \"", ToAbsl(argument), "\" has no path: expected NAME=PATH, PATH or a model id"));
  }

  fs::path file = parts.value;
  std::error_code error;
  if (fs::is_directory(file, error)) {
    file /= "tokenizer.json";
    if (!IsRegularFile(file)) {
      return absl::NotFoundError(absl::StrCat("tokenizer directory ", parts.value,
                                              " has no tokenizer.json; pass the tokenizer file itself"));
    }
  } else if (!fs::exists(file, error)) {
    if (!LooksLikeModelId(parts.value)) {
      return absl::NotFoundError(
          absl::StrCat("tokenizer file ", parts.value, " does not exist"));
    }
    absl::StatusOr<std::string> cached = FindInHuggingFaceCache(parts.value, hub_dir);
    if (!cached.ok()) {
      return absl::NotFoundError(absl::StrCat("tokenizer \"", parts.value,
                                              "\" is neither a file nor a cached model. ",
                                              cached.status().message()));
    }
    file = *cached;
  }

  absl::StatusOr<Tokenizer> tokenizer = Tokenizer::FromFile(file.string());
  if (!tokenizer.ok()) return tokenizer.status();
  std::string name = parts.name.empty() ? DefaultTokenizerName(parts.value, file) : parts.name;
  return NamedTokenizer{std::move(name), file.string(), *std::move(tokenizer)};
}

absl::StatusOr<NamedCorpus> ParseNamedCorpus(std::string_view argument, const CorpusOptions& base) {
  const NameValue parts = SplitNameValue(argument);
  if (parts.value.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("corpus \"", ToAbsl(argument), "\" has no path: expected NAME=PATH or PATH"));
  }
  NamedCorpus corpus;
  corpus.options = base;
  const fs::path path = parts.value;
  std::error_code error;
  if (fs::exists(path, error)) {
    corpus.options.paths = {parts.value};
  } else if (HasGlobCharacter(path.filename().string())) {
    const fs::path directory = path.has_parent_path() ? path.parent_path() : fs::path(".");
    if (!fs::is_directory(directory, error)) {
      return absl::NotFoundError(absl::StrCat("corpus directory ", directory.string(),
                                              " (from \"", parts.value, "\") does not exist"));
    }
    corpus.options.paths = {directory.string()};
    corpus.options.include_globs.push_back(path.filename().string());
  } else {
    return absl::NotFoundError(absl::StrCat("corpus path ", parts.value, " does not exist"));
  }

  if (!parts.name.empty()) {
    corpus.name = parts.name;
  } else {
    fs::path shown = path;
    if (!shown.has_filename()) shown = shown.parent_path();  // "dir/" names "dir"
    corpus.name = shown.filename().string();
  }
  return corpus;
}

absl::StatusOr<std::vector<std::string>> ReadWordList(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  std::vector<std::string> words;
  std::string_view rest = *text;
  if (rest.substr(0, 3) == "\xEF\xBB\xBF") rest.remove_prefix(3);  // UTF-8 byte order mark
  while (!rest.empty()) {
    const size_t newline = rest.find('\n');
    std::string_view line = rest.substr(0, newline);
    rest = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
    const std::string_view word = ToStd(absl::StripAsciiWhitespace(ToAbsl(line)));
    if (!word.empty()) words.emplace_back(word);
  }
  if (words.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("word list ", path, " has no words"));
  }
  return words;
}

}  // namespace tokforge
