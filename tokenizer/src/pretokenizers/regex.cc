#include "pretokenizers/regex.h"

#include <unicode/regex.h>
#include <unicode/unistr.h>

#include "absl/strings/str_cat.h"
#include "pretokenizers/cl100k_split.h"
#include "pretokenizers/gpt2_split.h"
#include "pretokenizers/o200k_split.h"
#include "util/strings.h"
#include "util/utf8.h"

namespace tokforge {
namespace {

// Runs a scanner that splits the whole text into pieces; for these patterns
// every character belongs to some match, so the pieces are the matches.
template <void (*Split)(std::string_view, MatchList*), Regex::Scanner kScanner>
class ScannerRegex : public Regex {
 public:
  explicit ScannerRegex(std::string_view name) : name_(name) {}
  void FindAll(std::string_view text, MatchList* matches) const override { Split(text, matches); }
  std::string_view engine() const override { return name_; }
  Scanner scanner() const override { return kScanner; }

 private:
  std::string_view name_;
};

void SplitGpt2Matches(std::string_view text, MatchList* matches) {
  SplitGpt2(text, [&](size_t begin, size_t end) { matches->emplace_back(begin, end); });
}
void SplitCl100kMatches(std::string_view text, MatchList* matches) {
  SplitCl100k(text, [&](size_t begin, size_t end) { matches->emplace_back(begin, end); });
}
void SplitO200kMatches(std::string_view text, MatchList* matches) {
  SplitO200k(text, [&](size_t begin, size_t end) { matches->emplace_back(begin, end); });
}

class LiteralRegex : public Regex {
 public:
  explicit LiteralRegex(std::string_view literal) : literal_(literal) {}
  void FindAll(std::string_view text, MatchList* matches) const override {
    if (literal_.empty()) return;
    for (size_t pos = text.find(literal_); pos != std::string_view::npos;
         pos = text.find(literal_, pos + literal_.size())) {
      matches->emplace_back(pos, pos + literal_.size());
    }
  }
  std::string_view engine() const override { return "literal"; }

 private:
  std::string literal_;
};

// Oniguruma's \s is the Unicode White_Space property, while ICU's \s leaves
// out U+000B and U+0085. Rewrites \s and \S so that ICU matches what
// Oniguruma matches; every other escape is kept as written.
std::string RewriteForIcu(std::string_view pattern) {
  std::string out;
  out.reserve(pattern.size() + 16);
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\' && i + 1 < pattern.size()) {
      const char next = pattern[i + 1];
      if (next == 's') {
        out.append("\\p{White_Space}");
      } else if (next == 'S') {
        out.append("\\P{White_Space}");
      } else {
        out.push_back('\\');
        out.push_back(next);
      }
      ++i;
      continue;
    }
    out.push_back(pattern[i]);
  }
  return out;
}

class IcuRegex : public Regex {
 public:
  explicit IcuRegex(std::unique_ptr<icu::RegexPattern> pattern) : pattern_(std::move(pattern)) {}

  void FindAll(std::string_view text, MatchList* matches) const override {
    // UTF-16 copy of the text and, for each UTF-16 unit, its byte offset.
    icu::UnicodeString utf16;
    std::vector<size_t> byte_offsets;
    byte_offsets.reserve(text.size() + 1);
    for (size_t pos = 0; pos < text.size();) {
      const DecodedChar c = DecodeUtf8(text, pos);
      const UChar32 code_point = c.code_point == kInvalidCodePoint ? 0xFFFD : c.code_point;
      utf16.append(code_point);
      byte_offsets.push_back(pos);
      if (code_point > 0xFFFF) byte_offsets.push_back(pos);
      pos += c.length;
    }
    byte_offsets.push_back(text.size());

    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::RegexMatcher> matcher(pattern_->matcher(utf16, status));
    if (U_FAILURE(status)) return;
    while (matcher->find(status) && U_SUCCESS(status)) {
      const int32_t begin = matcher->start(status);
      const int32_t end = matcher->end(status);
      matches->emplace_back(byte_offsets[begin], byte_offsets[end]);
    }
  }
  std::string_view engine() const override { return "icu"; }

 private:
  std::unique_ptr<icu::RegexPattern> pattern_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Regex>> Regex::Compile(std::string_view pattern) {
  if (pattern == kGpt2Pattern) {
    return std::make_unique<ScannerRegex<SplitGpt2Matches, Scanner::kGpt2>>("gpt2-scanner");
  }
  if (pattern == kCl100kPattern) {
    return std::make_unique<ScannerRegex<SplitCl100kMatches, Scanner::kCl100k>>("cl100k-scanner");
  }
  if (pattern == kO200kPattern) {
    return std::make_unique<ScannerRegex<SplitO200kMatches, Scanner::kO200k>>("o200k-scanner");
  }
  // NOTE: RE2 is not used for the remaining patterns, because its \s, \w, \d
  // and \b are ASCII-only and would silently match less than Oniguruma.
  return CompileWithIcu(pattern);
}

absl::StatusOr<std::unique_ptr<Regex>> Regex::CompileWithIcu(std::string_view pattern) {
  const std::string rewritten = RewriteForIcu(pattern);
  UErrorCode status = U_ZERO_ERROR;
  UParseError parse_error;
  std::unique_ptr<icu::RegexPattern> compiled(icu::RegexPattern::compile(
      icu::UnicodeString::fromUTF8(icu::StringPiece(rewritten.data(),
                                                    static_cast<int32_t>(rewritten.size()))),
      0, parse_error, status));
  if (U_FAILURE(status)) {
    return absl::InvalidArgumentError(absl::StrCat("invalid regular expression \"",
                                                   ToAbsl(pattern), "\": ", u_errorName(status),
                                                   " at offset ", parse_error.offset));
  }
  return std::make_unique<IcuRegex>(std::move(compiled));
}

std::unique_ptr<Regex> Regex::Literal(std::string_view literal) {
  return std::make_unique<LiteralRegex>(literal);
}

}  // namespace tokforge
