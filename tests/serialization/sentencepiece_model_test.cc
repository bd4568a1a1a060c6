#include "serialization/sentencepiece_model.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "serialization/serde_float.h"
#include "support/test_data.h"

namespace tokforge::internal {
namespace {

TEST(SentencePieceModel, ParsesT5Model) {
  const std::string bytes =
      testing::ReadWholeFile(testing::SourcePath("data/tokenizers/t5/spiece.model"));
  absl::StatusOr<SentencePieceModel> model = ParseSentencePieceModel(bytes);
  ASSERT_TRUE(model.ok()) << model.status();
  ASSERT_EQ(model->pieces.size(), 32000u);
  EXPECT_EQ(model->pieces[8774].piece, "\xE2\x96\x81Hello");
  EXPECT_EQ(model->pieces[0].type, SentencePieceModel::PieceType::kControl);
  EXPECT_EQ(model->pieces[2].type, SentencePieceModel::PieceType::kUnknown);
  EXPECT_EQ(model->unk_id, 2);
  EXPECT_EQ(model->eos_id, 1);
  EXPECT_EQ(model->pad_id, 0);
  EXPECT_EQ(model->model_type, SentencePieceModel::ModelType::kUnigram);
  EXPECT_TRUE(model->add_dummy_prefix);
  EXPECT_FALSE(model->precompiled_charsmap.empty());
  EXPECT_TRUE(LooksLikeSentencePieceModel(bytes));
  EXPECT_FALSE(LooksLikeSentencePieceModel("\n{\"version\": \"1.0\"}"));
}

TEST(SentencePieceModel, ConvertsLikeHfT5Converter) {
  const std::string bytes =
      testing::ReadWholeFile(testing::SourcePath("data/tokenizers/t5/spiece.model"));
  absl::StatusOr<SentencePieceModel> model = ParseSentencePieceModel(bytes);
  ASSERT_TRUE(model.ok()) << model.status();
  absl::StatusOr<nlohmann::json> document = SentencePieceToTokenizerJson(*model, {.extra_ids = 100});
  ASSERT_TRUE(document.ok()) << document.status();
  const nlohmann::json hf = ParseJsonWithSerdeFloats(
      testing::ReadWholeFile(testing::SourcePath("data/tokenizers/t5/tokenizer.json")));

  EXPECT_EQ((*document)["normalizer"], hf["normalizer"]);
  EXPECT_EQ((*document)["model"]["unk_id"], hf["model"]["unk_id"]);
  // Same pieces and bit-identical scores as HF's converted tokenizer.json.
  EXPECT_EQ((*document)["model"]["vocab"], hf["model"]["vocab"]);
  EXPECT_EQ((*document)["added_tokens"].size(), hf["added_tokens"].size());
  EXPECT_EQ((*document)["added_tokens"].back(), hf["added_tokens"].back());
}

TEST(SentencePieceModel, RejectsMalformedInput) {
  EXPECT_FALSE(ParseSentencePieceModel("").ok());                       // no pieces
  EXPECT_FALSE(ParseSentencePieceModel(std::string("\x0A\x10\x0A", 3)).ok());  // truncated
  const absl::StatusOr<SentencePieceModel> bad_score =
      ParseSentencePieceModel(std::string("\x0A\x04\x0A\x01" "a" "\x10", 6));
  EXPECT_FALSE(bad_score.ok());
}

TEST(SentencePieceModel, RejectsBpeModels) {
  SentencePieceModel model;
  model.pieces.push_back({"<unk>", 0, SentencePieceModel::PieceType::kUnknown});
  model.model_type = SentencePieceModel::ModelType::kBpe;
  model.unk_id = 0;
  EXPECT_EQ(SentencePieceToTokenizerJson(model, {}).status().code(),
            absl::StatusCode::kUnimplemented);
}

TEST(SerdeJsonFloat, RoundsTwiceLikeSerde) {
  // serde_json reads 20122928619384766 as a double, then divides by 1e16.
  const std::optional<double> value = ParseSerdeJsonFloat("-2.0122928619384766");
  ASSERT_TRUE(value.has_value());
  EXPECT_EQ(*value, -(static_cast<double>(20122928619384766ULL) / 1e16));
  EXPECT_NE(*value, std::strtod("-2.0122928619384766", nullptr));
}

TEST(SerdeJsonFloat, HandlesExponentsAndErrors) {
  EXPECT_EQ(ParseSerdeJsonFloat("1.5e3"), 1500.0);
  EXPECT_EQ(ParseSerdeJsonFloat("-0.25"), -0.25);
  EXPECT_EQ(ParseSerdeJsonFloat("1e-400"), 0.0);
  EXPECT_FALSE(ParseSerdeJsonFloat("1e400").has_value());
  EXPECT_FALSE(ParseSerdeJsonFloat("1.").has_value());
}

}  // namespace
}  // namespace tokforge::internal
