#include "normalizers/precompiled.h"

#include <cstring>
#include <utility>

#include <unicode/brkiter.h>
#include <unicode/utext.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "normalizers/char_transform.h"
#include "util/strings.h"
#include "util/utf8.h"

namespace tokforge::internal {
namespace {

// Hugging Face only tries a whole grapheme cluster against the charsmap when
// it is shorter than this many bytes.
constexpr size_t kMaxGraphemeBytes = 6;

uint32_t ReadLittleEndian32(const char* p) {
  const auto* b = reinterpret_cast<const unsigned char*>(p);
  return static_cast<uint32_t>(b[0]) | (static_cast<uint32_t>(b[1]) << 8) |
         (static_cast<uint32_t>(b[2]) << 16) | (static_cast<uint32_t>(b[3]) << 24);
}

// Calls visit(begin, end) for each extended grapheme cluster of `text`, with
// byte offsets, by running ICU's character break iterator. ICU's break
// iterators are not thread-safe, so each thread keeps its own.
template <typename Visit>
void ForEachGraphemeWithIcu(std::string_view text, size_t offset, Visit& visit) {
  thread_local std::unique_ptr<icu::BreakIterator> iterator = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> created(
        icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status)) created.reset();
    return created;
  }();
  if (iterator == nullptr) {
    // Without ICU break data, fall back to one cluster per character.
    for (size_t pos = 0; pos < text.size();) {
      const size_t length = DecodeUtf8(text, pos).length;
      visit(offset + pos, offset + pos + length);
      pos += length;
    }
    return;
  }
  UErrorCode status = U_ZERO_ERROR;
  UText utext = UTEXT_INITIALIZER;
  utext_openUTF8(&utext, text.data(), static_cast<int64_t>(text.size()), &status);
  iterator->setText(&utext, status);
  int32_t begin = iterator->first();
  for (int32_t end = iterator->next(); end != icu::BreakIterator::DONE;
       begin = end, end = iterator->next()) {
    visit(offset + static_cast<size_t>(begin), offset + static_cast<size_t>(end));
  }
  utext_close(&utext);
}

bool IsAscii(char c) { return static_cast<unsigned char>(c) < 0x80; }

// True when the Unicode grapheme rules (UAX #29) always break between the
// ASCII characters a and b: only CR LF stays together, because no ASCII
// character is Extend, ZWJ, SpacingMark or Prepend.
bool AsciiBreak(char a, char b) { return !(a == '\r' && b == '\n'); }

// Calls visit(begin, end) for each extended grapheme cluster of `text`.
// ASCII text, the common case, is one cluster per character; ICU segments
// only the stretches around other characters, which start and end at breaks
// between two ASCII characters, so it finds the same clusters there as in
// the whole text.
template <typename Visit>
void ForEachGrapheme(std::string_view text, Visit visit) {
  const size_t n = text.size();
  size_t pos = 0;
  while (pos < n) {
    if (IsAscii(text[pos]) &&
        (pos + 1 == n || (IsAscii(text[pos + 1]) && AsciiBreak(text[pos], text[pos + 1])))) {
      visit(pos, pos + 1);
      ++pos;
      continue;
    }
    size_t end = pos + 1;
    while (end < n && !(IsAscii(text[end - 1]) && IsAscii(text[end]) &&
                        AsciiBreak(text[end - 1], text[end]))) {
      ++end;
    }
    ForEachGraphemeWithIcu(text.substr(pos, end - pos), pos, visit);
    pos = end;
  }
}

size_t CountChars(std::string_view text) {
  size_t count = 0;
  for (size_t pos = 0; pos < text.size(); pos += DecodeUtf8(text, pos).length) ++count;
  return count;
}

// Appends the changes for replacing `old_chars` input characters by
// `replacement`, with the bookkeeping of Hugging Face's precompiled.rs:
// growth marks the last new characters as insertions, shrinkage is charged to
// the last change so far (which may belong to an earlier cluster).
void AppendReplacement(size_t old_chars, std::string_view replacement,
                       std::vector<CharChange>* changes) {
  size_t new_chars = 0;
  for (size_t pos = 0; pos < replacement.size();) {
    const DecodedChar c = DecodeUtf8(replacement, pos);
    changes->push_back({c.code_point, 0});
    pos += c.length;
    ++new_chars;
  }
  if (new_chars > old_chars) {
    for (size_t i = 0; i < new_chars - old_chars; ++i) {
      (*changes)[changes->size() - 1 - i].change = 1;
    }
  } else if (new_chars < old_chars && !changes->empty()) {
    changes->back().change -= static_cast<int32_t>(old_chars - new_chars);
  }
}

}  // namespace

