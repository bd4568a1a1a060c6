// Runs tokforge encode end to end: lines split across the reader's blocks,
// a last line without a newline, empty lines, and both thread counts.

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace tokforge
