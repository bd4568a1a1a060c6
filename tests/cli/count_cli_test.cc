// Runs tokforge count and tokforge train --from-counts end to end: equal
// results, standard input, and bad shards rejected without output.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/cli_test.h"
#include "support/test_data.h"

namespace tokforge {
namespace {

namespace fs = std::filesystem;

using testing::CommandResult;

class CountCliTest : public testing::CliTest {
 protected:
  void ExpectTrainFailure(const std::string& arguments, const std::string& needle) const {
    const CommandResult result = Run("train --quiet " + arguments + " --output " + Path("out.json"));
    EXPECT_NE(result.exit_code, 0) << result.output;
    EXPECT_NE(result.output.find(needle), std::string::npos)
        << "expected \"" << needle << "\" in: " << result.output;
    EXPECT_FALSE(fs::exists(Path("out.json")));
  }
};

const char kTrainOptions[] = "train --quiet --vocab-size 700 ";

std::string Golden(const std::string& name) {
  return testing::SourcePath("data/golden_corpus/" + name);
}

TEST_F(CountCliTest, ShardsTrainSameAsInputs) {
  // adversarial.txt contains NUL bytes on purpose.
  const std::string a =
      "--allow-nul-bytes " + Golden("py_shlex.txt") + " " + Golden("adversarial.txt");
  const std::string b = Golden("ko_chatbot_data.txt") + " " + Golden("py_textwrap.txt");
  ASSERT_EQ(Run("count --quiet --output " + Path("a.counts") + " " + a).exit_code, 0);
  ASSERT_EQ(Run("count --quiet --output " + Path("b.counts") + " " + b).exit_code, 0);
  const CommandResult sharded = Run(std::string(kTrainOptions) + "--output " + Path("s.json") +
                                    " --from-counts " + Path("a.counts") + " " + Path("b.counts"));
  ASSERT_EQ(sharded.exit_code, 0) << sharded.output;
  const CommandResult direct =
      Run(std::string(kTrainOptions) + "--output " + Path("d.json") + " " + a + " " + b);
  ASSERT_EQ(direct.exit_code, 0) << direct.output;
  EXPECT_EQ(testing::ReadWholeFile(Path("s.json")), testing::ReadWholeFile(Path("d.json")));
  EXPECT_NE(sharded.output.find("(2 count shards)"), std::string::npos) << sharded.output;
}

TEST_F(CountCliTest, AllowNulBytesWritesShard) {
  std::ofstream(Path("data.txt"), std::ios::binary) << std::string("one\0two\n", 8);
  const std::string arguments = "count --quiet --output " + Path("n.counts") + " " + Path("data.txt");
  EXPECT_NE(Run(arguments).exit_code, 0);
  EXPECT_FALSE(fs::exists(Path("n.counts")));
  const CommandResult allowed = Run(arguments + " --allow-nul-bytes");
  ASSERT_EQ(allowed.exit_code, 0) << allowed.output;
  EXPECT_TRUE(fs::exists(Path("n.counts")));
}

TEST_F(CountCliTest, StdinSameAsFile) {
  const std::string file = Golden("fr_gautier_morte_amoureuse.txt");
  const CommandResult piped =
      RunPiped("cat " + file + " | ", std::string(kTrainOptions) + "--output " + Path("p.json") + " -");
  ASSERT_EQ(piped.exit_code, 0) << piped.output;
  ASSERT_EQ(Run(std::string(kTrainOptions) + "--output " + Path("f.json") + " " + file).exit_code,
            0);
  EXPECT_EQ(testing::ReadWholeFile(Path("p.json")), testing::ReadWholeFile(Path("f.json")));
}

TEST_F(CountCliTest, FilesFromSameAsArguments) {
  std::ofstream(Path("list.txt")) << Golden("py_shlex.txt") << "\n" << Golden("py_fnmatch.txt")
                                  << "\n";
  ASSERT_EQ(Run(std::string(kTrainOptions) + "--output " + Path("l.json") + " --files-from " +
                Path("list.txt"))
                .exit_code,
            0);
  ASSERT_EQ(Run(std::string(kTrainOptions) + "--output " + Path("a.json") + " " +
                Golden("py_shlex.txt") + " " + Golden("py_fnmatch.txt"))
                .exit_code,
            0);
  EXPECT_EQ(testing::ReadWholeFile(Path("l.json")), testing::ReadWholeFile(Path("a.json")));
}

TEST_F(CountCliTest, DedupReportsAndSkips) {
  const std::string file = Golden("py_shlex.txt");
  const CommandResult result = Run(std::string(kTrainOptions) + "--dedup --output " +
                                   Path("t.json") + " " + file + " " + file);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("duplicates:      1 of 2 documents (50.0%)"), std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("skipped"), std::string::npos) << result.output;
}

TEST_F(CountCliTest, CorruptShardRejected) {
  ASSERT_EQ(Run("count --quiet --output " + Path("g.counts") + " " + Golden("py_shlex.txt"))
                .exit_code,
            0);
  std::string bytes = testing::ReadWholeFile(Path("g.counts"));
  bytes[bytes.size() / 2] ^= 0x10;
  std::ofstream(Path("bad.counts"), std::ios::binary) << bytes;
  ExpectTrainFailure("--from-counts " + Path("bad.counts"), "bad.counts is corrupt");
}

TEST_F(CountCliTest, TruncatedShardRejected) {
  ASSERT_EQ(Run("count --quiet --output " + Path("g.counts") + " " + Golden("py_shlex.txt"))
                .exit_code,
            0);
  const std::string bytes = testing::ReadWholeFile(Path("g.counts"));
  std::ofstream(Path("cut.counts"), std::ios::binary) << bytes.substr(0, bytes.size() - 100);
  ExpectTrainFailure("--from-counts " + Path("cut.counts"), "cut.counts is truncated");
}

TEST_F(CountCliTest, MismatchedSettingsRejected) {
  ASSERT_EQ(Run("count --quiet --hf-compatible --output " + Path("hf.counts") + " " +
                Golden("py_shlex.txt"))
                .exit_code,
            0);
  ExpectTrainFailure("--from-counts " + Path("hf.counts"), "hf.counts was counted with");
}

TEST_F(CountCliTest, TextFileAsShardRejected) {
  ExpectTrainFailure("--from-counts " + Golden("py_shlex.txt"), "is not a count shard");
}

TEST_F(CountCliTest, OutputRequired) {
  const CommandResult result = Run("count " + Golden("py_shlex.txt"));
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.output.find("--output is missing"), std::string::npos) << result.output;
}

TEST_F(CountCliTest, InvalidSampleFraction) {
  ExpectTrainFailure("--sample-fraction 1.5 " + Golden("py_shlex.txt"),
                     "--sample-fraction must be a number greater than 0 and at most 1");
}

TEST_F(CountCliTest, DedupStdinTextRejected) {
  const CommandResult result =
      RunPiped("echo hi | ", "train --quiet --dedup --output " + Path("out.json") + " -");
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.output.find("cannot read standard input"), std::string::npos)
      << result.output;
  EXPECT_FALSE(fs::exists(Path("out.json")));
}

}  // namespace
}  // namespace tokforge
