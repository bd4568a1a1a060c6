// UTF-8 decoding that never fails: an invalid byte decodes as itself.

#ifndef TOKFORGE_UTIL_UTF8_H_
#define TOKFORGE_UTIL_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tokforge {

// Code point returned for a byte that does not start a valid UTF-8 sequence.
// It lies outside Unicode, so no character class ever matches it.
inline constexpr char32_t kInvalidCodePoint = 0x110000;

struct DecodedChar {
  char32_t code_point;  // kInvalidCodePoint for an invalid byte
  uint32_t length;      // bytes consumed, 1 to 4
};

// Decodes the character starting at text[pos] (pos < text.size()). Overlong
// forms, surrogates and truncated sequences decode as one invalid byte, so
// every byte of the input belongs to exactly one character.
inline DecodedChar DecodeUtf8(std::string_view text, size_t pos) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  const unsigned char b0 = s[pos];
  if (b0 < 0x80) return {b0, 1};
  auto continuation = [&](size_t i) { return i < n && (s[i] & 0xC0) == 0x80; };
  if (b0 >= 0xC2 && b0 <= 0xDF && continuation(pos + 1)) {
    return {static_cast<char32_t>(((b0 & 0x1F) << 6) | (s[pos + 1] & 0x3F)), 2};
  }
  if (b0 >= 0xE0 && b0 <= 0xEF && continuation(pos + 1) && continuation(pos + 2)) {
    const char32_t cp = ((b0 & 0x0F) << 12) | ((s[pos + 1] & 0x3F) << 6) | (s[pos + 2] & 0x3F);
    if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) return {cp, 3};
  }
  if (b0 >= 0xF0 && b0 <= 0xF4 && continuation(pos + 1) && continuation(pos + 2) &&
      continuation(pos + 3)) {
    const char32_t cp = ((b0 & 0x07) << 18) | ((s[pos + 1] & 0x3F) << 12) |
                        ((s[pos + 2] & 0x3F) << 6) | (s[pos + 3] & 0x3F);
    if (cp >= 0x10000 && cp <= 0x10FFFF) return {cp, 4};
  }
  return {kInvalidCodePoint, 1};
}

// Appends the UTF-8 encoding of `cp` (a valid scalar value) to `out`.
inline void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Returns true when `text` is entirely valid UTF-8.
inline bool IsValidUtf8(std::string_view text) {
  for (size_t pos = 0; pos < text.size();) {
    const DecodedChar c = DecodeUtf8(text, pos);
    if (c.code_point == kInvalidCodePoint) return false;
    pos += c.length;
  }
  return true;
}

}  // namespace tokforge

#endif  // TOKFORGE_UTIL_UTF8_H_
