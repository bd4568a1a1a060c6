// Parity of the T5, CamemBERT and BERT tokenizers with Hugging Face
// tokenizers 0.23.2, on the golden outputs that
// scripts/hf/make_golden_unigram_wordpiece.sh writes, and on the reference
// encodings shipped with those tokenizer files.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_join.h"
#include "support/test_data.h"
#include "tokforge/tokenizer.h"
#include "util/utf8.h"

namespace tokforge {
namespace {

using Json = nlohmann::json;

Tokenizer Load(const std::string& relative_path) {
  absl::StatusOr<Tokenizer> tokenizer = Tokenizer::FromFile(testing::SourcePath(relative_path));
  EXPECT_TRUE(tokenizer.ok()) << tokenizer.status();
  return *std::move(tokenizer);
}

// The input lines a golden file covers, in order, per inputs_unigram_wordpiece.tsv.
std::vector<std::string> GoldenInputLines(const std::string& golden_file) {
  std::vector<std::string> lines;
  const std::vector<std::string> rows = testing::SplitLines(
      testing::ReadWholeFile(testing::SourcePath("tests/golden/inputs_unigram_wordpiece.tsv")));
  for (size_t i = 1; i < rows.size(); ++i) {
    std::istringstream row(rows[i]);
    std::string golden, input;
    size_t count = 0;
    row >> golden >> input >> count;
    if (golden != golden_file) continue;
    const std::vector<std::string> file_lines =
        testing::SplitLines(testing::ReadWholeFile(testing::SourcePath(input)));
    EXPECT_EQ(file_lines.size(), count) << input;
    lines.insert(lines.end(), file_lines.begin(), file_lines.end());
  }
  return lines;
}

std::string Join(const std::vector<uint32_t>& ids) { return absl::StrJoin(ids, " "); }

// Encodes every golden input line with special tokens and counts the lines
// whose ids differ from Hugging Face's.
void ExpectGoldenIds(const Tokenizer& tokenizer, const std::string& golden_file) {
  const std::vector<std::string> inputs = GoldenInputLines(golden_file);
  const std::vector<std::string> expected =
      testing::SplitLines(testing::ReadWholeFile(testing::SourcePath("tests/golden/" + golden_file)));
  ASSERT_FALSE(inputs.empty());
  ASSERT_EQ(inputs.size(), expected.size());
  size_t mismatches = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::vector<uint32_t> ids = tokenizer.EncodeIds(inputs[i], true);
    if (ids == testing::ParseIds(expected[i])) continue;
    if (++mismatches <= 3) {
      ADD_FAILURE() << golden_file << " line " << i + 1 << ": \"" << inputs[i] << "\"\n  HF:       "
                    << expected[i] << "\n  tokforge: " << Join(ids);
    }
  }
  EXPECT_EQ(mismatches, 0u) << "of " << inputs.size() << " lines";
}

// Byte offset in `text` of each code point index 0..n.
std::vector<size_t> CodePointToByte(const std::string& text) {
  std::vector<size_t> offsets;
  for (size_t pos = 0; pos < text.size(); pos += DecodeUtf8(text, pos).length) offsets.push_back(pos);
  offsets.push_back(text.size());
  return offsets;
}

// Compares ids and byte offsets (converted from HF's code point offsets)
// without special tokens.
void ExpectGoldenOffsets(const Tokenizer& tokenizer, const std::string& golden_file) {
  const std::vector<std::string> inputs = GoldenInputLines(golden_file);
  const std::vector<std::string> expected =
      testing::SplitLines(testing::ReadWholeFile(testing::SourcePath("tests/golden/" + golden_file)));
  ASSERT_FALSE(inputs.empty());
  ASSERT_EQ(inputs.size(), expected.size());
  size_t mismatches = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Json reference = Json::parse(expected[i]);
    const Encoding encoding = tokenizer.Encode(inputs[i], false);
    const std::vector<size_t> to_byte = CodePointToByte(inputs[i]);
    std::vector<std::pair<size_t, size_t>> reference_offsets;
    for (const Json& pair : reference["offsets"]) {
      reference_offsets.emplace_back(to_byte.at(pair[0].get<size_t>()), to_byte.at(pair[1].get<size_t>()));
    }
    const bool same = encoding.ids == reference["ids"].get<std::vector<uint32_t>>() &&
                      encoding.offsets == reference_offsets;
    if (same) continue;
    if (++mismatches <= 3) {
      std::ostringstream ours;
      for (size_t t = 0; t < encoding.ids.size(); ++t) {
        ours << encoding.ids[t] << "@" << encoding.offsets[t].first << "-" << encoding.offsets[t].second
             << " ";
      }
      std::ostringstream theirs;
      for (size_t t = 0; t < reference_offsets.size(); ++t) {
        theirs << reference["ids"][t] << "@" << reference_offsets[t].first << "-"
               << reference_offsets[t].second << " ";
      }
      ADD_FAILURE() << golden_file << " line " << i + 1 << ": \"" << inputs[i]
                    << "\"\n  HF:       " << theirs.str() << "\n  tokforge: " << ours.str();
    }
  }
  EXPECT_EQ(mismatches, 0u) << "of " << inputs.size() << " lines";
}

