#include "normalizers/simple.h"

#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <vector>

#include "pretokenizers/regex.h"
#include "pretokenizers/split.h"
#include "util/unicode_class.h"
#include "util/utf8.h"

namespace tokforge {

using internal::Json;
using internal::JsonLocation;
using internal::NormalizedString;
using internal::NormalizedStringBuilder;
using internal::Normalizer;

namespace {

class LowercaseNormalizer : public Normalizer {
 public:
  void Normalize(NormalizedString* text) const override {
    const std::string& input = text->str();
    NormalizedStringBuilder builder(*text);
    std::string lowered;
    for (size_t pos = 0; pos < input.size();) {
      const DecodedChar c = DecodeUtf8(input, pos);
      if (c.code_point < 0x80) {
        const char byte = input[pos];
        const char lower = byte >= 'A' && byte <= 'Z' ? static_cast<char>(byte + 32) : byte;
        builder.Append(std::string_view(&lower, 1), pos, pos + 1);
      } else if (c.code_point == kInvalidCodePoint) {
        builder.Copy(pos, pos + 1);
      } else {
        icu::UnicodeString one(static_cast<UChar32>(c.code_point));
        one.toLower(icu::Locale::getRoot());
        lowered.clear();
        one.toUTF8String(lowered);
        builder.Append(lowered, pos, pos + c.length);
      }
      pos += c.length;
    }
    *text = std::move(builder).Finish();
  }
};

class StripNormalizer : public Normalizer {
 public:
  StripNormalizer(bool left, bool right) : left_(left), right_(right) {}
  void Normalize(NormalizedString* text) const override {
    const std::string& input = text->str();
    size_t begin = 0;
    size_t end = input.size();
    if (left_) {
      while (begin < end) {
        const DecodedChar c = DecodeUtf8(input, begin);
        if (ClassOf(c.code_point) != CharClass::kWhitespace) break;
        begin += c.length;
      }
    }
    if (right_) {
      while (end > begin) {
        size_t start = end - 1;
        while (start > begin && (static_cast<unsigned char>(input[start]) & 0xC0) == 0x80) --start;
        const DecodedChar c = DecodeUtf8(input, start);
        if (start + c.length != end || ClassOf(c.code_point) != CharClass::kWhitespace) break;
        end = start;
      }
    }
    if (begin == 0 && end == input.size()) return;
    *text = text->Slice(begin, end);
  }

 private:
  bool left_;
  bool right_;
};

class ReplaceNormalizer : public Normalizer {
 public:
  ReplaceNormalizer(std::unique_ptr<Regex> pattern, std::string content)
      : pattern_(std::move(pattern)), content_(std::move(content)) {}
  void Normalize(NormalizedString* text) const override {
    MatchList matches;
    pattern_->FindAll(text->str(), &matches);
    if (matches.empty()) return;
    NormalizedStringBuilder builder(*text);
    size_t previous = 0;
    for (const auto& [begin, end] : matches) {
      builder.Copy(previous, begin);
      // Hugging Face inserts the content after dropping the match, so every
      // content byte takes the range of the character just before the
      // insertion point: the last character of the match, or for an empty
      // match the character before it.
      const size_t insertion_point = end;
      size_t char_begin = insertion_point;
      if (char_begin > 0) --char_begin;
      while (char_begin > 0 && (static_cast<unsigned char>(text->str()[char_begin]) & 0xC0) == 0x80) {
        --char_begin;
      }
      builder.Append(content_, char_begin, insertion_point);
      previous = end;
    }
    builder.Copy(previous, text->size());
    *text = std::move(builder).Finish();
  }

  bool HasPlainNormalize() const override { return true; }
  void NormalizePlain(std::string* text) const override {
    thread_local MatchList matches;
    matches.clear();
    pattern_->FindAll(*text, &matches);
    if (matches.empty()) return;
    std::string replaced;
    replaced.reserve(text->size() + matches.size() * content_.size());
    size_t previous = 0;
    for (const auto& [begin, end] : matches) {
      replaced.append(*text, previous, begin - previous);
      replaced.append(content_);
      previous = end;
    }
    replaced.append(*text, previous, std::string::npos);
    *text = std::move(replaced);
  }

