// Resolution of tokenizer, corpus and word-list arguments.

#include <filesystem>
#include <string>
#include <vector>

#include "analysis/test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tokforge/analysis.h"

namespace tokforge {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing_analysis::ReadAll;
using testing_analysis::SmallTokenizerPath;
using testing_analysis::TempDirTest;
using testing_analysis::WriteAll;

TEST(SplitNameValueTest, Cases) {
  EXPECT_EQ(SplitNameValue("gpt2=/a/b.json").name, "gpt2");
  EXPECT_EQ(SplitNameValue("gpt2=/a/b.json").value, "/a/b.json");
  EXPECT_EQ(SplitNameValue("/a/b.json").name, "");
  EXPECT_EQ(SplitNameValue("/a/b.json").value, "/a/b.json");
  // "=" inside a path is not a separator.
  EXPECT_EQ(SplitNameValue("dir/x=y.txt").name, "");
  EXPECT_EQ(SplitNameValue("dir/x=y.txt").value, "dir/x=y.txt");
  EXPECT_EQ(SplitNameValue("=x").name, "");
}

TEST_F(TempDirTest, HubCacheResolvesRefsMain) {
  const fs::path model = dir_ / "models--acme--tiny-bpe";
  WriteAll((model / "snapshots" / "0123abc" / "tokenizer.json").string(), ReadAll(SmallTokenizerPath()));
  WriteAll((model / "snapshots" / "older" / "vocab.json").string(), "{}");
  WriteAll((model / "refs" / "main").string(), "0123abc\n");

  absl::StatusOr<std::string> found = FindInHuggingFaceCache("acme/tiny-bpe", dir_.string());
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(*found, (model / "snapshots" / "0123abc" / "tokenizer.json").string());

  absl::StatusOr<NamedTokenizer> loaded = LoadNamedTokenizer("acme/tiny-bpe", dir_.string());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->name, "acme/tiny-bpe");
  EXPECT_GT(loaded->tokenizer.vocab_size(), 256u);

  absl::StatusOr<NamedTokenizer> renamed = LoadNamedTokenizer("mine=acme/tiny-bpe", dir_.string());
  ASSERT_TRUE(renamed.ok()) << renamed.status();
  EXPECT_EQ(renamed->name, "mine");
}

TEST_F(TempDirTest, HubCacheWithoutRefsUsesSnapshot) {
  const fs::path file = dir_ / "models--gpt-tiny" / "snapshots" / "rev1" / "tokenizer.json";
  WriteAll(file.string(), ReadAll(SmallTokenizerPath()));
  absl::StatusOr<std::string> found = FindInHuggingFaceCache("gpt-tiny", dir_.string());
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(*found, file.string());
}

TEST_F(TempDirTest, MissingModelIdNamesCacheAndFix) {
  absl::StatusOr<NamedTokenizer> loaded = LoadNamedTokenizer("t5=google-t5/t5-small", dir_.string());
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(loaded.status().message(), HasSubstr("google-t5/t5-small"));
  EXPECT_THAT(loaded.status().message(), HasSubstr("models--google-t5--t5-small"));
  EXPECT_THAT(loaded.status().message(), HasSubstr("huggingface-cli download"));
}

TEST_F(TempDirTest, MissingTokenizerFileIsNamed) {
  absl::StatusOr<NamedTokenizer> loaded = LoadNamedTokenizer("x=" + Path("none/tokenizer.json"), dir_.string());
  ASSERT_FALSE(loaded.ok());
  EXPECT_THAT(loaded.status().message(), HasSubstr(Path("none/tokenizer.json")));
}

TEST_F(TempDirTest, DirectoryNamesItsTokenizerJson) {
  WriteAll(Path("gpt-small/tokenizer.json"), ReadAll(SmallTokenizerPath()));
  absl::StatusOr<NamedTokenizer> loaded = LoadNamedTokenizer(Path("gpt-small"), dir_.string());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->name, "gpt-small");

  fs::create_directories(dir_ / "empty");
  absl::StatusOr<NamedTokenizer> empty = LoadNamedTokenizer(Path("empty"), dir_.string());
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(empty.status().message(), HasSubstr("tokenizer.json"));
}

TEST_F(TempDirTest, CorpusGlobAndNames) {
  WriteAll(Path("src/a.py"), "x = 1\n");
  WriteAll(Path("src/b.txt"), "text\n");
  absl::StatusOr<NamedCorpus> glob = ParseNamedCorpus("code=" + Path("src/*.py"), {});
  ASSERT_TRUE(glob.ok()) << glob.status();
  EXPECT_EQ(glob->name, "code");
  EXPECT_THAT(glob->options.paths, ElementsAre(Path("src")));
  EXPECT_THAT(glob->options.include_globs, ElementsAre("*.py"));

  absl::StatusOr<NamedCorpus> plain = ParseNamedCorpus(Path("src/b.txt"), {});
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->name, "b.txt");

  absl::StatusOr<NamedCorpus> missing = ParseNamedCorpus("x=" + Path("nowhere.txt"), {});
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr(Path("nowhere.txt")));
}

TEST_F(TempDirTest, WordListSkipsBlanksAndBom) {
  WriteAll(Path("words.txt"), "\xEF\xBB\xBF" "def\r\n\n  lambda  \nisinstance");
  absl::StatusOr<std::vector<std::string>> words = ReadWordList(Path("words.txt"));
  ASSERT_TRUE(words.ok()) << words.status();
  EXPECT_THAT(*words, ElementsAre("def", "lambda", "isinstance"));

  WriteAll(Path("blank.txt"), "\n \n");
  EXPECT_FALSE(ReadWordList(Path("blank.txt")).ok());
  EXPECT_FALSE(ReadWordList(Path("missing.txt")).ok());
}

}  // namespace
}  // namespace tokforge
