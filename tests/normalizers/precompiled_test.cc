#include "normalizers/precompiled.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "support/test_data.h"

namespace tokforge::internal {
namespace {

// T5's charsmap (SentencePiece's nmt_nfkc rules).
std::unique_ptr<Normalizer> T5Normalizer() {
  const Json document = Json::parse(
      testing::ReadWholeFile(testing::SourcePath("data/tokenizers/t5/tokenizer.json")));
  auto normalizer = CreatePrecompiledNormalizer(document["normalizer"], {"t5", "normalizer"});
  EXPECT_TRUE(normalizer.ok()) << normalizer.status();
  return *std::move(normalizer);
}

std::string Normalize(const Normalizer& normalizer, std::string_view text) {
  NormalizedString normalized(text);
  normalizer.Normalize(&normalized);
  return normalized.str();
}

TEST(PrecompiledNormalizer, AppliesNfkcRules) {
  const auto normalizer = T5Normalizer();
  EXPECT_EQ(Normalize(*normalizer, "\xEF\xAC\x81"), "fi");         // U+FB01 ligature
  EXPECT_EQ(Normalize(*normalizer, "\xEF\xBC\xA1\xEF\xBC\xA2"), "AB");  // fullwidth
  EXPECT_EQ(Normalize(*normalizer, "\xE2\x84\xA2"), "TM");
  EXPECT_EQ(Normalize(*normalizer, "plain text"), "plain text");
}

TEST(PrecompiledNormalizer, ShortestPrefixReplacesWholeCluster) {
  // The cluster U+FB01 U+0301 is shorter than 6 bytes, and its shortest
  // matching key is U+FB01 alone, so Hugging Face drops the accent.
  const auto normalizer = T5Normalizer();
  EXPECT_EQ(Normalize(*normalizer, "\xEF\xAC\x81\xCC\x81"), "fi");
}

TEST(PrecompiledNormalizer, KeepsAlignmentOfExpansions) {
  const auto normalizer = T5Normalizer();
  NormalizedString text("x\xEF\xAC\x81y");
  normalizer->Normalize(&text);
  ASSERT_EQ(text.str(), "xfiy");
  EXPECT_EQ(text.ToOriginal(0, 1), (std::pair<size_t, size_t>{0, 1}));
  EXPECT_EQ(text.ToOriginal(1, 2), (std::pair<size_t, size_t>{1, 4}));
  EXPECT_EQ(text.ToOriginal(2, 3), (std::pair<size_t, size_t>{1, 4}));
  EXPECT_EQ(text.ToOriginal(3, 4), (std::pair<size_t, size_t>{4, 5}));
}

TEST(PrecompiledCharsmap, RejectsTruncatedBlob) {
  EXPECT_FALSE(PrecompiledCharsmap::Parse("ab").ok());
  // Declares a 16-byte trie but carries 4 bytes.
  // The string literal is split so that "\x00" does not swallow the "abcd".
  EXPECT_FALSE(PrecompiledCharsmap::Parse(std::string("\x10\x00\x00\x00" "abcd", 8)).ok());
}

TEST(PrecompiledNormalizer, RejectsInvalidBase64) {
  const Json config = Json::parse(R"({"type":"Precompiled","precompiled_charsmap":"@@@"})");
  EXPECT_FALSE(CreatePrecompiledNormalizer(config, {"t", "normalizer"}).ok());
}

}  // namespace
}  // namespace tokforge::internal