absl::StatusOr<PrecompiledCharsmap> PrecompiledCharsmap::Parse(std::string_view blob) {
  if (blob.size() < 4) {
    return absl::InvalidArgumentError(
        absl::StrCat("precompiled charsmap of ", blob.size(), " bytes is too short for its header"));
  }
  const uint32_t trie_bytes = ReadLittleEndian32(blob.data());
  if (trie_bytes > blob.size() - 4) {
    return absl::InvalidArgumentError(absl::StrCat("precompiled charsmap declares a trie of ",
                                                   trie_bytes, " bytes but only has ",
                                                   blob.size() - 4, " bytes after the header"));
  }
  PrecompiledCharsmap charsmap;
  // Like spm_precompiled, a trailing partial unit is ignored.
  const size_t unit_count = trie_bytes / 4;
  charsmap.units_.resize(unit_count);
  for (size_t i = 0; i < unit_count; ++i) {
    charsmap.units_[i] = ReadLittleEndian32(blob.data() + 4 + 4 * i);
  }
  charsmap.pool_.assign(blob.substr(4 + 4 * unit_count));
  return charsmap;
}

std::string_view PrecompiledCharsmap::ReplacementAt(uint32_t offset) const {
  if (offset >= pool_.size()) return {};
  const std::string_view rest = std::string_view(pool_).substr(offset);
  return rest.substr(0, rest.find('\0'));
}

std::optional<std::string_view> PrecompiledCharsmap::ShortestPrefixReplacement(
    std::string_view chunk) const {
  std::optional<std::string_view> result;
  ForEachPrefixMatch(chunk, [&](size_t, std::string_view replacement) {
    if (!result) result = replacement;
  });
  return result;
}

std::optional<std::pair<size_t, std::string_view>> PrecompiledCharsmap::LongestPrefixReplacement(
    std::string_view text) const {
  std::optional<std::pair<size_t, std::string_view>> result;
  ForEachPrefixMatch(text, [&](size_t length, std::string_view replacement) {
    result = std::make_pair(length, replacement);
  });
  return result;
}

PrecompiledNormalizer::PrecompiledNormalizer(PrecompiledCharsmap charsmap)
    : charsmap_(std::move(charsmap)) {
  for (int byte = 0; byte < 128; ++byte) {
    const char c = static_cast<char>(byte);
    ascii_replacements_[byte] = charsmap_.ShortestPrefixReplacement(std::string_view(&c, 1));
  }
}

void PrecompiledNormalizer::Normalize(NormalizedString* text) const {
  const std::string_view str = text->str();
  std::vector<CharChange> changes;
  changes.reserve(str.size());
  bool modified = false;
  ForEachGrapheme(str, [&](size_t begin, size_t end) {
    const std::string_view grapheme = str.substr(begin, end - begin);
    if (grapheme.size() == 1 && static_cast<unsigned char>(grapheme[0]) < 0x80) {
      if (const auto& replacement = ascii_replacements_[static_cast<unsigned char>(grapheme[0])]) {
        modified = true;
        AppendReplacement(1, *replacement, &changes);
      } else {
        changes.push_back({kKeepInputChar, 0});
      }
      return;
    }
    if (grapheme.size() < kMaxGraphemeBytes) {
      if (const auto replacement = charsmap_.ShortestPrefixReplacement(grapheme)) {
        modified = true;
        AppendReplacement(CountChars(grapheme), *replacement, &changes);
        return;
      }
    }
    for (size_t pos = begin; pos < end;) {
      const size_t length = DecodeUtf8(str, pos).length;
      const std::string_view part = str.substr(pos, length);
      if (const auto replacement = charsmap_.ShortestPrefixReplacement(part)) {
        modified = true;
        AppendReplacement(1, *replacement, &changes);
      } else {
        changes.push_back({kKeepInputChar, 0});
      }
      pos += length;
    }
  });
  if (modified) *text = ApplyCharChanges(*text, changes);
}

std::string PrecompiledNormalizer::NormalizeText(std::string_view text) const {
  NormalizedString normalized(text);
  Normalize(&normalized);
  return normalized.str();
}

absl::StatusOr<std::unique_ptr<Normalizer>> CreatePrecompiledNormalizer(
    const Json& config, const JsonLocation& where) {
  absl::StatusOr<std::string> encoded = ReadString(config, "precompiled_charsmap", where);
  if (!encoded.ok()) return encoded.status();
  std::string blob;
  if (!absl::Base64Unescape(ToAbsl(*encoded), &blob)) {
    return where.Child("precompiled_charsmap").Error("invalid base64");
  }
  if (blob.empty()) {
    return std::unique_ptr<Normalizer>(new PrecompiledNormalizer(PrecompiledCharsmap()));
  }
  absl::StatusOr<PrecompiledCharsmap> charsmap = PrecompiledCharsmap::Parse(blob);
  if (!charsmap.ok()) {
    return where.Child("precompiled_charsmap").Error(ToStd(charsmap.status().message()));
  }
  return std::unique_ptr<Normalizer>(new PrecompiledNormalizer(*std::move(charsmap)));
}

}  // namespace tokforge::internal
