// Behaviour of single pipeline components on small documents, with the
// results Hugging Face tokenizers 0.23.2 gives for the same documents.

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tokforge/tokenizer.h"

namespace tokforge {
namespace {

using Json = nlohmann::json;

// A character-level BPE over "▁abc" and byte-fallback tokens for a few bytes.
Json MetaspaceDocument() {
  Json vocab = Json::object();
  uint32_t id = 0;
  for (const char* token : {"<unk>", "\xE2\x96\x81", "a", "b", "c", "\xE2\x96\x81" "a", "<0xC3>",
                            "<0xA9>"}) {
    vocab[token] = id++;
  }
  return Json{{"added_tokens", Json::array()},
              {"normalizer", nullptr},
              {"pre_tokenizer", Json{{"type", "Metaspace"}, {"replacement", "\xE2\x96\x81"},
                                     {"prepend_scheme", "first"}, {"split", true}}},
              {"post_processor", nullptr},
              {"decoder", Json::parse(R"({"type": "Sequence", "decoders": [
                   {"type": "ByteFallback"}, {"type": "Metaspace", "replacement": "\u2581",
                    "prepend_scheme": "first"}]})")},
              {"model", Json{{"type", "BPE"}, {"unk_token", "<unk>"}, {"fuse_unk", true},
                             {"byte_fallback", true}, {"vocab", vocab},
                             {"merges", Json::array({Json::array({"\xE2\x96\x81", "a"})})}}}};
}

TEST(ComponentsTest, MetaspaceByteFallbackAndFusedUnk) {
  absl::StatusOr<Tokenizer> tokenizer = Tokenizer::FromJson(MetaspaceDocument().dump());
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.status();
  // "a" gets the prepended "▁" and merges; "é" is two fallback bytes; "xy"
  // has no tokens and fuses into one <unk>.
  const Encoding encoding = tokenizer->Encode("ab \xC3\xA9xy");
  EXPECT_EQ(encoding.ids, (std::vector<uint32_t>{5, 3, 1, 6, 7, 0}));
  EXPECT_EQ(encoding.offsets[0], (std::pair<size_t, size_t>{0, 1}));
  EXPECT_EQ(encoding.offsets[5], (std::pair<size_t, size_t>{5, 7}));
  EXPECT_EQ(tokenizer->Decode({5, 3, 1, 6, 7}), "ab \xC3\xA9");
  EXPECT_EQ(tokenizer->Decode({6, 2}), "\xEF\xBF\xBD" "a");
  EXPECT_EQ(tokenizer->unk_token_id(), 0u);
}

TEST(ComponentsTest, AddedTokenStripAndSingleWord) {
  Json document = MetaspaceDocument();
  document["pre_tokenizer"] = Json{{"type", "WhitespaceSplit"}};
  document["model"]["vocab"]["<m>"] = 8;
  document["model"]["vocab"]["w"] = 9;
  document["added_tokens"] = Json::parse(R"([
    {"id": 8, "content": "<m>", "single_word": false, "lstrip": true, "rstrip": true,
     "normalized": false, "special": true},
    {"id": 9, "content": "w", "single_word": true, "lstrip": false, "rstrip": false,
     "normalized": false, "special": false}])");
  absl::StatusOr<Tokenizer> tokenizer = Tokenizer::FromJson(document.dump());
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.status();
  const Encoding encoding = tokenizer->Encode("a  <m>  b w aw");
  // lstrip and rstrip take the spaces around <m>; "w" alone is the added
  // token, while in "aw" it is not a single word and goes to the model,
  // which splits it into "a" and "w".
  EXPECT_EQ(encoding.ids, (std::vector<uint32_t>{2, 8, 3, 9, 2, 9}));
  EXPECT_EQ(encoding.tokens[1], "  <m>  ");
  EXPECT_EQ(encoding.offsets[1], (std::pair<size_t, size_t>{1, 8}));
  EXPECT_EQ(encoding.offsets[4], (std::pair<size_t, size_t>{12, 13}));
  // Only tokens added by a post-processor count as special in the mask.
  EXPECT_EQ(encoding.special_tokens_mask, (std::vector<uint8_t>{0, 0, 0, 0, 0, 0}));
}

