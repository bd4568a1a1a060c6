// Malformed tokenizer.json files give errors that name the file, the JSON
// path and what was expected.

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tokforge/tokenizer.h"

namespace tokforge {
namespace {

using Json = nlohmann::json;

// A small valid byte-level BPE document: "a", "b" and their merge.
Json SmallDocument() {
  return Json::parse(R"({
    "version": "1.0", "truncation": null, "padding": null,
    "added_tokens": [{"id": 3, "content": "<s>", "single_word": false, "lstrip": false,
                      "rstrip": false, "normalized": false, "special": true}],
    "normalizer": null,
    "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true,
                      "use_regex": true},
    "post_processor": null,
    "decoder": {"type": "ByteLevel"},
    "model": {"type": "BPE", "dropout": null, "unk_token": null, "vocab": {"a": 0, "b": 1, "ab": 2},
              "merges": [["a", "b"]]}
  })");
}

std::string LoadError(const Json& document) {
  absl::StatusOr<Tokenizer> tokenizer = Tokenizer::FromJson(document.dump(), "small.json");
  EXPECT_FALSE(tokenizer.ok());
  return tokenizer.ok() ? "" : std::string(tokenizer.status().message());
}

TEST(LoadErrorsTest, SmallDocumentLoads) {
  absl::StatusOr<Tokenizer> tokenizer = Tokenizer::FromJson(SmallDocument().dump(), "small.json");
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.status();
  EXPECT_EQ(tokenizer->EncodeIds("ab<s>ba"), (std::vector<uint32_t>{2, 3, 1, 0}));
}

TEST(LoadErrorsTest, NotJson) {
  absl::StatusOr<Tokenizer> tokenizer = Tokenizer::FromJson("{\"model\": ", "broken.json");
  ASSERT_FALSE(tokenizer.ok());
  EXPECT_NE(std::string(tokenizer.status().message()).find("broken.json"), std::string::npos);
}

TEST(LoadErrorsTest, UnknownComponentType) {
  Json document = SmallDocument();
  document["pre_tokenizer"] = Json::parse(R"({"type": "Sequence", "pretokenizers": [
      {"type": "ByteLevel"}, {"type": "Mystery"}]})");
  const std::string error = LoadError(document);
  EXPECT_NE(error.find("small.json: pre_tokenizer.pretokenizers[1].type"), std::string::npos)
      << error;
  EXPECT_NE(error.find("\"Mystery\""), std::string::npos) << error;
}

TEST(LoadErrorsTest, MergeNamesMissingToken) {
  Json document = SmallDocument();
  document["model"]["merges"].push_back(Json::array({"b", "c"}));
  const std::string error = LoadError(document);
  EXPECT_NE(error.find("small.json: model: merges[1]"), std::string::npos) << error;
  EXPECT_NE(error.find("\"c\" is not in model.vocab"), std::string::npos) << error;
}

TEST(LoadErrorsTest, DuplicateVocabularyId) {
  Json document = SmallDocument();
  document["model"]["vocab"]["c"] = 1;
  const std::string error = LoadError(document);
  EXPECT_NE(error.find("id 1 is used by both"), std::string::npos) << error;
}

TEST(LoadErrorsTest, WrongFieldType) {
  Json document = SmallDocument();
  document["pre_tokenizer"]["add_prefix_space"] = "yes";
  const std::string error = LoadError(document);
  EXPECT_NE(error.find("small.json: pre_tokenizer.add_prefix_space: expected true or false"),
            std::string::npos)
      << error;
}

TEST(LoadErrorsTest, WrongMergeShape) {
  Json document = SmallDocument();
  document["model"]["merges"][0] = "a b c";
  const std::string error = LoadError(document);
  EXPECT_NE(error.find("small.json: model.merges[0]"), std::string::npos) << error;
}

TEST(LoadErrorsTest, InvalidRegex) {
  Json document = SmallDocument();
  document["pre_tokenizer"] = Json::parse(
      R"({"type": "Split", "pattern": {"Regex": "(a"}, "behavior": "Isolated", "invert": false})");
  const std::string error = LoadError(document);
  EXPECT_NE(error.find("small.json: pre_tokenizer.pattern.Regex: invalid regular expression"),
            std::string::npos)
      << error;
}

TEST(LoadErrorsTest, UnknownSplitBehavior) {
  Json document = SmallDocument();
  document["pre_tokenizer"] = Json::parse(
      R"({"type": "Split", "pattern": {"String": " "}, "behavior": "Sideways", "invert": false})");
  const std::string error = LoadError(document);
  EXPECT_NE(error.find("pre_tokenizer.behavior: unknown split behavior \"Sideways\""),
            std::string::npos)
      << error;
}

TEST(LoadErrorsTest, NonZeroDropoutRejected) {
  Json document = SmallDocument();
  document["model"]["dropout"] = 0.1;
  const std::string error = LoadError(document);
  EXPECT_NE(error.find("model.dropout"), std::string::npos) << error;
}

}  // namespace
}  // namespace tokforge
