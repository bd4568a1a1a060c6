#include "added_vocabulary.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "util/unicode_class.h"
#include "util/utf8.h"

namespace tokforge::internal {
namespace {

// \w of Rust's regex crate: Alphabetic, marks, decimal numbers, connector
// punctuation and the join controls.
bool IsWordChar(char32_t c) {
  if (c == kInvalidCodePoint) return false;
  if (c < 0x80) return std::isalnum(static_cast<int>(c)) != 0 || c == '_';
  const auto cp = static_cast<UChar32>(c);
  return u_hasBinaryProperty(cp, UCHAR_ALPHABETIC) ||
         (U_GET_GC_MASK(cp) & (U_GC_M_MASK | U_GC_ND_MASK | U_GC_PC_MASK)) != 0 ||
         u_hasBinaryProperty(cp, UCHAR_JOIN_CONTROL);
}

bool IsSpace(char32_t c) { return c != kInvalidCodePoint && ClassOf(c) == CharClass::kWhitespace; }

// The character that ends just before `pos`.
DecodedChar CharBefore(std::string_view text, size_t pos) {
  size_t start = pos - 1;
  while (start > 0 && pos - start < 4 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
    --start;
  }
  DecodedChar c = DecodeUtf8(text, start);
  if (start + c.length != pos) return {kInvalidCodePoint, 1};
  return c;
}

}  // namespace

void AddedVocabulary::Matcher::Add(std::string pattern, size_t token_index) {
  if (pattern.empty()) return;
  const size_t index = patterns.size();
  auto& bucket = by_first_byte[static_cast<uint8_t>(pattern[0])];
  if (bucket.empty()) {
    ++distinct_first_bytes;
    first_byte = static_cast<uint8_t>(pattern[0]);
  }
  patterns.push_back(std::move(pattern));
  token_indices.push_back(token_index);
  bucket.push_back(index);
  std::stable_sort(bucket.begin(), bucket.end(), [&](size_t a, size_t b) {
    return patterns[a].size() > patterns[b].size();
  });
}

absl::StatusOr<AddedVocabulary> AddedVocabulary::Create(const Json& list, const JsonLocation& where,
                                                        const Normalizer* normalizer,
                                                        const Model& model) {
  std::optional<uint32_t> max_added_id;
  AddedVocabulary vocabulary;
  if (list.is_null()) return vocabulary;
  if (!list.is_array()) return where.Error("expected an array of added tokens");
  for (size_t i = 0; i < list.size(); ++i) {
    const Json& entry = list[i];
    const JsonLocation entry_where = where.Index(i);
    if (!entry.is_object()) return entry_where.Error("expected an object");
    // The id is checked but, as in Hugging Face, not used (see the header).
    absl::StatusOr<uint64_t> id = ReadUnsigned(entry, "id", 0x7FFFFFFF, entry_where);
    if (!id.ok()) return id.status();
    absl::StatusOr<std::string> content = ReadString(entry, "content", entry_where);
    if (!content.ok()) return content.status();
    if (content->empty()) return entry_where.Child("content").Error("expected a non-empty string");
    AddedToken token;
    token.content = *std::move(content);
    for (auto [key, field] : {std::pair{"single_word", &token.single_word},
                              std::pair{"lstrip", &token.lstrip},
                              std::pair{"rstrip", &token.rstrip},
                              std::pair{"special", &token.special}}) {
      absl::StatusOr<bool> value = ReadBool(entry, key, false, entry_where);
      if (!value.ok()) return value.status();
      *field = *value;
    }
    // Hugging Face's default for "normalized" is the opposite of "special".
    absl::StatusOr<bool> normalized = ReadBool(entry, "normalized", !token.special, entry_where);
    if (!normalized.ok()) return normalized.status();
    token.normalized = *normalized;

    const auto model_size = static_cast<uint32_t>(model.vocab_size());
    if (const std::optional<uint32_t> known = vocabulary.FindByContent(token.content)) {
      token.id = *known;
    } else if (const std::optional<uint32_t> in_model = model.TokenToId(token.content)) {
      token.id = *in_model;
    } else if (max_added_id && (*max_added_id >= model_size || model_size == 0)) {
      token.id = *max_added_id + 1;
    } else {
      token.id = model_size;
    }
    max_added_id = std::max(max_added_id.value_or(0), token.id);
    if (const auto existing = vocabulary.index_by_id_.find(token.id);
        existing != vocabulary.index_by_id_.end()) {
      // A repeated content: the later entry's flags replace the earlier ones.
      AddedToken& previous = vocabulary.tokens_[existing->second];
      if (previous.content == token.content) {
        previous = token;
        continue;
      }
    }
    vocabulary.ids_by_content_[token.content] = token.id;
    vocabulary.index_by_id_[token.id] = vocabulary.tokens_.size();
    vocabulary.tokens_.push_back(std::move(token));
  }
  for (size_t index = 0; index < vocabulary.tokens_.size(); ++index) {
    const AddedToken& token = vocabulary.tokens_[index];
    if (token.normalized) {
      NormalizedString spelled(token.content);
      if (normalizer != nullptr) normalizer->Normalize(&spelled);
      vocabulary.normalized_.Add(spelled.str(), index);
    } else {
      vocabulary.raw_.Add(token.content, index);
    }
  }
  return vocabulary;
}

const AddedToken* AddedVocabulary::FindById(uint32_t id) const {
  const auto it = index_by_id_.find(id);
  return it == index_by_id_.end() ? nullptr : &tokens_[it->second];
}

std::optional<uint32_t> AddedVocabulary::FindByContent(std::string_view content) const {
  const auto it = ids_by_content_.find(content);
  if (it == ids_by_content_.end()) return std::nullopt;
  return it->second;
}

bool AddedVocabulary::Occurs(const Matcher& matcher, std::string_view text) {
  auto occurs_at = [&](size_t pos) {
    for (const size_t index : matcher.by_first_byte[static_cast<uint8_t>(text[pos])]) {
      if (text.substr(pos, matcher.patterns[index].size()) == matcher.patterns[index]) return true;
    }
    return false;
  };
  if (matcher.empty()) return false;
  if (matcher.distinct_first_bytes == 1) {
    // Special tokens usually start alike ("<|", "<s>", "[CLS]"), and memchr
    // finds that byte many times faster than a byte loop.
    for (const void* at = std::memchr(text.data(), matcher.first_byte, text.size()); at != nullptr;
         at = std::memchr(static_cast<const char*>(at) + 1, matcher.first_byte,
                          text.size() - (static_cast<const char*>(at) + 1 - text.data()))) {
      if (occurs_at(static_cast<size_t>(static_cast<const char*>(at) - text.data()))) return true;
    }
    return false;
  }
  for (size_t pos = 0; pos < text.size(); ++pos) {
    if (occurs_at(pos)) return true;
  }
  return false;
}

void AddedVocabulary::SplitWith(const Matcher& matcher, const NormalizedString& input,
                                std::vector<AddedSplit>* out) const {
  const std::string& text = input.str();
  size_t emitted = 0;  // end of the last split pushed to `out`
  size_t pos = 0;
  while (pos < text.size()) {
    // Leftmost-longest: the first position with a match, the longest there.
    const std::vector<size_t>& bucket = matcher.by_first_byte[static_cast<uint8_t>(text[pos])];
    size_t found = SIZE_MAX;
    for (const size_t index : bucket) {
      if (text.compare(pos, matcher.patterns[index].size(), matcher.patterns[index]) == 0) {
        found = index;
        break;
      }
    }
    if (found == SIZE_MAX) {
      ++pos;
      continue;
    }
    size_t start = pos;
    size_t stop = pos + matcher.patterns[found].size();
    pos = stop;
    const size_t token_index = matcher.token_indices[found];
    const AddedToken& token = tokens_[token_index];
    if (token.single_word) {
      const bool word_before = start > 0 && IsWordChar(CharBefore(text, start).code_point);
      const bool word_after = stop < text.size() && IsWordChar(DecodeUtf8(text, stop).code_point);
      if (word_before || word_after) continue;
    }
    if (token.lstrip) {
      size_t new_start = start;
      while (new_start > 0) {
        const DecodedChar c = CharBefore(text, new_start);
        if (!IsSpace(c.code_point)) break;
        new_start -= c.length;
      }
      start = std::max(new_start, emitted);
    }
    if (token.rstrip) {
      while (stop < text.size()) {
        const DecodedChar c = DecodeUtf8(text, stop);
        if (!IsSpace(c.code_point)) break;
        stop += c.length;
      }
      pos = stop;
    }
    if (emitted < start) out->push_back({input.Slice(emitted, start), std::nullopt});
    out->push_back({input.Slice(start, stop), token_index});
    emitted = stop;
  }
  if (emitted < text.size()) out->push_back({input.Slice(emitted, text.size()), std::nullopt});
}

void AddedVocabulary::Split(const NormalizedString& input, const Normalizer* normalizer,
                            std::vector<AddedSplit>* out) const {
  std::vector<AddedSplit> raw_splits;
  if (raw_.empty()) {
    raw_splits.push_back({input, std::nullopt});
  } else {
    SplitWith(raw_, input, &raw_splits);
  }
  for (AddedSplit& split : raw_splits) {
    if (split.token_index) {
      out->push_back(std::move(split));
      continue;
    }
    if (normalizer != nullptr) normalizer->Normalize(&split.text);
    if (normalized_.empty()) {
      out->push_back(std::move(split));
    } else {
      SplitWith(normalized_, split.text, out);
    }
  }
}

}  // namespace tokforge::internal
