#include "normalizers/bert.h"

#include <algorithm>
#include <vector>

#include "normalizers/char_transform.h"
#include "util/unicode_props.h"
#include "util/utf8.h"

namespace tokforge::internal {
namespace {

// The CJK ranges of BERT's original tokenizer (tokenization.py), which
// Hugging Face copies; they leave out Hiragana, Katakana and Hangul.
bool IsChineseChar(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0x2A700 && c <= 0x2B73F) ||
         (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

bool IsBertWhitespace(char32_t c) { return c == '\t' || c == '\n' || c == '\r' || IsUnicodeWhitespace(c); }

bool IsBertControl(char32_t c) {
  if (c == '\t' || c == '\n' || c == '\r') return false;
  return IsOtherCategory(c);
}

NormalizedString CleanText(const NormalizedString& text) {
  NormalizedString kept = FilterChars(text, [](char32_t c) {
    return !(c == 0 || c == 0xFFFD || IsBertControl(c));
  });
  return MapChars(kept, [](char32_t c) { return IsBertWhitespace(c) ? U' ' : kKeepInputChar; });
}

NormalizedString PadChineseChars(const NormalizedString& text) {
  std::vector<CharChange> changes;
  const std::string_view str = text.str();
  bool any = false;
  for (size_t pos = 0; pos < str.size();) {
    const DecodedChar c = DecodeUtf8(str, pos);
    pos += c.length;
    if (IsChineseChar(c.code_point)) {
      any = true;
      changes.push_back({U' ', 0});
      changes.push_back({c.code_point, 1});
      changes.push_back({U' ', 1});
    } else {
      changes.push_back({kKeepInputChar, 0});
    }
  }
  return any ? ApplyCharChanges(text, changes) : text;
}

NormalizedString Lowercase(const NormalizedString& text) {
  std::vector<CharChange> changes;
  std::vector<char32_t> lowered;
  const std::string_view str = text.str();
  changes.reserve(str.size());
  for (size_t pos = 0; pos < str.size();) {
    const DecodedChar c = DecodeUtf8(str, pos);
    pos += c.length;
    if (c.code_point == kInvalidCodePoint) {
      changes.push_back({kKeepInputChar, 0});
      continue;
    }
    lowered.clear();
    AppendLowercase(c.code_point, &lowered);
    for (size_t i = 0; i < lowered.size(); ++i) {
      changes.push_back({lowered[i], i > 0 ? 1 : 0});
    }
  }
  return ApplyCharChanges(text, changes);
}

}  // namespace

NormalizedString NfdWithAlignment(const NormalizedString& text) {
  const std::string_view str = text.str();
  bool all_ascii = true;
  for (const char byte : str) all_ascii = all_ascii && static_cast<unsigned char>(byte) < 0x80;
  if (all_ascii) return text;

  std::vector<CharChange> changes;
  changes.reserve(str.size());
  std::vector<char32_t> decomposed;
  for (size_t pos = 0; pos < str.size();) {
    const DecodedChar c = DecodeUtf8(str, pos);
    pos += c.length;
    if (c.code_point == kInvalidCodePoint) {
      changes.push_back({kKeepInputChar, 0});
      continue;
    }
    decomposed.clear();
    AppendCanonicalDecomposition(c.code_point, &decomposed);
    for (size_t i = 0; i < decomposed.size(); ++i) {
      changes.push_back({decomposed[i], i > 0 ? 1 : 0});
    }
  }
  // Canonical ordering: a stable sort by combining class within each run of
  // non-starters. The changes travel with their characters.
  auto ccc = [](const CharChange& change) {
    return change.output == kKeepInputChar ? uint8_t{0} : CombiningClass(change.output);
  };
  for (size_t i = 0; i < changes.size();) {
    if (ccc(changes[i]) == 0) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < changes.size() && ccc(changes[end]) != 0) ++end;
    std::stable_sort(changes.begin() + static_cast<ptrdiff_t>(i),
                     changes.begin() + static_cast<ptrdiff_t>(end),
                     [&](const CharChange& a, const CharChange& b) { return ccc(a) < ccc(b); });
    i = end;
  }
  return ApplyCharChanges(text, changes);
}

BertNormalizer::BertNormalizer(Options options) : options_(options) {
  // Chinese padding and accent stripping leave ASCII alone (no ASCII
  // character is an ideograph or decomposes), so only cleaning and
  // lowercasing apply.
  std::vector<char32_t> lowered;
  for (char32_t c = 0; c < 128; ++c) {
    int16_t output = static_cast<int16_t>(c);
    if (options_.clean_text) {
      if (c == 0 || IsBertControl(c)) {
        output = -1;
      } else if (IsBertWhitespace(c)) {
        output = ' ';
      }
    }
    if (output >= 0 && options_.lowercase) {
      lowered.clear();
      AppendLowercase(static_cast<char32_t>(output), &lowered);
      if (lowered.size() == 1 && lowered[0] < 128) output = static_cast<int16_t>(lowered[0]);
    }
    ascii_output_[c] = output;
  }
}

void BertNormalizer::NormalizePlain(std::string* text) const {
  const bool all_ascii = std::all_of(text->begin(), text->end(),
                                     [](char byte) { return static_cast<unsigned char>(byte) < 0x80; });
  if (!all_ascii) {
    NormalizedString normalized(*text);
    Normalize(&normalized);
    text->assign(normalized.str());
    return;
  }
  size_t out = 0;
  for (const char byte : *text) {
    const int16_t output = ascii_output_[static_cast<unsigned char>(byte)];
    if (output >= 0) (*text)[out++] = static_cast<char>(output);
  }
  text->resize(out);
}

void BertNormalizer::Normalize(NormalizedString* text) const {
  if (options_.clean_text) *text = CleanText(*text);
  if (options_.handle_chinese_chars) *text = PadChineseChars(*text);
  if (options_.strip_accents.value_or(options_.lowercase)) {
    *text = FilterChars(NfdWithAlignment(*text), [](char32_t c) { return !IsNonspacingMark(c); });
  }
  if (options_.lowercase) *text = Lowercase(*text);
}

void NmtNormalizer::Normalize(NormalizedString* text) const {
  NormalizedString kept = FilterChars(*text, [](char32_t c) {
    return !((c >= 0x01 && c <= 0x08) || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F ||
             c == 0x8F || c == 0x9F);
  });
  *text = MapChars(kept, [](char32_t c) -> char32_t {
    switch (c) {
      case 0x09:
      case 0x0A:
      case 0x0C:
      case 0x0D:
      case 0x1680:
      case 0x2028:
      case 0x2029:
      case 0x2581:
      case 0xFEFF:
      case 0xFFFD:
        return U' ';
      default:
        return c >= 0x200B && c <= 0x200F ? U' ' : kKeepInputChar;
    }
  });
}

void StripAccentsNormalizer::Normalize(NormalizedString* text) const {
  *text = FilterChars(*text, [](char32_t c) { return !IsMark(c); });
}

absl::StatusOr<std::unique_ptr<Normalizer>> CreateBertNormalizer(const Json& config,
                                                                 const JsonLocation& where) {
  BertNormalizer::Options options;
  for (auto [key, field] : {std::pair{"clean_text", &options.clean_text},
                            std::pair{"handle_chinese_chars", &options.handle_chinese_chars},
                            std::pair{"lowercase", &options.lowercase}}) {
    absl::StatusOr<bool> value = ReadBool(config, key, *field, where);
    if (!value.ok()) return value.status();
    *field = *value;
  }
  if (const auto it = config.find("strip_accents"); it != config.end() && !it->is_null()) {
    if (!it->is_boolean()) {
      return where.Child("strip_accents").Error("expected true, false or null");
    }
    options.strip_accents = it->get<bool>();
  }
  return std::unique_ptr<Normalizer>(new BertNormalizer(options));
}

absl::StatusOr<std::unique_ptr<Normalizer>> CreateNmtNormalizer(const Json&,
                                                                const JsonLocation&) {
  return std::unique_ptr<Normalizer>(new NmtNormalizer());
}

absl::StatusOr<std::unique_ptr<Normalizer>> CreateStripAccentsNormalizer(const Json&,
                                                                         const JsonLocation&) {
  return std::unique_ptr<Normalizer>(new StripAccentsNormalizer());
}

}  // namespace tokforge::internal
