#include "normalizers/bert.h"

#include <gtest/gtest.h>

#include <string>

namespace tokforge::internal {
namespace {

std::string Normalize(const Normalizer& normalizer, std::string_view text) {
  NormalizedString normalized(text);
  normalizer.Normalize(&normalized);
  return normalized.str();
}

TEST(BertNormalizer, CleansLowercasesAndStripsAccents) {
  const BertNormalizer normalizer({});
  EXPECT_EQ(Normalize(normalizer, "H\xC3\xA9llo\tW\xC3\x96RLD\x01"), "hello world");
  // U+200B (format) is removed, U+00A0 (no-break space) becomes a space.
  EXPECT_EQ(Normalize(normalizer, "a\xE2\x80\x8B" "b\xC2\xA0" "c"), "ab c");
  // U+0130 decomposes to "I" + U+0307, whose mark is stripped.
  EXPECT_EQ(Normalize(normalizer, "\xC4\xB0"), "i");
}

TEST(BertNormalizer, PadsChineseCharacters) {
  const BertNormalizer normalizer({});
  EXPECT_EQ(Normalize(normalizer, "ab\xE4\xB8\xAD" "c"), "ab \xE4\xB8\xAD c");
  // Hiragana is outside BERT's CJK ranges.
  EXPECT_EQ(Normalize(normalizer, "\xE3\x81\x82"), "\xE3\x81\x82");
}

TEST(BertNormalizer, KeepsAccentsWhenAsked) {
  BertNormalizer::Options options;
  options.strip_accents = false;
  const BertNormalizer normalizer(options);
  EXPECT_EQ(Normalize(normalizer, "\xC3\x89t\xC3\xA9"), "\xC3\xA9t\xC3\xA9");
  // Full lowercase mapping, as Rust's char::to_lowercase: U+0130 becomes
  // "i" + U+0307.
  EXPECT_EQ(Normalize(normalizer, "\xC4\xB0"), "i\xCC\x87");
}

TEST(BertNormalizer, AlignsStrippedAccents) {
  const BertNormalizer normalizer({});
  NormalizedString text("x\xC3\xA9y");
  normalizer.Normalize(&text);
  ASSERT_EQ(text.str(), "xey");
  EXPECT_EQ(text.ToOriginal(1, 2), (std::pair<size_t, size_t>{1, 3}));
  EXPECT_EQ(text.ToOriginal(2, 3), (std::pair<size_t, size_t>{3, 4}));
}

TEST(NmtNormalizer, MapsAndRemovesControls) {
  const NmtNormalizer normalizer;
  EXPECT_EQ(Normalize(normalizer, "a\x01" "b\tc\xE2\x80\x8B" "d"), "ab c d");
}

TEST(StripAccentsNormalizer, RemovesCombiningMarks) {
  const StripAccentsNormalizer normalizer;
  EXPECT_EQ(Normalize(normalizer, "e\xCC\x81" "a"), "ea");
  EXPECT_EQ(Normalize(normalizer, "\xC3\xA9"), "\xC3\xA9");  // precomposed: needs NFD first
}

}  // namespace
}  // namespace tokforge::internal
