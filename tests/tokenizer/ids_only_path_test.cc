// Ids-only encoding (Tokenizer::EncodeIds) takes shortcuts: byte-level BPE
// encodes raw bytes with a whole-piece lookup, and other pipelines split
// plain text instead of aligned strings. Encode, with details, takes neither.
// Both must give the ids Hugging Face gives. These tests compare the two
// paths and check the cases where a whole-piece lookup could differ from the
// merges.

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/test_data.h"
#include "tokforge/tokenizer.h"
#include "util/byte_level.h"

namespace tokforge {
namespace {

using Json = nlohmann::json;

std::string Spell(std::string_view bytes) {
  std::string spelled;
  for (const char byte : bytes) {
    spelled.append(ByteLevelAlphabet::Get().Spelling(static_cast<uint8_t>(byte)));
  }
  return spelled;
}

// A byte-level BPE with the 256 byte tokens (ids 0 to 255, in byte order),
// the merges "a b" and "ab c", and the extra tokens given.
Json TinyByteLevelDocument(const std::vector<std::string>& extra_tokens, bool ignore_merges) {
  Json vocab = Json::object();
  for (int byte = 0; byte < 256; ++byte) vocab[Spell(std::string(1, static_cast<char>(byte)))] = byte;
  uint32_t id = 256;
  for (const char* token : {"ab", "abc"}) vocab[token] = id++;
  for (const std::string& token : extra_tokens) vocab[Spell(token)] = id++;
  const Json byte_level = Json{{"type", "ByteLevel"}, {"add_prefix_space", false},
                               {"trim_offsets", true}, {"use_regex", true}};
  return Json{{"added_tokens", Json::array()},
              {"normalizer", nullptr},
              {"pre_tokenizer", byte_level},
              {"post_processor", byte_level},
              {"decoder", byte_level},
              {"model", Json{{"type", "BPE"},
                             {"ignore_merges", ignore_merges},
                             {"vocab", vocab},
                             {"merges", Json::array({"a b", "ab c"})}}}};
}

Tokenizer Load(const Json& document) {
  absl::StatusOr<Tokenizer> tokenizer = Tokenizer::FromJson(document.dump());
  EXPECT_TRUE(tokenizer.ok()) << tokenizer.status();
  return *std::move(tokenizer);
}

TEST(ByteLevelFastPathTest, TokenWithoutMergePathIsNotUsed) {
  // "xyz" is in the vocabulary, but no merge builds it. So BPE on its bytes
  // gives three tokens, as in Hugging Face, where a lookup of whole pieces
  // alone would give one.
  const Tokenizer tokenizer = Load(TinyByteLevelDocument({"xyz"}, /*ignore_merges=*/false));
  const std::vector<uint32_t> expected = {'x', 'y', 'z'};
  EXPECT_EQ(tokenizer.EncodeIds("xyz", false), expected);
  const Encoding encoding = tokenizer.Encode("xyz", false);
  EXPECT_EQ(encoding.ids, expected);
  // One-byte tokens under trim_offsets keep their offsets.
  EXPECT_EQ(encoding.offsets[2], (std::pair<size_t, size_t>{2, 3}));
  // Repeated, so that the result stored by the first call is used.
  EXPECT_EQ(tokenizer.EncodeIds("xyz xyz", false),
            (std::vector<uint32_t>{'x', 'y', 'z', ' ', 'x', 'y', 'z'}));
}

TEST(ByteLevelFastPathTest, MergedTokenIsOneId) {
  const Tokenizer tokenizer = Load(TinyByteLevelDocument({}, /*ignore_merges=*/false));
  EXPECT_EQ(tokenizer.EncodeIds("abc", false), (std::vector<uint32_t>{257}));
  EXPECT_EQ(tokenizer.EncodeIds("abca", false), (std::vector<uint32_t>{257, 'a'}));
}

TEST(ByteLevelFastPathTest, IgnoreMergesTakesWholeTokens) {
  const Tokenizer tokenizer = Load(TinyByteLevelDocument({"xyz"}, /*ignore_merges=*/true));
  EXPECT_EQ(tokenizer.EncodeIds("xyz", false), (std::vector<uint32_t>{258}));
  EXPECT_EQ(tokenizer.Encode("xyz", false).ids, (std::vector<uint32_t>{258}));
}

TEST(ByteLevelFastPathTest, IgnoreMergesFindsVeryLongToken) {
  // Longer than the whole-piece table's longest key.
  const std::string long_token(300, 'k');
  const Tokenizer tokenizer = Load(TinyByteLevelDocument({long_token}, /*ignore_merges=*/true));
  EXPECT_EQ(tokenizer.EncodeIds(long_token, false), (std::vector<uint32_t>{258}));
  EXPECT_EQ(tokenizer.Encode(long_token, false).ids, (std::vector<uint32_t>{258}));
}

TEST(ByteLevelFastPathTest, LongPiecesMatchDetailedPath) {
  const Tokenizer tokenizer = Load(TinyByteLevelDocument({}, /*ignore_merges=*/false));
  // Pieces longer than the piece cache and the stack buffer of short merges.
  for (const size_t length : {31, 32, 33, 64, 65, 1000}) {
    std::string text;
    while (text.size() < length) text += "abc";
    text.resize(length);
    EXPECT_EQ(tokenizer.EncodeIds(text, false), tokenizer.Encode(text, false).ids) << length;
  }
}

// Every tokenizer in data/tokenizers gives the same ids through EncodeIds
// (raw bytes, or the pre-tokenizers' plain-text split) as through Encode.
TEST(IdsOnlyPathTest, AgreesWithDetailedPathOnCorpora) {
  for (const char* name : {"gpt2", "mistral", "t5", "camembert", "bert-base-uncased"}) {
    absl::StatusOr<Tokenizer> tokenizer = Tokenizer::FromFile(
        testing::SourcePath(std::string("data/tokenizers/") + name + "/tokenizer.json"));
    ASSERT_TRUE(tokenizer.ok()) << tokenizer.status();
    size_t lines = 0;
    for (const char* file :
         {"data/parity/adversarial.txt", "data/golden_corpus/ko_chatbot_data.txt",
          "data/golden_corpus/fr_gautier_morte_amoureuse.txt", "data/golden_corpus/py_shlex.txt"}) {
      const std::string text = testing::ReadWholeFile(testing::SourcePath(file));
      ASSERT_FALSE(text.empty()) << file;
      for (const std::string& line : testing::SplitLines(text)) {
        // Twice, because the second time the per-thread caches return the ids.
        for (int pass = 0; pass < 2; ++pass) {
          ASSERT_EQ(tokenizer->EncodeIds(line, true), tokenizer->Encode(line, true).ids)
              << name << ", " << file << ": " << line;
        }
        ++lines;
      }
    }
    EXPECT_GT(lines, 100u) << name;
  }
}

// BertNormalizer rewrites ASCII text through a table built from its options
// and sends other text through the aligned path. Every option combination
// must give the ids of Encode, including for control characters.
TEST(IdsOnlyPathTest, BertNormalizerOptionsAgree) {
  using namespace std::string_literals;
  const Json original = Json::parse(testing::ReadWholeFile(
      testing::SourcePath("data/tokenizers/bert-base-uncased/tokenizer.json")));
  const std::vector<std::string> lines = {
      "Hello, World! x+y=3; $HOME/path_to-file.py",
      "NUL\0inside, bell\a, tab\tend, VT\vFF\f, CR\rLF, DEL\x7f."s,
      "  Leading   and trailing spaces  ",
      "MiXeD CaSe ÉTÉ, Ünïcödé and 漢字 with ASCII",
      "\x01\x02\x1f only controls",
      "",
  };
  for (const bool clean_text : {true, false}) {
    for (const bool lowercase : {true, false}) {
      Json document = original;
      document["normalizer"]["clean_text"] = clean_text;
      document["normalizer"]["lowercase"] = lowercase;
      const Tokenizer tokenizer = Load(document);
      for (const std::string& line : lines) {
        EXPECT_EQ(tokenizer.EncodeIds(line, true), tokenizer.Encode(line, true).ids)
            << "clean_text " << clean_text << ", lowercase " << lowercase << ": " << line;
      }
    }
  }
}

// The flat batch appends each text's ids straight to a shared array unless
// the post-processor adds special tokens. Both ways must match EncodeIds.
class FlatBatchTest : public ::testing::TestWithParam<const char*> {};

TEST_P(FlatBatchTest, MatchesEncodeIds) {
  absl::StatusOr<Tokenizer> tokenizer =
      Tokenizer::FromFile(testing::SourcePath(std::string("data/tokenizers/") + GetParam() +
                                              "/tokenizer.json"));
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.status();
  const std::vector<std::string> lines = testing::SplitLines(
      testing::ReadWholeFile(testing::SourcePath("data/golden_corpus/adversarial.txt")));
  const std::vector<std::string_view> views(lines.begin(), lines.end());
  for (const bool add_special_tokens : {true, false}) {
    for (const int threads : {1, 2}) {
      const IdBatch batch = tokenizer->EncodeBatchIdsFlat(views, add_special_tokens, threads);
      ASSERT_EQ(batch.size(), lines.size());
      for (size_t i = 0; i < lines.size(); ++i) {
        const std::vector<uint32_t> expected = tokenizer->EncodeIds(lines[i], add_special_tokens);
        const absl::Span<const uint32_t> actual = batch[i];
        EXPECT_EQ(std::vector<uint32_t>(actual.begin(), actual.end()), expected)
            << "line " << i + 1 << ", add_special_tokens " << add_special_tokens << ", threads "
            << threads;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Tokenizers, FlatBatchTest,
                         ::testing::Values("gpt2", "mistral", "t5", "bert-base-uncased",
                                           "camembert"),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::erase(name, '-');
                           return name;
                         });

TEST(EncodesAnyBytesTest, BundledTokenizers) {
  const std::pair<const char*, bool> cases[] = {
      {"gpt2", true},             // ByteLevel pre-tokenizer
      {"mistral", true},          // byte_fallback
      {"t5", false},              // Unigram without byte fallback
      {"camembert", false},
      {"bert-base-uncased", false},
  };
  for (const auto& [name, expected] : cases) {
    absl::StatusOr<Tokenizer> tokenizer = Tokenizer::FromFile(
        testing::SourcePath(std::string("data/tokenizers/") + name + "/tokenizer.json"));
    ASSERT_TRUE(tokenizer.ok()) << tokenizer.status();
    EXPECT_EQ(tokenizer->EncodesAnyBytes(), expected) << name;
  }
  // A ByteLevel step nested in a Sequence counts too.
  Json document = TinyByteLevelDocument({}, false);
  document["pre_tokenizer"] = Json{{"type", "Sequence"}, {"pretokenizers", Json::array({document["pre_tokenizer"]})}};
  EXPECT_TRUE(Load(document).EncodesAnyBytes());
}

}  // namespace
}  // namespace tokforge
