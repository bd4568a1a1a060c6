#include "tokforge/trainer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/test_data.h"

namespace tokforge {
namespace {

using Json = nlohmann::json;

CorpusOptions GoldenCorpus() {
  CorpusOptions corpus;
  corpus.paths = {testing::SourcePath("data/golden_corpus")};
  corpus.include_globs = {"*.txt"};
  // adversarial.txt contains NUL bytes on purpose, and Hugging Face, whose
  // output these tests compare against, trains on them as text.
  corpus.allow_nul_bytes = true;
  return corpus;
}

Tokenizer TrainOn(const CorpusOptions& corpus, BpeTrainerOptions options) {
  BpeTrainer trainer(std::move(options));
  const absl::Status counted = trainer.CountCorpus(corpus);
  EXPECT_TRUE(counted.ok()) << counted;
  absl::StatusOr<Tokenizer> tokenizer = trainer.Train();
  EXPECT_TRUE(tokenizer.ok()) << tokenizer.status();
  return *std::move(tokenizer);
}

// Merges as ["left", "right"] pairs, whichever form the file uses.
std::vector<std::vector<std::string>> MergePairs(const Json& model) {
  std::vector<std::vector<std::string>> pairs;
  for (const Json& merge : model["merges"]) {
    if (merge.is_string()) {
      const std::string text = merge.get<std::string>();
      const size_t space = text.find(' ');
      pairs.push_back({text.substr(0, space), text.substr(space + 1)});
    } else {
      pairs.push_back(merge.get<std::vector<std::string>>());
    }
  }
  return pairs;
}

// Hugging Face tokenizers 0.23.2, default BpeTrainer, on the same files.
TEST(BpeTrainerTest, HfCompatibleMatchesHuggingFace) {
  BpeTrainerOptions options;
  options.vocab_size = 30000;
  options.hf_compatible = true;
  const Tokenizer tokenizer = TrainOn(GoldenCorpus(), options);
  const Json ours = Json::parse(tokenizer.ToJson());
  const Json hf =
      Json::parse(testing::ReadWholeFile(testing::SourcePath("tests/golden/hf_train_small.json")));
  EXPECT_EQ(ours["model"]["vocab"], hf["model"]["vocab"]);
  const auto our_merges = MergePairs(ours["model"]);
  const auto hf_merges = MergePairs(hf["model"]);
  ASSERT_EQ(our_merges.size(), hf_merges.size());
  for (size_t i = 0; i < hf_merges.size(); ++i) {
    ASSERT_EQ(our_merges[i], hf_merges[i]) << "first different merge at rank " << i;
  }
  EXPECT_EQ(ours["pre_tokenizer"], hf["pre_tokenizer"]);
  EXPECT_EQ(ours["decoder"], hf["decoder"]);
}

// Both the trained tokenizer and the HF-written file encode every golden
// line to the ids HF produced.
TEST(BpeTrainerTest, EncodingMatchesHuggingFace) {
  BpeTrainerOptions options;
  options.vocab_size = 30000;
  options.hf_compatible = true;
  const Tokenizer trained = TrainOn(GoldenCorpus(), options);
  absl::StatusOr<Tokenizer> loaded =
      Tokenizer::FromFile(testing::SourcePath("tests/golden/hf_train_small.json"));
  ASSERT_TRUE(loaded.ok()) << loaded.status();

  const std::vector<std::string> expected =
      testing::SplitLines(testing::ReadWholeFile(testing::SourcePath("tests/golden/hf_train_small.ids")));
  size_t golden_line = 0;
  size_t mismatches = 0;
  for (const testing::GoldenInput& input : testing::GoldenInputs("hf_train_small.ids")) {
    for (const std::string& line :
         testing::SplitLines(testing::ReadWholeFile(testing::SourcePath(input.input_file)))) {
      ASSERT_LT(golden_line, expected.size());
      const std::vector<uint32_t> hf_ids = testing::ParseIds(expected[golden_line++]);
      const std::vector<uint32_t> trained_ids = trained.EncodeIds(line, false);
      const std::vector<uint32_t> loaded_ids = loaded->EncodeIds(line, false);
      mismatches += trained_ids != hf_ids || loaded_ids != hf_ids;
      EXPECT_EQ(trained_ids, hf_ids) << input.input_file << ": " << line;
      EXPECT_EQ(loaded_ids, hf_ids) << input.input_file << ": " << line;
    }
  }
  EXPECT_EQ(golden_line, expected.size());
  EXPECT_EQ(mismatches, 0u);
}

TEST(BpeTrainerTest, SameFileForOneAndTwoThreads) {
  BpeTrainerOptions options;
  options.vocab_size = 3000;
  options.special_tokens = {"<|endoftext|>", "<pad>"};
  options.threads = 1;
  const std::string one = TrainOn(GoldenCorpus(), options).ToJson();
  options.threads = 2;
  const std::string two = TrainOn(GoldenCorpus(), options).ToJson();
  EXPECT_EQ(one, two);
}

TEST(BpeTrainerTest, DefaultModeHasAllBytesAndSpecials) {
  BpeTrainerOptions options;
  options.vocab_size = 400;
  options.special_tokens = {"<s>", "</s>", "<s>"};
  const Tokenizer tokenizer = TrainOn(GoldenCorpus(), options);
  EXPECT_EQ(tokenizer.vocab_size(), 400u);
  EXPECT_EQ(tokenizer.TokenToId("<s>"), 0u);
  EXPECT_EQ(tokenizer.TokenToId("</s>"), 1u);
  // The first alphabet symbol is '!', the byte with the lowest code point.
  EXPECT_EQ(tokenizer.IdToToken(2), "!");
  // A byte that never occurs in the corpus still has a token.
  EXPECT_TRUE(tokenizer.TokenToId("\xc3\xbf").has_value());  // 'ÿ' spells byte 0xFF
  const Json document = Json::parse(tokenizer.ToJson());
  ASSERT_EQ(document["added_tokens"].size(), 2u);
  EXPECT_EQ(document["added_tokens"][1]["content"], "</s>");
  EXPECT_EQ(document["added_tokens"][1]["special"], true);
}

TEST(BpeTrainerTest, DecodeInvertsEncode) {
  BpeTrainerOptions options;
  options.vocab_size = 2000;
  options.special_tokens = {"<|endoftext|>"};
  const Tokenizer tokenizer = TrainOn(GoldenCorpus(), options);
  using namespace std::string_literals;
  std::vector<std::string> lines = {
      "invalid \xff\xfe bytes and a lone \xc3 lead byte"s,
      "NUL\x00inside and CRLF\r\n"s,
      "emoji 👩‍👩‍👧‍👦 🇫🇷 and 한국어 and tabs\t\t and    spaces   "s,
      "special <|endoftext|> token inside text"s,
  };
  for (const testing::GoldenInput& input : testing::GoldenInputs("hf_train_small.ids")) {
    for (const std::string& line :
         testing::SplitLines(testing::ReadWholeFile(testing::SourcePath(input.input_file)))) {
      lines.push_back(line);
    }
  }
  for (const std::string& line : lines) {
    EXPECT_EQ(tokenizer.Decode(tokenizer.EncodeIds(line)), line);
  }
}

TEST(BpeTrainerTest, SpecialTokenInTextIsOneId) {
  BpeTrainerOptions options;
  options.vocab_size = 500;
  options.special_tokens = {"<|endoftext|>"};
  const Tokenizer tokenizer = TrainOn(GoldenCorpus(), options);
  const std::vector<uint32_t> ids = tokenizer.EncodeIds("a<|endoftext|>b");
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids[1], 0u);
}

TEST(BpeTrainerTest, CountSequencesMatchesFiles) {
  // Files are read line by line with each line's "\n" kept; feeding the
  // same lines as sequences gives the same tokenizer.
  const std::string path = testing::SourcePath("data/golden_corpus/py_shlex.txt");
  BpeTrainerOptions options;
  options.vocab_size = 1000;
  CorpusOptions corpus;
  corpus.paths = {path};
  const std::string from_file = TrainOn(corpus, options).ToJson();

  const std::vector<std::string> lines =
      testing::SplitLinesKeepingNewline(testing::ReadWholeFile(path));
  std::vector<std::string_view> views(lines.begin(), lines.end());
  BpeTrainer trainer(options);
  trainer.CountSequences(views);
  absl::StatusOr<Tokenizer> from_sequences = trainer.Train();
  ASSERT_TRUE(from_sequences.ok()) << from_sequences.status();
  EXPECT_EQ(from_sequences->ToJson(), from_file);
}

TEST(BpeTrainerTest, VocabSmallerThanAlphabetFails) {
  BpeTrainerOptions options;
  options.vocab_size = 100;
  BpeTrainer trainer(options);
  ASSERT_TRUE(trainer.CountCorpus(GoldenCorpus()).ok());
  absl::StatusOr<Tokenizer> tokenizer = trainer.Train();
  ASSERT_FALSE(tokenizer.ok());
  EXPECT_NE(tokenizer.status().message().find("at least 256"), std::string::npos)
      << tokenizer.status();
}

TEST(BpeTrainerTest, EmptyCorpusFails) {
  BpeTrainer trainer(BpeTrainerOptions{});
  absl::StatusOr<Tokenizer> tokenizer = trainer.Train();
  ASSERT_FALSE(tokenizer.ok());
  EXPECT_NE(tokenizer.status().message().find("no text"), std::string::npos);
}

}  // namespace
}  // namespace tokforge