 private:
  std::unique_ptr<Regex> pattern_;
  std::string content_;
};

class PrependNormalizer : public Normalizer {
 public:
  explicit PrependNormalizer(std::string prefix) : prefix_(std::move(prefix)) {}
  void Normalize(NormalizedString* text) const override {
    if (text->empty()) return;
    NormalizedStringBuilder builder(*text);
    builder.Append(prefix_, 0, 0);
    builder.Copy(0, text->size());
    *text = std::move(builder).Finish();
  }

  bool HasPlainNormalize() const override { return true; }
  void NormalizePlain(std::string* text) const override {
    if (!text->empty()) text->insert(0, prefix_);
  }

 private:
  std::string prefix_;
};

class SequenceNormalizer : public Normalizer {
 public:
  explicit SequenceNormalizer(std::vector<std::unique_ptr<Normalizer>> children)
      : children_(std::move(children)) {}
  void Normalize(NormalizedString* text) const override {
    for (const auto& child : children_) child->Normalize(text);
  }

  bool HasPlainNormalize() const override {
    for (const auto& child : children_) {
      if (!child->HasPlainNormalize()) return false;
    }
    return true;
  }
  void NormalizePlain(std::string* text) const override {
    for (const auto& child : children_) child->NormalizePlain(text);
  }

 private:
  std::vector<std::unique_ptr<Normalizer>> children_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Normalizer>> CreateLowercaseNormalizer(const Json&,
                                                                      const JsonLocation&) {
  return std::make_unique<LowercaseNormalizer>();
}

absl::StatusOr<std::unique_ptr<Normalizer>> CreateStripNormalizer(const Json& config,
                                                                  const JsonLocation& where) {
  absl::StatusOr<bool> left = internal::ReadBool(config, "strip_left", true, where);
  if (!left.ok()) return left.status();
  absl::StatusOr<bool> right = internal::ReadBool(config, "strip_right", true, where);
  if (!right.ok()) return right.status();
  return std::make_unique<StripNormalizer>(*left, *right);
}

absl::StatusOr<std::unique_ptr<Normalizer>> CreateReplaceNormalizer(const Json& config,
                                                                    const JsonLocation& where) {
  absl::StatusOr<std::unique_ptr<Regex>> pattern = ReadPattern(config, where);
  if (!pattern.ok()) return pattern.status();
  absl::StatusOr<std::string> content = internal::ReadString(config, "content", where);
  if (!content.ok()) return content.status();
  return std::make_unique<ReplaceNormalizer>(*std::move(pattern), *std::move(content));
}

absl::StatusOr<std::unique_ptr<Normalizer>> CreatePrependNormalizer(const Json& config,
                                                                    const JsonLocation& where) {
  absl::StatusOr<std::string> prefix = internal::ReadString(config, "prepend", where);
  if (!prefix.ok()) return prefix.status();
  return std::make_unique<PrependNormalizer>(*std::move(prefix));
}

absl::StatusOr<std::unique_ptr<Normalizer>> CreateSequenceNormalizer(const Json& config,
                                                                     const JsonLocation& where) {
  absl::StatusOr<const Json*> list = internal::ReadArray(config, "normalizers", where);
  if (!list.ok()) return list.status();
  std::vector<std::unique_ptr<Normalizer>> children;
  for (size_t i = 0; i < (*list)->size(); ++i) {
    auto child = internal::CreateNormalizer((**list)[i], where.Child("normalizers").Index(i));
    if (!child.ok()) return child.status();
    children.push_back(*std::move(child));
  }
  return std::make_unique<SequenceNormalizer>(std::move(children));
}

}  // namespace tokforge
