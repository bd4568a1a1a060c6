// Hostile tokenizer files and pathological inputs must not make memory grow
// without bound. Sizes are checked through allocation capacities and loader
// errors, never through timing.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "components.h"
#include "pretokenizers/byte_level.h"
#include "tokforge/tokenizer.h"

namespace tokforge {
namespace {

using internal::NormalizedString;

TEST(ResourceLimitsTest, PiecesOfLongInputStaySmall) {
  // 1,000,000 characters that split into 500,000 pieces " a".
  std::string text = "a";
  for (int i = 0; i < 499999; ++i) text += " a";
  const ByteLevelPreTokenizer pre_tokenizer(/*add_prefix_space=*/false, /*use_regex=*/true);
  std::vector<NormalizedString> pieces;
  pre_tokenizer.PreTokenize(NormalizedString(text), &pieces);
  ASSERT_EQ(pieces.size(), 500000u);

  // Each piece must own about its own size, not a copy of the input's size.
  size_t capacity = 0;
  for (const NormalizedString& piece : pieces) capacity += piece.str().capacity();
  EXPECT_LT(capacity, 64 * text.size());
}

TEST(ResourceLimitsTest, HugeBpeIdIsRejected) {
  nlohmann::json document = nlohmann::json::parse(R"({
    "version": "1.0", "added_tokens": [], "normalizer": null,
    "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "use_regex": true},
    "post_processor": null, "decoder": {"type": "ByteLevel"},
    "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": [["a", "b"]]}
  })");
  document["model"]["vocab"]["c"] = 2147483647;
  const absl::StatusOr<Tokenizer> tokenizer = Tokenizer::FromJson(document.dump(), "huge.json");
  ASSERT_FALSE(tokenizer.ok());
  EXPECT_NE(tokenizer.status().message().find("huge.json"), std::string::npos)
      << tokenizer.status();
  EXPECT_NE(tokenizer.status().message().find("id 2147483647 of \"c\" is too large"),
            std::string::npos)
      << tokenizer.status();
}

TEST(ResourceLimitsTest, SparseBpeIdsWithinLimitLoad) {
  nlohmann::json document = nlohmann::json::parse(R"({
    "version": "1.0", "added_tokens": [], "normalizer": null, "pre_tokenizer": null,
    "post_processor": null, "decoder": null,
    "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": [["a", "b"]]}
  })");
  // Below 2 * 4 tokens + 2^20.
  document["model"]["vocab"]["c"] = 1000000;
  const absl::StatusOr<Tokenizer> tokenizer = Tokenizer::FromJson(document.dump(), "sparse.json");
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.status();
  EXPECT_EQ(tokenizer->EncodeIds("abc", false), (std::vector<uint32_t>{2, 1000000}));
}

}  // namespace
}  // namespace tokforge
