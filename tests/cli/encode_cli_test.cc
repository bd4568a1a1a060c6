// Runs tokforge encode end to end: lines split across the reader's blocks,
// a last line without a newline, empty lines, and both thread counts.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "support/cli_test.h"
#include "support/test_data.h"
#include "tokforge/tokenizer.h"

namespace tokforge {
namespace {

using testing::CommandResult;

class EncodeCliTest : public testing::CliTest {};

TEST_F(EncodeCliTest, LinesAcrossBlocksMatchLibrary) {
  const std::string tokenizer_path = testing::SourcePath("data/tokenizers/gpt2/tokenizer.json");
  absl::StatusOr<Tokenizer> tokenizer = Tokenizer::FromFile(tokenizer_path);
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.status();

  // The reader takes 2 MiB blocks: the 5 MB line spans three of them, and
  // the 100,000 short lines put a line end near every later block boundary.
  std::vector<std::string> lines = {"def f(x):", "", "    return x  # 안녕하세요 👋"};
  std::string long_line;
  while (long_line.size() < 5'000'000) long_line += "token_" + std::to_string(long_line.size()) + " ";
  lines.push_back(long_line);
  for (int i = 0; i < 100'000; ++i) lines.push_back("line " + std::to_string(i) + " café");
  lines.push_back("last line without newline");
  Write("input.txt", absl::StrJoin(lines, "\n"));

  for (const char* threads : {"1", "2"}) {
    const CommandResult result = RunToFile(std::string("encode --no-special-tokens --threads ") +
                                               threads + " --tokenizer " + tokenizer_path + " " +
                                               Path("input.txt"),
                                           Path("ids.txt"));
    ASSERT_EQ(result.exit_code, 0) << result.output;
    const std::vector<std::string> output = testing::SplitLines(testing::ReadWholeFile(Path("ids.txt")));
    ASSERT_EQ(output.size(), lines.size()) << "threads " << threads;
    for (size_t i = 0; i < lines.size(); ++i) {
      // One failure at most: the lines are long.
      ASSERT_TRUE(output[i] == absl::StrJoin(tokenizer->EncodeIds(lines[i], false), " "))
          << "threads " << threads << ", line " << i + 1;
    }
  }
}

TEST_F(EncodeCliTest, EmptyInputPrintsNothing) {
  Write("empty.txt", "");
  const CommandResult result =
      Run("encode --tokenizer " + testing::SourcePath("data/tokenizers/gpt2/tokenizer.json") + " " +
          Path("empty.txt"));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(result.output, "");
}

// With --output, a failure part way through leaves no output file, and an
// existing file keeps its contents.
TEST_F(EncodeCliTest, FailedEncodeKeepsOutput) {
  std::string text;
  for (int i = 0; i < 200'000; ++i) text += "hello world\n";
  Write("late_bad.txt", text + "bad \xFF byte\n");
  const std::string bert = testing::SourcePath("data/tokenizers/bert-base-uncased/tokenizer.json");
  const CommandResult created =
      Run("encode --tokenizer " + bert + " --output " + Path("new.ids") + " " + Path("late_bad.txt"));
  EXPECT_NE(created.exit_code, 0);
  EXPECT_NE(created.output.find("line 200001"), std::string::npos) << created.output;
  EXPECT_FALSE(std::filesystem::exists(Path("new.ids")));

  Write("old.ids", "previous\n");
  const CommandResult replaced =
      Run("encode --tokenizer " + bert + " --output " + Path("old.ids") + " " + Path("late_bad.txt"));
  EXPECT_NE(replaced.exit_code, 0);
  EXPECT_EQ(testing::ReadWholeFile(Path("old.ids")), "previous\n");
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().string().find(".tmp-"), std::string::npos) << entry.path();
  }
}

TEST_F(EncodeCliTest, FailedDecodeKeepsOutput) {
  Write("ids.txt", "15496 995\n99999999\n");
  const CommandResult result =
      Run("decode --tokenizer " + testing::SourcePath("data/tokenizers/gpt2/tokenizer.json") +
          " --output " + Path("text.txt") + " " + Path("ids.txt"));
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.output.find("99999999"), std::string::npos) << result.output;
  EXPECT_FALSE(std::filesystem::exists(Path("text.txt")));
}

TEST_F(EncodeCliTest, OutputFileMatchesStdout) {
  Write("input.txt", "def f(x):\n    return x  # café 👋\n");
  const std::string gpt2 = testing::SourcePath("data/tokenizers/gpt2/tokenizer.json");
  ASSERT_EQ(Run("encode --tokenizer " + gpt2 + " --output " + Path("a.ids") + " " +
                Path("input.txt")).exit_code,
            0);
  ASSERT_EQ(RunToFile("encode --tokenizer " + gpt2 + " " + Path("input.txt"), Path("b.ids"))
                .exit_code,
            0);
  EXPECT_EQ(testing::ReadWholeFile(Path("a.ids")), testing::ReadWholeFile(Path("b.ids")));
  ASSERT_EQ(Run("decode --tokenizer " + gpt2 + " --output " + Path("back.txt") + " " +
                Path("a.ids")).exit_code,
            0);
  EXPECT_EQ(testing::ReadWholeFile(Path("back.txt")), testing::ReadWholeFile(Path("input.txt")));
}

TEST_F(EncodeCliTest, DirectoryInputIsRejected) {
  std::filesystem::create_directories(Path("folder"));
  const std::string gpt2 = testing::SourcePath("data/tokenizers/gpt2/tokenizer.json");
  for (const char* command : {"encode", "decode"}) {
    const CommandResult result =
        Run(std::string(command) + " --tokenizer " + gpt2 + " " + Path("folder"));
    EXPECT_NE(result.exit_code, 0) << command;
    EXPECT_NE(result.output.find("is a directory"), std::string::npos) << result.output;
  }
}

}  // namespace
}  // namespace tokforge
