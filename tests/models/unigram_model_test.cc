#include "models/unigram/unigram_model.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace tokforge::internal {
namespace {

std::unique_ptr<UnigramModel> MakeModel(std::vector<UnigramPiece> vocab,
                                        std::optional<uint32_t> unk_id, bool byte_fallback = false) {
  auto model = UnigramModel::Create(std::move(vocab), unk_id, byte_fallback);
  EXPECT_TRUE(model.ok()) << model.status();
  return *std::move(model);
}

std::vector<ModelToken> Tokenize(const UnigramModel& model, std::string_view text) {
  std::vector<ModelToken> tokens;
  model.Tokenize(text, &tokens);
  return tokens;
}

std::vector<uint32_t> Ids(const std::vector<ModelToken>& tokens) {
  std::vector<uint32_t> ids;
  for (const ModelToken& token : tokens) ids.push_back(token.id);
  return ids;
}

TEST(UnigramModel, PicksHighestScoringPath) {
  const auto model = MakeModel({{"<unk>", 0}, {"a", -1}, {"b", -1}, {"ab", -1.5}, {"abc", -5}, {"c", -1}},
                               0);
  // "ab" + "c" scores -2.5, better than a+b+c (-3) and abc (-5).
  const std::vector<ModelToken> tokens = Tokenize(*model, "abc");
  EXPECT_EQ(Ids(tokens), (std::vector<uint32_t>{3, 5}));
  EXPECT_EQ(tokens[0].begin, 0u);
  EXPECT_EQ(tokens[0].end, 2u);
  EXPECT_EQ(tokens[1].begin, 2u);
  EXPECT_EQ(tokens[1].end, 3u);
}

TEST(UnigramModel, TieKeepsEarliestStartingLastToken) {
  // "a"+"bb" and "ab"+"b" both score -2; at the end position the candidate
  // starting earlier ("bb" from 1) is seen first and kept.
  const auto model = MakeModel({{"<unk>", 0}, {"a", -1}, {"b", -1}, {"ab", -1}, {"bb", -1}}, 0);
  EXPECT_EQ(Ids(Tokenize(*model, "abb")), (std::vector<uint32_t>{1, 4}));
}

TEST(UnigramModel, FusesConsecutiveUnknowns) {
  const auto model = MakeModel({{"<unk>", 0}, {"a", -1}}, 0);
  const std::vector<ModelToken> tokens = Tokenize(*model, "a\xC3\xA9\xC3\xA8" "a");
  ASSERT_EQ(Ids(tokens), (std::vector<uint32_t>{1, 0, 1}));
  EXPECT_EQ(tokens[1].begin, 1u);
  EXPECT_EQ(tokens[1].end, 5u);
}

TEST(UnigramModel, ByteFallbackReplacesUnknown) {
  std::vector<UnigramPiece> vocab = {{"<unk>", 0}, {"a", -1}};
  for (const char* byte : {"<0xC3>", "<0xA9>"}) vocab.push_back({byte, -10});
  const auto model = MakeModel(vocab, 0, /*byte_fallback=*/true);
  const std::vector<ModelToken> tokens = Tokenize(*model, "a\xC3\xA9");
  ASSERT_EQ(Ids(tokens), (std::vector<uint32_t>{1, 2, 3}));
  EXPECT_EQ(tokens[1].begin, 1u);
  EXPECT_EQ(tokens[2].end, 3u);
}

TEST(UnigramModel, ByteFallbackNeedsEveryByte) {
  const auto model = MakeModel({{"<unk>", 0}, {"a", -1}, {"<0xC3>", -10}}, 0, true);
  EXPECT_EQ(Ids(Tokenize(*model, "\xC3\xA9")), (std::vector<uint32_t>{0}));
}

TEST(UnigramModel, DuplicatePieceUsesLaterId) {
  const auto model = MakeModel({{"<unk>", 0}, {"x", -1}, {"x", -2}}, 0);
  EXPECT_EQ(model->TokenToId("x"), 2u);
  EXPECT_EQ(Ids(Tokenize(*model, "x")), (std::vector<uint32_t>{2}));
  EXPECT_EQ(*model->IdToToken(1), "x");
  EXPECT_EQ(model->vocab_size(), 3u);
}

TEST(UnigramModel, WithoutUnknownIdDropsCharacter) {
  const auto model = MakeModel({{"a", -1}}, std::nullopt);
  EXPECT_EQ(Ids(Tokenize(*model, "aza")), (std::vector<uint32_t>{0, 0}));
}

TEST(UnigramModel, RejectsUnknownIdOutsideVocab) {
  EXPECT_FALSE(UnigramModel::Create({{"a", -1}}, 1, false).ok());
  EXPECT_FALSE(UnigramModel::Create({}, 0, false).ok());
}

TEST(UnigramModel, FactoryReadsJson) {
  const Json config = Json::parse(R"({"type":"Unigram","unk_id":0,"vocab":[["<unk>",0],["hi",-1.5]]})");
  auto model = CreateUnigramModel(config, {"test.json", "model"});
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_EQ((*model)->TokenToId("hi"), 1u);
  EXPECT_EQ((*model)->unk_token_id(), 0u);

  const Json bad = Json::parse(R"({"vocab":[["a"]]})");
  auto error = CreateUnigramModel(bad, {"test.json", "model"});
  ASSERT_FALSE(error.ok());
  EXPECT_NE(error.status().message().find("model.vocab[0]"), std::string::npos) << error.status();
}

}  // namespace
}  // namespace tokforge::internal
