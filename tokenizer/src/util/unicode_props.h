// Unicode properties and case/decomposition mappings as Rust's standard
// library and the crates behind Hugging Face tokenizers define them, computed
// with ICU.

#ifndef TOKFORGE_UTIL_UNICODE_PROPS_H_
#define TOKFORGE_UTIL_UNICODE_PROPS_H_

#include <cstdint>
#include <utility>
#include <vector>

namespace tokforge {

// Rust's char::is_whitespace: the Unicode White_Space property.
bool IsUnicodeWhitespace(char32_t c);

// General category tests. kInvalidCodePoint is in none of them.
bool IsPunctuation(char32_t c);        // P*: Pc, Pd, Ps, Pe, Pi, Pf, Po
bool IsMark(char32_t c);               // M*: Mn, Mc, Me
bool IsNonspacingMark(char32_t c);     // Mn
// Cc, Cf, Co or Cs. Unassigned code points (Cn) are not included, matching
// the unicode_categories crate that Hugging Face's BertNormalizer uses.
bool IsOtherCategory(char32_t c);

// Appends the full lowercase mapping of `c` (Rust's char::to_lowercase, so
// U+0130 becomes "i\u0307" and there is no final-sigma context).
void AppendLowercase(char32_t c, std::vector<char32_t>* out);

// Appends the full canonical decomposition of `c` (NFD of the single
// character, before canonical reordering).
void AppendCanonicalDecomposition(char32_t c, std::vector<char32_t>* out);

// Canonical combining class (0 for starters and for kInvalidCodePoint).
uint8_t CombiningClass(char32_t c);

}  // namespace tokforge

#endif  // TOKFORGE_UTIL_UNICODE_PROPS_H_
