// The tokforge compare command: exit codes, messages and output files.

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "analysis/test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tokforge {
namespace {

using ::testing::HasSubstr;
using testing_analysis::ReadAll;
using testing_analysis::SmallTokenizerPath;
using testing_analysis::SourcePath;
using testing_analysis::TempDirTest;

class CompareCommandTest : public TempDirTest {
 protected:
  // Runs `tokforge compare ARGS`; returns the exit code and keeps stderr.
  int Run(const std::string& arguments) {
    const std::string command = absl::StrCat("HF_HUB_CACHE=", Path("hub"), " ", TOKFORGE_CLI_PATH,
                                             " compare ", arguments, " >", Path("stdout"), " 2>",
                                             Path("stderr"));
    const int status = std::system(command.c_str());
    stdout_ = ReadAll(Path("stdout"));
    stderr_ = ReadAll(Path("stderr"));
    return WEXITSTATUS(status);
  }

  std::string stdout_;
  std::string stderr_;
};

TEST_F(CompareCommandTest, WritesJsonReport) {
  const std::string output = Path("report.json");
  ASSERT_EQ(Run(absl::StrCat("--tokenizer small=", SmallTokenizerPath(), " --corpus code=",
                             SourcePath("data/golden_corpus/py_shlex.txt"), " --corpus fr=",
                             SourcePath("data/golden_corpus/fr_gautier_morte_amoureuse.txt"),
                             " --by-line --max-bytes 8K --format json --output ", output)),
            0)
      << stderr_;
  const nlohmann::json json = nlohmann::json::parse(ReadAll(output));
  ASSERT_EQ(json["results"].size(), 2u);
  EXPECT_EQ(json["by_line"], true);
  EXPECT_EQ(json["max_bytes"], 8192);
  EXPECT_LE(json["results"][0]["bytes"].get<uint64_t>(), 8192u);
  EXPECT_THAT(stderr_, HasSubstr(output));
}

TEST_F(CompareCommandTest, TableOnStdout) {
  ASSERT_EQ(Run(absl::StrCat("--tokenizer ", SmallTokenizerPath(), " --corpus ",
                             SourcePath("data/golden_corpus/py_fnmatch.txt"))),
            0)
      << stderr_;
  // Unnamed inputs are named after the tokenizer's folder and the file.
  EXPECT_THAT(stdout_, HasSubstr("py_fnmatch.txt  hf_train_small"));
}

TEST_F(CompareCommandTest, MissingCorpusFailsWithoutOutput) {
  const std::string output = Path("report.html");
  EXPECT_EQ(Run(absl::StrCat("--tokenizer ", SmallTokenizerPath(), " --corpus x=", Path("absent.txt"),
                             " --format html --output ", output)),
            1);
  EXPECT_THAT(stderr_, HasSubstr(Path("absent.txt")));
  EXPECT_FALSE(std::filesystem::exists(output));
}

TEST_F(CompareCommandTest, MissingModelIdNamesTheCache) {
  EXPECT_EQ(Run(absl::StrCat("--tokenizer acme/no-such-model --corpus ",
                             SourcePath("data/golden_corpus/py_fnmatch.txt"))),
            1);
  EXPECT_THAT(stderr_, HasSubstr("acme/no-such-model"));
  EXPECT_THAT(stderr_, HasSubstr(Path("hub")));
}

TEST_F(CompareCommandTest, RejectsBadOptionValues) {
  const std::string inputs = absl::StrCat("--tokenizer ", SmallTokenizerPath(), " --corpus ",
                                          SourcePath("data/golden_corpus/py_fnmatch.txt"));
  EXPECT_EQ(Run(inputs + " --format xml"), 1);
  EXPECT_THAT(stderr_, HasSubstr("xml"));
  EXPECT_EQ(Run(inputs + " --max-bytes 12Q"), 1);
  EXPECT_THAT(stderr_, HasSubstr("12Q"));
  EXPECT_EQ(Run(inputs + " --baseline other"), 1);
  EXPECT_THAT(stderr_, HasSubstr("other"));
  EXPECT_EQ(Run("--corpus " + SourcePath("data/golden_corpus/py_fnmatch.txt")), 1);
  EXPECT_THAT(stderr_, HasSubstr("--tokenizer"));
}

}  // namespace
}  // namespace tokforge
