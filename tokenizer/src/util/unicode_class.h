// Character classes used by the GPT-2 family of split patterns.

#ifndef TOKFORGE_UTIL_UNICODE_CLASS_H_
#define TOKFORGE_UTIL_UNICODE_CLASS_H_

#include <cstdint>

namespace tokforge {

// One class per code point, as the regex classes \p{L}, \p{N} and \s see it.
// White_Space wins over the general category (no code point is both today).
enum class CharClass : uint8_t {
  kOther = 0,       // neither letter, number nor whitespace; also invalid bytes
  kLetter = 1,      // \p{L}: general categories Lu, Ll, Lt, Lm, Lo
  kNumber = 2,      // \p{N}: Nd, Nl, No
  kWhitespace = 3,  // \s: the Unicode White_Space property
};

// Returns a table of 0x110001 entries indexed by code point; the last entry is
// the class of kInvalidCodePoint. Built once from ICU on first use.
const CharClass* CharClassTable();

inline CharClass ClassOf(char32_t code_point) { return CharClassTable()[code_point]; }

}  // namespace tokforge

#endif  // TOKFORGE_UTIL_UNICODE_CLASS_H_
