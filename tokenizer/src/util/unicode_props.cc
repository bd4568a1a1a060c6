#include "util/unicode_props.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/ustring.h>

#include "util/utf8.h"

namespace tokforge {
namespace {

bool InCategories(char32_t c, uint32_t mask) {
  if (c > 0x10FFFF) return false;
  return (U_MASK(u_charType(static_cast<UChar32>(c))) & mask) != 0;
}

const icu::Normalizer2* Nfd() {
  static const icu::Normalizer2* nfd = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* instance = icu::Normalizer2::getNFDInstance(status);
    return U_SUCCESS(status) ? instance : nullptr;
  }();
  return nfd;
}

void AppendCodePoints(const icu::UnicodeString& text, std::vector<char32_t>* out) {
  for (int32_t i = 0; i < text.length();) {
    const UChar32 c = text.char32At(i);
    out->push_back(static_cast<char32_t>(c));
    i += U16_LENGTH(c);
  }
}

}  // namespace

bool IsUnicodeWhitespace(char32_t c) {
  if (c < 0x80) return c == ' ' || (c >= 0x09 && c <= 0x0D);
  return c <= 0x10FFFF && u_isUWhiteSpace(static_cast<UChar32>(c));
}

bool IsPunctuation(char32_t c) { return InCategories(c, U_GC_P_MASK); }

bool IsMark(char32_t c) { return InCategories(c, U_GC_M_MASK); }

bool IsNonspacingMark(char32_t c) { return InCategories(c, U_GC_MN_MASK); }

bool IsOtherCategory(char32_t c) {
  return InCategories(c, U_GC_CC_MASK | U_GC_CF_MASK | U_GC_CO_MASK | U_GC_CS_MASK);
}

void AppendLowercase(char32_t c, std::vector<char32_t>* out) {
  if (c < 0x80) {
    out->push_back(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    return;
  }
  if (c > 0x10FFFF) {
    out->push_back(c);
    return;
  }
  UChar source[2];
  int32_t source_length = 0;
  U16_APPEND_UNSAFE(source, source_length, static_cast<UChar32>(c));
  UChar lowered[8];
  UErrorCode status = U_ZERO_ERROR;
  const int32_t length = u_strToLower(lowered, 8, source, source_length, "", &status);
  if (U_FAILURE(status)) {
    out->push_back(c);
    return;
  }
  AppendCodePoints(icu::UnicodeString(false, lowered, length), out);
}

void AppendCanonicalDecomposition(char32_t c, std::vector<char32_t>* out) {
  icu::UnicodeString decomposition;
  if (c < 0xC0 || c > 0x10FFFF || Nfd() == nullptr ||
      !Nfd()->getDecomposition(static_cast<UChar32>(c), decomposition)) {
    out->push_back(c);
    return;
  }
  AppendCodePoints(decomposition, out);
}

uint8_t CombiningClass(char32_t c) {
  if (c < 0x300 || c > 0x10FFFF) return 0;
  return u_getCombiningClass(static_cast<UChar32>(c));
}

}  // namespace tokforge
