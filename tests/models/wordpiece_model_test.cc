#include "models/wordpiece/wordpiece_model.h"

#include <gtest/gtest.h>

#include <vector>

#include "decoders/wordpiece.h"

namespace tokforge::internal {
namespace {

std::unique_ptr<Model> MakeWordPiece(const char* json) {
  auto model = CreateWordPieceModel(Json::parse(json), {"test.json", "model"});
  EXPECT_TRUE(model.ok()) << model.status();
  return *std::move(model);
}

std::vector<ModelToken> Tokenize(const Model& model, std::string_view text) {
  std::vector<ModelToken> tokens;
  model.Tokenize(text, &tokens);
  return tokens;
}

constexpr const char* kVocab =
    R"({"unk_token":"[UNK]","continuing_subword_prefix":"##","max_input_chars_per_word":8,
        "vocab":{"[UNK]":0,"un":1,"##aff":2,"##able":3,"a":4,"##é":5}})";

TEST(WordPieceModel, GreedyLongestMatch) {
  const auto model = MakeWordPiece(kVocab);
  const std::vector<ModelToken> tokens = Tokenize(*model, "unaffable");
  ASSERT_EQ(tokens.size(), 1u);  // 9 characters exceed max_input_chars_per_word
  EXPECT_EQ(tokens[0].id, 0u);

  const std::vector<ModelToken> short_word = Tokenize(*model, "unaff");
  ASSERT_EQ(short_word.size(), 2u);
  EXPECT_EQ(short_word[0].id, 1u);
  EXPECT_EQ(short_word[1].id, 2u);
  EXPECT_EQ(short_word[1].begin, 2u);
  EXPECT_EQ(short_word[1].end, 5u);
}

TEST(WordPieceModel, MultibyteContinuation) {
  const auto model = MakeWordPiece(kVocab);
  const std::vector<ModelToken> tokens = Tokenize(*model, "a\xC3\xA9");
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[1].id, 5u);
  EXPECT_EQ(tokens[1].end, 3u);
}

TEST(WordPieceModel, UnmatchedPartMakesWordUnknown) {
  const auto model = MakeWordPiece(kVocab);
  const std::vector<ModelToken> tokens = Tokenize(*model, "unx");
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].id, 0u);
  EXPECT_EQ(tokens[0].begin, 0u);
  EXPECT_EQ(tokens[0].end, 3u);
}

TEST(WordLevelModel, MapsWholeWords) {
  auto model = CreateWordLevelModel(Json::parse(R"({"vocab":{"<unk>":0,"hello":1}})"),
                                    {"test.json", "model"});
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_EQ(Tokenize(**model, "hello")[0].id, 1u);
  EXPECT_EQ(Tokenize(**model, "bye")[0].id, 0u);
}

TEST(WordPieceDecoder, JoinsAndCleansUp) {
  WordPieceDecoder decoder("##", true);
  std::vector<std::string> tokens = {"un", "##aff", "##able", "do", "n't", "."};
  decoder.DecodeChain(&tokens);
  std::string text;
  for (const std::string& token : tokens) text += token;
  EXPECT_EQ(text, "unaffable don't.");
}

TEST(CtcDecoder, CollapsesRepeatsAndPads) {
  CtcDecoder decoder("<pad>", "|", true);
  std::vector<std::string> tokens = {"h", "h", "<pad>", "i", "|", "y", "o", "o"};
  decoder.DecodeChain(&tokens);
  std::string text;
  for (const std::string& token : tokens) text += token;
  EXPECT_EQ(text, "hi yo");
}

}  // namespace
}  // namespace tokforge::internal
