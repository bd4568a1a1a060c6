// Compares encoding with the ids Hugging Face tokenizers 0.23.2 produced for
// the same inputs (tests/golden/encoders, made by
// scripts/hf/make_golden_encoders.sh).

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "absl/strings/str_join.h"
#include "support/test_data.h"
#include "tokforge/tokenizer.h"

namespace tokforge {
namespace {

using testing::ReadWholeFile;
using testing::SourcePath;
using testing::SplitLines;

const char* const kInputs[] = {
    "data/golden_corpus/adversarial.txt",          "data/golden_corpus/fr_gautier_morte_amoureuse.txt",
    "data/golden_corpus/ko_chatbot_data.txt",      "data/golden_corpus/py_fnmatch.txt",
    "data/golden_corpus/py_shlex.txt",             "data/golden_corpus/py_textwrap.txt",
    "data/parity/adversarial.txt",
};

// Path of a tokenizer file, or "" when it is not available.
std::string TokenizerPath(const std::string& name) {
  const std::string in_repository = SourcePath("data/tokenizers/" + name + "/tokenizer.json");
  if (std::filesystem::exists(in_repository)) return in_repository;
  const char* dir = std::getenv("TOKFORGE_TOKENIZERS_DIR");
  if (dir == nullptr) return "";
  const std::filesystem::path path = std::filesystem::path(dir) / name / "tokenizer.json";
  return std::filesystem::exists(path) ? path.string() : "";
}

class HfGoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(HfGoldenTest, IdsMatchEveryLine) {
  const std::string path = TokenizerPath(GetParam());
  if (path.empty()) {
    GTEST_SKIP() << GetParam() << "/tokenizer.json is not in the repository (license); set "
                 << "TOKFORGE_TOKENIZERS_DIR to a directory containing it to run this test";
  }
  absl::StatusOr<Tokenizer> tokenizer = Tokenizer::FromFile(path);
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.status();

  for (const char* input : kInputs) {
    const std::filesystem::path input_path(input);
    const std::string stem = input_path.parent_path().filename().string() + "_" +
                             input_path.stem().string();
    const std::string golden_path =
        SourcePath("tests/golden/encoders/" + GetParam() + "/" + stem + ".ids");
    const std::vector<std::string> lines = SplitLines(ReadWholeFile(SourcePath(input)));
    const std::vector<std::string> expected = SplitLines(ReadWholeFile(golden_path));
    ASSERT_EQ(lines.size(), expected.size()) << golden_path;

    std::vector<std::string_view> views(lines.begin(), lines.end());
    const std::vector<std::vector<uint32_t>> batch = tokenizer->EncodeBatchIds(views, true, 2);
    // The flat batch on one thread and on two. On two threads the 557 KB
    // adversarial file spans several 64 KiB tasks, whose arrays are joined.
    const IdBatch flat_one = tokenizer->EncodeBatchIdsFlat(views, true, 1);
    const IdBatch flat_two = tokenizer->EncodeBatchIdsFlat(views, true, 2);
    ASSERT_EQ(flat_one.size(), lines.size());
    ASSERT_EQ(flat_two.size(), lines.size());
    size_t mismatches = 0;
    for (size_t i = 0; i < lines.size(); ++i) {
      const std::string actual = absl::StrJoin(batch[i], " ");
      EXPECT_EQ(absl::StrJoin(flat_one[i], " "), actual) << input << " line " << i + 1;
      EXPECT_EQ(absl::StrJoin(flat_two[i], " "), actual) << input << " line " << i + 1;
      if (actual == expected[i]) continue;
      if (++mismatches <= 3) {
        ADD_FAILURE() << input << " line " << i + 1 << "\n  expected: " << expected[i].substr(0, 300)
                      << "\n  actual:   " << actual.substr(0, 300);
      }
    }
    EXPECT_EQ(mismatches, 0u) << input;
    EXPECT_EQ(flat_two.ids.size(), flat_two.offsets.back());
  }
}

INSTANTIATE_TEST_SUITE_P(Tokenizers, HfGoldenTest, ::testing::Values("gpt2", "llama3", "mistral"));

TEST(HfGoldenTest, EncodeMatchesEncodeIds) {
  absl::StatusOr<Tokenizer> tokenizer = Tokenizer::FromFile(TokenizerPath("gpt2"));
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.status();
  for (const std::string& line : SplitLines(ReadWholeFile(SourcePath(kInputs[0])))) {
    const Encoding encoding = tokenizer->Encode(line);
    EXPECT_EQ(encoding.ids, tokenizer->EncodeIds(line)) << line;
    EXPECT_EQ(encoding.tokens.size(), encoding.ids.size());
    EXPECT_EQ(encoding.offsets.size(), encoding.ids.size());
  }
}

TEST(HfGoldenTest, Gpt2DecodeRoundTrips) {
  absl::StatusOr<Tokenizer> tokenizer = Tokenizer::FromFile(TokenizerPath("gpt2"));
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.status();
  for (const char* input : kInputs) {
    for (const std::string& line : SplitLines(ReadWholeFile(SourcePath(input)))) {
      EXPECT_EQ(tokenizer->Decode(tokenizer->EncodeIds(line)), line) << input;
    }
  }
}

// Vectors recorded with HF tokenizers 0.21.4 for the GPT-2 file, with byte
// offsets.
TEST(HfGoldenTest, Gpt2ReferenceVectors) {
  absl::StatusOr<Tokenizer> tokenizer = Tokenizer::FromFile(TokenizerPath("gpt2"));
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.status();
  const nlohmann::json vectors = nlohmann::json::parse(
      ReadWholeFile(SourcePath("data/tokenizers/gpt2/reference_vectors.json")));
  size_t checked = 0;
  for (const nlohmann::json& entry : vectors["cases"]) {
    if (entry["kind"] != "single") continue;
    const std::string text = entry["text"];
    const Encoding encoding = tokenizer->Encode(text, entry["add_special_tokens"].get<bool>());
    EXPECT_EQ(encoding.ids, entry["ids"].get<std::vector<uint32_t>>()) << text;
    EXPECT_EQ(encoding.tokens, entry["tokens"].get<std::vector<std::string>>()) << text;
    if (entry.contains("decoded")) {
      EXPECT_EQ(tokenizer->Decode(encoding.ids, true), entry["decoded"].get<std::string>()) << text;
    }
    ++checked;
  }
  EXPECT_GT(checked, 10u);
}

}  // namespace
}  // namespace tokforge
