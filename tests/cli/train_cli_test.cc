// Runs the tokforge binary on bad input and checks the exit code, the
// message and that no output file is left behind.

#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/cli_test.h"
#include "support/test_data.h"

namespace tokforge {
namespace {

namespace fs = std::filesystem;

using testing::CommandResult;

class TrainCliTest : public testing::CliTest {
 protected:
  // Expects a failure whose message contains `needle` and no output file.
  void ExpectFailure(const std::string& arguments, const std::string& needle) const {
    const CommandResult result = Run(arguments + " --output " + Path("out/tokenizer.json"));
    EXPECT_NE(result.exit_code, 0) << result.output;
    EXPECT_NE(result.output.find(needle), std::string::npos)
        << "expected \"" << needle << "\" in: " << result.output;
    EXPECT_FALSE(fs::exists(Path("out/tokenizer.json")));
  }
};

TEST_F(TrainCliTest, TrainsAndPrintsSummary) {
  // adversarial.txt in the golden corpus contains NUL bytes on purpose.
  const CommandResult result = Run("train --allow-nul-bytes --vocab-size 300 --output " +
                                   Path("tok.json") + " " + testing::SourcePath("data/golden_corpus"));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("vocab size:      300"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find(Path("tok.json")), std::string::npos) << result.output;
  EXPECT_TRUE(fs::exists(Path("tok.json")));
}

// With --hf-compatible the alphabet holds only the bytes seen, so the NUL
// byte's token "Ā" (U+0100) is in the vocabulary exactly when NUL was counted.
TEST_F(TrainCliTest, AllowNulBytesCountsNul) {
  Write("data.txt", std::string("one\0two\n", 8));
  const std::string arguments =
      "train --hf-compatible --vocab-size 300 --output " + Path("tok.json") + " " + Path("data.txt");
  const CommandResult rejected = Run(arguments);
  EXPECT_NE(rejected.exit_code, 0) << rejected.output;
  EXPECT_FALSE(fs::exists(Path("tok.json")));

  const CommandResult allowed = Run(arguments + " --allow-nul-bytes");
  ASSERT_EQ(allowed.exit_code, 0) << allowed.output;
  const std::string json = testing::ReadWholeFile(Path("tok.json"));
  EXPECT_NE(json.find("\"\xC4\x80\""), std::string::npos) << json;
}

TEST_F(TrainCliTest, OutputDirWritesHfFolder) {
  const CommandResult result =
      Run("train --vocab-size 300 --special-tokens '<s>,</s>' --output-dir " + Path("folder") +
          " " + testing::SourcePath("data/golden_corpus/py_shlex.txt"));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  for (const char* name :
       {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "README.md"}) {
    EXPECT_TRUE(fs::exists(Path(std::string("folder/") + name))) << name;
  }
  const std::string card = testing::ReadWholeFile(Path("folder/README.md"));
  EXPECT_NE(card.find("--vocab-size 300"), std::string::npos) << card;
}

TEST_F(TrainCliTest, FailedRunCreatesNoDirectory) {
  const CommandResult result =
      Run("train " + Path("missing.txt") + " --output " + Path("new/dir/tokenizer.json"));
  EXPECT_NE(result.exit_code, 0);
  EXPECT_FALSE(fs::exists(Path("new")));
}

TEST_F(TrainCliTest, SmallCorpusNotesVocabShortfall) {
  const CommandResult result = Run("train --vocab-size 5000 --output " + Path("tok.json") + " " +
                                   testing::SourcePath("data/golden_corpus/py_shlex.txt"));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("of the 5000 tokens asked for"), std::string::npos)
      << result.output;
}

TEST_F(TrainCliTest, OutputAndOutputDirConflict) {
  Write("text.txt", "hello world\n");
  ExpectFailure("train --output-dir " + Path("folder") + " " + Path("text.txt"), "not both");
}

TEST_F(TrainCliTest, MissingPath) { ExpectFailure("train " + Path("missing.txt"), "missing.txt"); }

TEST_F(TrainCliTest, UnreadableFile) {
  if (::geteuid() == 0) GTEST_SKIP() << "root can read files without permission";
  Write("secret.txt", "text\n");
  fs::permissions(Path("secret.txt"), fs::perms::none);
  ExpectFailure("train " + Path("secret.txt"), "secret.txt");
}

TEST_F(TrainCliTest, EmptyCorpus) {
  Write("empty.txt", "");
  ExpectFailure("train " + Path("empty.txt"), "no text");
}

TEST_F(TrainCliTest, VocabSmallerThanAlphabet) {
  Write("text.txt", "hello world\n");
  ExpectFailure("train --vocab-size 10 --special-tokens '<s>,</s>' " + Path("text.txt"),
                "at least 258");
}

TEST_F(TrainCliTest, JsonlRecordWithoutField) {
  Write("data.jsonl", "{\"content\": \"def f(): pass\"}\n{\"text\": \"no content\"}\n");
  ExpectFailure("train --text-field content " + Path("data.jsonl"), "line 2 of " + Path("data.jsonl"));
}

TEST_F(TrainCliTest, TruncatedGzip) {
  const std::string path = Path("full.txt.gz");
  gzFile file = gzopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "line " + std::to_string(i) + " of some text\n";
  gzwrite(file, text.data(), static_cast<unsigned>(text.size()));
  gzclose(file);
  const std::string compressed = testing::ReadWholeFile(path);
  Write("cut.txt.gz", compressed.substr(0, compressed.size() / 2));
  ExpectFailure("train " + Path("cut.txt.gz"), "cut.txt.gz");
}

TEST_F(TrainCliTest, TooManyThreads) {
  Write("text.txt", "hello world\n");
  ExpectFailure("train --threads 5000 " + Path("text.txt"), "--threads");
}

// --threads 0 means all cores, as leaving the option out does.
TEST_F(TrainCliTest, ZeroThreadsMeansAllCores) {
  Write("text.txt", "hello world\n");
  const CommandResult result = Run("train --threads 0 --vocab-size 300 --output " +
                                   Path("tok.json") + " " + Path("text.txt"));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(fs::exists(Path("tok.json")));
}

TEST_F(TrainCliTest, NoMatchingFiles) {
  fs::create_directories(Path("src"));
  Write("src/readme.md", "text\n");
  ExpectFailure("train --include '*.py' " + Path("src"), "*.py");
}

TEST_F(TrainCliTest, FailedRunKeepsPreviousOutput) {
  fs::create_directories(Path("out"));
  Write("out/tokenizer.json", "previous");
  const CommandResult result =
      Run("train " + Path("missing.txt") + " --output " + Path("out/tokenizer.json"));
  EXPECT_NE(result.exit_code, 0);
  EXPECT_EQ(testing::ReadWholeFile(Path("out/tokenizer.json")), "previous");
}

TEST_F(TrainCliTest, EncodeDecodeRoundTrip) {
  ASSERT_EQ(Run("train --allow-nul-bytes --vocab-size 500 --output " + Path("tok.json") + " " +
                testing::SourcePath("data/golden_corpus"))
                .exit_code,
            0);
  const std::string input = testing::SourcePath("data/golden_corpus/adversarial.txt");
  ASSERT_EQ(
      RunToFile("encode --tokenizer " + Path("tok.json") + " " + input, Path("ids.txt")).exit_code,
      0);
  ASSERT_EQ(RunToFile("decode --tokenizer " + Path("tok.json") + " " + Path("ids.txt"),
                      Path("decoded.txt"))
                .exit_code,
            0);
  std::string original = testing::ReadWholeFile(input);
  if (!original.empty() && original.back() != '\n') original.push_back('\n');
  EXPECT_EQ(testing::ReadWholeFile(Path("decoded.txt")), original);
}

TEST_F(TrainCliTest, DecodeRejectsUnknownId) {
  ASSERT_EQ(Run("train --vocab-size 300 --output " + Path("tok.json") + " " +
                testing::SourcePath("data/golden_corpus/py_shlex.txt"))
                .exit_code,
            0);
  Write("ids.txt", "1 2 3\n5 999999\n");
  const CommandResult result = Run("decode --tokenizer " + Path("tok.json") + " " + Path("ids.txt"));
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.output.find("line 2"), std::string::npos) << result.output;
}

TEST_F(TrainCliTest, EncodeMalformedTokenizer) {
  Write("bad.json", "{\"model\": {\"type\": \"BPE\", \"vocab\": ");
  const CommandResult result = Run("encode --tokenizer " + Path("bad.json") + " /dev/null");
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.output.find("bad.json"), std::string::npos) << result.output;
}

}  // namespace
}  // namespace tokforge
