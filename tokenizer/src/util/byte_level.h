// The byte-to-character mapping of GPT-2's byte-level BPE.
//
// Every byte maps to one printable character so that byte strings can be
// stored as JSON strings: bytes 0x21-0x7E, 0xA1-0xAC and 0xAE-0xFF map to the
// code point of the same value, and the remaining 68 bytes map, in increasing
// byte order, to U+0100 onwards (so the space 0x20 becomes U+0120 'Ġ').

#ifndef TOKFORGE_UTIL_BYTE_LEVEL_H_
#define TOKFORGE_UTIL_BYTE_LEVEL_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tokforge {

class ByteLevelAlphabet {
 public:
  static const ByteLevelAlphabet& Get();

  char32_t CodePoint(uint8_t byte) const { return code_points_[byte]; }
  // UTF-8 spelling of the character for `byte` (1 or 2 bytes).
  std::string_view Spelling(uint8_t byte) const { return spellings_[byte]; }
  // Inverse of CodePoint, or nullopt for a character outside the alphabet.
  std::optional<uint8_t> Byte(char32_t code_point) const;

  // Maps every byte of `bytes` to its character and appends the UTF-8 to `out`.
  void Encode(std::string_view bytes, std::string* out) const;
  // Maps a byte-level string back to bytes. Returns false (leaving `out`
  // partly written) when it contains a character outside the alphabet.
  bool Decode(std::string_view text, std::string* out) const;

 private:
  ByteLevelAlphabet();

  std::array<char32_t, 256> code_points_;
  std::array<std::string, 256> spellings_;
  std::array<int16_t, 324> bytes_by_code_point_;  // -1 when not in the alphabet
};

}  // namespace tokforge

#endif  // TOKFORGE_UTIL_BYTE_LEVEL_H_