TEST(ComponentsTest, LongestAddedTokenWins) {
  Json document = MetaspaceDocument();
  document["pre_tokenizer"] = nullptr;
  document["added_tokens"] = Json::parse(R"([
    {"id": 8, "content": "ab", "special": true, "normalized": false},
    {"id": 9, "content": "abc", "special": true, "normalized": false}])");
  absl::StatusOr<Tokenizer> tokenizer = Tokenizer::FromJson(document.dump());
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.status();
  EXPECT_EQ(tokenizer->EncodeIds("abcab"), (std::vector<uint32_t>{9, 8}));
}

TEST(ComponentsTest, SplitBehaviors) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"Removed", {"a", "b"}},
      {"Isolated", {"a", "-", "-", "b"}},
      {"MergedWithPrevious", {"a-", "-", "b"}},
      {"MergedWithNext", {"a", "-", "-b"}},
      {"Contiguous", {"a", "--", "b"}},
  };
  for (const auto& [behavior, expected] : cases) {
    Json document = MetaspaceDocument();
    document["model"]["vocab"]["-"] = 8;
    document["model"]["vocab"]["--"] = 9;
    document["model"]["vocab"]["a-"] = 10;
    document["model"]["vocab"]["-b"] = 11;
    document["model"]["ignore_merges"] = true;
    document["pre_tokenizer"] = Json{{"type", "Split"},
                                     {"pattern", Json{{"String", "-"}}},
                                     {"behavior", behavior},
                                     {"invert", false}};
    absl::StatusOr<Tokenizer> tokenizer = Tokenizer::FromJson(document.dump());
    ASSERT_TRUE(tokenizer.ok()) << tokenizer.status();
    EXPECT_EQ(tokenizer->Encode("a--b").tokens, expected) << behavior;
  }
}

TEST(ComponentsTest, TemplateAddsSpecialTokensOnRequest) {
  Json document = MetaspaceDocument();
  document["post_processor"] = Json::parse(R"({"type": "TemplateProcessing",
    "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
               {"SpecialToken": {"id": "</s>", "type_id": 0}}],
    "pair": [],
    "special_tokens": {"<s>": {"id": "<s>", "ids": [20], "tokens": ["<s>"]},
                       "</s>": {"id": "</s>", "ids": [21], "tokens": ["</s>"]}}})");
  absl::StatusOr<Tokenizer> tokenizer = Tokenizer::FromJson(document.dump());
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.status();
  EXPECT_EQ(tokenizer->EncodeIds("a"), (std::vector<uint32_t>{20, 5, 21}));
  EXPECT_EQ(tokenizer->EncodeIds("a", false), (std::vector<uint32_t>{5}));
  const Encoding encoding = tokenizer->Encode("a");
  EXPECT_EQ(encoding.special_tokens_mask, (std::vector<uint8_t>{1, 0, 1}));
  EXPECT_EQ(encoding.offsets[2], (std::pair<size_t, size_t>{0, 0}));
}

TEST(ComponentsTest, NfkcLowercaseKeepsOffsets) {
  Json document = MetaspaceDocument();
  document["normalizer"] = Json::parse(
      R"({"type": "Sequence", "normalizers": [{"type": "NFKC"}, {"type": "Lowercase"}]})");
  document["pre_tokenizer"] = nullptr;
  absl::StatusOr<Tokenizer> tokenizer = Tokenizer::FromJson(document.dump());
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.status();
  // Fullwidth "Ａ" (3 bytes) becomes "a"; "B" becomes "b".
  const Encoding encoding = tokenizer->Encode("\xEF\xBC\xA1" "B");
  EXPECT_EQ(encoding.ids, (std::vector<uint32_t>{2, 3}));
  EXPECT_EQ(encoding.offsets[0], (std::pair<size_t, size_t>{0, 3}));
  EXPECT_EQ(encoding.offsets[1], (std::pair<size_t, size_t>{3, 4}));
}

}  // namespace
}  // namespace tokforge
