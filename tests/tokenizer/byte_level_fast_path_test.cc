// Byte-level BPE encodes ids from raw bytes (Tokenizer::EncodeIds) and, with
// details, from the byte-level spelling (Tokenizer::Encode). Both must give
// the ids Hugging Face gives; these tests compare the two paths and check the
// cases where a whole-piece lookup could differ from the merges.

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

TEST(ByteLevelFastPathTest, Gpt2PathsAgreeOnCorpora) {
  absl::StatusOr<Tokenizer> gpt2 =
      Tokenizer::FromFile(testing::SourcePath("data/tokenizers/gpt2/tokenizer.json"));
  ASSERT_TRUE(gpt2.ok()) << gpt2.status();
  size_t lines = 0;
  for (const char* file :
       {"data/parity/adversarial.txt", "data/golden_corpus/ko_chatbot_data.txt",
        "data/golden_corpus/fr_gautier_morte_amoureuse.txt", "data/golden_corpus/py_shlex.txt"}) {
    const std::string text = testing::ReadWholeFile(testing::SourcePath(file));
    ASSERT_FALSE(text.empty()) << file;
    for (const std::string& line : testing::SplitLines(text)) {
      // Twice, because the second time the per-thread piece cache returns the ids.
      for (int pass = 0; pass < 2; ++pass) {
        ASSERT_EQ(gpt2->EncodeIds(line, false), gpt2->Encode(line, false).ids)
            << file << ": " << line;
      }
      ++lines;
    }
  }
  EXPECT_GT(lines, 100u);
}

}  // namespace
}  // namespace tokforge
