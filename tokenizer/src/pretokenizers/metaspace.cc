#include "pretokenizers/metaspace.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "pretokenizers/regex.h"
#include "pretokenizers/split.h"
#include "util/utf8.h"

namespace tokforge {

using internal::Json;
using internal::JsonLocation;
using internal::NormalizedString;
using internal::NormalizedStringBuilder;

absl::StatusOr<PrependScheme> ReadPrependScheme(const Json& config, const JsonLocation& where) {
  absl::StatusOr<std::optional<std::string>> scheme =
      internal::ReadOptionalString(config, "prepend_scheme", where);
  if (!scheme.ok()) return scheme.status();
  if (!scheme->has_value()) {
    absl::StatusOr<bool> add_prefix_space =
        internal::ReadBool(config, "add_prefix_space", true, where);
    if (!add_prefix_space.ok()) return add_prefix_space.status();
    return *add_prefix_space ? PrependScheme::kAlways : PrependScheme::kNever;
  }
  if (**scheme == "always") return PrependScheme::kAlways;
  if (**scheme == "first") return PrependScheme::kFirst;
  if (**scheme == "never") return PrependScheme::kNever;
  return where.Child("prepend_scheme")
      .Error(absl::StrCat("expected \"always\", \"first\" or \"never\", found \"", **scheme, "\""));
}

absl::StatusOr<std::string> ReadReplacement(const Json& config, const JsonLocation& where) {
  absl::StatusOr<std::optional<std::string>> replacement =
      internal::ReadOptionalString(config, "replacement", where);
  if (!replacement.ok()) return replacement.status();
  const std::string value = replacement->value_or("\xE2\x96\x81");
  if (value.empty() || DecodeUtf8(value, 0).length != value.size()) {
    return where.Child("replacement")
        .Error(absl::StrCat("expected exactly one character, found \"", value, "\""));
  }
  return value;
}

void MetaspacePreTokenizer::PreTokenize(const NormalizedString& piece,
                                        std::vector<NormalizedString>* out) const {
  // Hugging Face prepends nothing to an empty piece, so it yields no token.
  if (piece.empty()) return;
  NormalizedStringBuilder builder(piece);
  const bool starts_with_replacement =
      piece.str().compare(0, replacement_.size(), replacement_) == 0 ||
      (!piece.empty() && piece.str().front() == ' ');
  const bool prepend =
      !starts_with_replacement &&
      (scheme_ == PrependScheme::kAlways ||
       (scheme_ == PrependScheme::kFirst && piece.OriginalSpan().first == 0));
  // Hugging Face gives the prepended marker the range of the first character.
  if (prepend) builder.Append(replacement_, 0, DecodeUtf8(piece.str(), 0).length);
  const std::string& text = piece.str();
  size_t spaces = 0;
  for (size_t run_begin = 0; run_begin < text.size();) {
    const size_t space = std::min(text.find(' ', run_begin), text.size());
    builder.Copy(run_begin, space);
    if (space == text.size()) break;
    builder.Append(replacement_, space, space + 1);
    ++spaces;
    run_begin = space + 1;
  }
  NormalizedString replaced = std::move(builder).Finish();
  // With no space and no marker after the first character, the split would
  // return the piece unchanged.
  const bool nothing_to_split =
      spaces == 0 && text.find(replacement_, starts_with_replacement ? 1 : 0) == std::string::npos;
  if (!split_ || nothing_to_split) {
    if (!replaced.empty()) out->push_back(std::move(replaced));
    return;
  }
  MatchList matches;
  Regex::Literal(replacement_)->FindAll(replaced.str(), &matches);
  SplitAtMatches(replaced, matches, SplitBehavior::kMergedWithNext, false, out);
}

void MetaspacePreTokenizer::SplitText(std::string_view text, std::vector<std::string_view>* pieces,
                                      std::deque<std::string>* arena) const {
  if (text.empty()) return;
  const bool starts_with_replacement =
      text.compare(0, replacement_.size(), replacement_) == 0 || text.front() == ' ';
  const bool prepend = !starts_with_replacement && scheme_ == PrependScheme::kAlways;
  std::string& replaced = arena->emplace_back();
  replaced.reserve(text.size() + replacement_.size());
  if (prepend) replaced.append(replacement_);
  for (size_t run_begin = 0; run_begin < text.size();) {
    const size_t space = std::min(text.find(' ', run_begin), text.size());
    replaced.append(text.substr(run_begin, space - run_begin));
    if (space == text.size()) break;
    replaced.append(replacement_);
    run_begin = space + 1;
  }
  if (!split_) {
    pieces->push_back(replaced);
    return;
  }
  thread_local MatchList matches;
  matches.clear();
  for (size_t pos = replaced.find(replacement_); pos != std::string::npos;
       pos = replaced.find(replacement_, pos + replacement_.size())) {
    matches.emplace_back(pos, pos + replacement_.size());
  }
  SplitTextAtMatches(replaced, matches, SplitBehavior::kMergedWithNext, false, pieces);
}

absl::StatusOr<std::unique_ptr<internal::PreTokenizer>> CreateMetaspacePreTokenizer(
    const Json& config, const JsonLocation& where) {
  absl::StatusOr<std::string> replacement = ReadReplacement(config, where);
  if (!replacement.ok()) return replacement.status();
  absl::StatusOr<PrependScheme> scheme = ReadPrependScheme(config, where);
  if (!scheme.ok()) return scheme.status();
  absl::StatusOr<bool> split = internal::ReadBool(config, "split", true, where);
  if (!split.ok()) return split.status();
  return std::make_unique<MetaspacePreTokenizer>(*std::move(replacement), *scheme, *split);
}

}  // namespace tokforge