TEST(UnigramWordPieceParity, T5IdsMatchHf) {
  ExpectGoldenIds(Load("data/tokenizers/t5/tokenizer.json"), "hf_t5.ids");
}

TEST(UnigramWordPieceParity, T5SpieceModelMatchesHfTokenizerJson) {
  ExpectGoldenIds(Load("data/tokenizers/t5/spiece.model"), "hf_t5.ids");
}

TEST(UnigramWordPieceParity, CamembertIdsMatchHf) {
  ExpectGoldenIds(Load("data/tokenizers/camembert/tokenizer.json"), "hf_camembert.ids");
}

TEST(UnigramWordPieceParity, BertIdsMatchHf) {
  ExpectGoldenIds(Load("data/tokenizers/bert-base-uncased/tokenizer.json"),
                  "hf_bert-base-uncased.ids");
}

TEST(UnigramWordPieceParity, T5OffsetsMatchHf) {
  ExpectGoldenOffsets(Load("data/tokenizers/t5/tokenizer.json"), "hf_t5_offsets.jsonl");
}

TEST(UnigramWordPieceParity, CamembertOffsetsMatchHf) {
  ExpectGoldenOffsets(Load("data/tokenizers/camembert/tokenizer.json"),
                      "hf_camembert_offsets.jsonl");
}

TEST(UnigramWordPieceParity, BertOffsetsMatchHf) {
  ExpectGoldenOffsets(Load("data/tokenizers/bert-base-uncased/tokenizer.json"),
                      "hf_bert-base-uncased_offsets.jsonl");
}

TEST(UnigramWordPieceParity, BertReferenceVectors) {
  const Tokenizer tokenizer = Load("data/tokenizers/bert-base-uncased/tokenizer.json");
  const Json vectors = Json::parse(testing::ReadWholeFile(
      testing::SourcePath("data/tokenizers/bert-base-uncased/reference_vectors.json")));
  size_t checked = 0;
  for (const Json& test_case : vectors["cases"]) {
    if (test_case["kind"] != "single") continue;  // the public API encodes single sequences
    const std::string text = test_case["text"];
    const bool add_special = test_case["add_special_tokens"];
    SCOPED_TRACE(text);
    const Encoding encoding = tokenizer.Encode(text, add_special);
    EXPECT_EQ(encoding.ids, test_case["ids"].get<std::vector<uint32_t>>());
    EXPECT_EQ(encoding.tokens, test_case["tokens"].get<std::vector<std::string>>());
    EXPECT_EQ(encoding.offsets, (test_case["offsets"].get<std::vector<std::pair<size_t, size_t>>>()));
    EXPECT_EQ(std::vector<uint32_t>(encoding.special_tokens_mask.begin(),
                                    encoding.special_tokens_mask.end()),
              test_case["special_tokens_mask"].get<std::vector<uint32_t>>());
    EXPECT_EQ(tokenizer.Decode(encoding.ids, true), test_case["decoded"].get<std::string>());
    EXPECT_EQ(tokenizer.Decode(encoding.ids, false), test_case["decoded_raw"].get<std::string>());
    ++checked;
  }
  EXPECT_EQ(checked, 54u);
}

TEST(UnigramWordPieceParity, CamembertReferenceEncodings) {
  const Tokenizer tokenizer = Load("data/tokenizers/camembert/tokenizer.json");
  const Json encodings = Json::parse(testing::ReadWholeFile(
      testing::SourcePath("data/tokenizers/camembert/reference_encodings.json")));
  ASSERT_FALSE(encodings["cases"].empty());
  for (const Json& test_case : encodings["cases"]) {
    const std::string text = test_case["text"];
    EXPECT_EQ(tokenizer.EncodeIds(text, true), test_case["ids"].get<std::vector<uint32_t>>()) << text;
  }
}

TEST(UnigramWordPieceParity, T5SpieceModelDecodes) {
  const Tokenizer tokenizer = Load("data/tokenizers/t5/spiece.model");
  const std::vector<uint32_t> ids = tokenizer.EncodeIds("Hello world", true);
  EXPECT_EQ(ids, (std::vector<uint32_t>{8774, 296, 1}));
  EXPECT_EQ(tokenizer.Decode(ids, true), "Hello world");
  EXPECT_EQ(tokenizer.vocab_size(true), 32100u);
}

}  // namespace
}  // namespace tokforge
