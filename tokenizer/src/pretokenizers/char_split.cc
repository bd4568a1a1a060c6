#include "pretokenizers/char_split.h"

#include <unicode/uchar.h>

#include <array>
#include <functional>

#include "pretokenizers/split.h"
#include "util/unicode_class.h"
#include "util/utf8.h"

namespace tokforge {

using internal::Json;
using internal::JsonLocation;
using internal::NormalizedString;

namespace {

// Splits with every character satisfying `is_delimiter` as one match.
class CharClassSplit : public internal::PreTokenizer {
 public:
  CharClassSplit(std::function<bool(char32_t)> is_delimiter, SplitBehavior behavior)
      : is_delimiter_(std::move(is_delimiter)), behavior_(behavior) {
    for (char32_t c = 0; c < 128; ++c) ascii_delimiters_[c] = is_delimiter_(c);
  }

  void PreTokenize(const NormalizedString& piece, std::vector<NormalizedString>* out) const override {
    MatchList matches;
    FindDelimiters(piece.str(), &matches);
    SplitAtMatches(piece, matches, behavior_, false, out);
  }

  bool HasTextSplit() const override { return true; }
  void SplitText(std::string_view text, std::vector<std::string_view>* pieces,
                 std::deque<std::string>* /*arena*/) const override {
    thread_local MatchList matches;
    matches.clear();
    FindDelimiters(text, &matches);
    SplitTextAtMatches(text, matches, behavior_, false, pieces);
  }

 private:
  void FindDelimiters(std::string_view text, MatchList* matches) const {
    for (size_t pos = 0; pos < text.size();) {
      const auto byte = static_cast<unsigned char>(text[pos]);
      if (byte < 128) {
        if (ascii_delimiters_[byte]) matches->emplace_back(pos, pos + 1);
        ++pos;
        continue;
      }
      const DecodedChar c = DecodeUtf8(text, pos);
      if (c.code_point != kInvalidCodePoint && is_delimiter_(c.code_point)) {
        matches->emplace_back(pos, pos + c.length);
      }
      pos += c.length;
    }
  }

  std::function<bool(char32_t)> is_delimiter_;
  std::array<bool, 128> ascii_delimiters_{};  // is_delimiter_ of each ASCII character
  SplitBehavior behavior_;
};

bool IsPunctuation(char32_t c) {
  if (c < 0x80) return std::ispunct(static_cast<int>(c)) != 0;
  return (U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_P_MASK) != 0;
}

}  // namespace

absl::StatusOr<std::unique_ptr<internal::PreTokenizer>> CreateWhitespacePreTokenizer(
    const Json&, const JsonLocation&) {
  absl::StatusOr<std::unique_ptr<Regex>> regex = Regex::Compile(R"(\w+|[^\w\s]+)");
  if (!regex.ok()) return regex.status();
  return std::make_unique<SplitPreTokenizer>(*std::move(regex), SplitBehavior::kRemoved,
                                             /*invert=*/true);
}

absl::StatusOr<std::unique_ptr<internal::PreTokenizer>> CreateWhitespaceSplitPreTokenizer(
    const Json&, const JsonLocation&) {
  return std::make_unique<CharClassSplit>(
      [](char32_t c) { return ClassOf(c) == CharClass::kWhitespace; }, SplitBehavior::kRemoved);
}

absl::StatusOr<std::unique_ptr<internal::PreTokenizer>> CreateDigitsPreTokenizer(
    const Json& config, const JsonLocation& where) {
  absl::StatusOr<bool> individual = internal::ReadBool(config, "individual_digits", false, where);
  if (!individual.ok()) return individual.status();
  return std::make_unique<CharClassSplit>(
      [](char32_t c) { return ClassOf(c) == CharClass::kNumber; },
      *individual ? SplitBehavior::kIsolated : SplitBehavior::kContiguous);
}

absl::StatusOr<std::unique_ptr<internal::PreTokenizer>> CreatePunctuationPreTokenizer(
    const Json& config, const JsonLocation& where) {
  SplitBehavior behavior = SplitBehavior::kIsolated;
  if (config.contains("behavior")) {
    absl::StatusOr<SplitBehavior> parsed = ParseSplitBehavior(config, where);
    if (!parsed.ok()) return parsed.status();
    behavior = *parsed;
  }
  return std::make_unique<CharClassSplit>(&IsPunctuation, behavior);
}

}  // namespace tokforge
