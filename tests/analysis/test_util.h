// Shared fixtures for the analysis tests: real inputs from the repository.

#ifndef TOKFORGE_TESTS_ANALYSIS_TEST_UTIL_H_
#define TOKFORGE_TESTS_ANALYSIS_TEST_UTIL_H_

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tokforge/analysis.h"
#include "tokforge/tokenizer.h"

namespace tokforge::testing_analysis {

inline std::string SourcePath(std::string_view relative) {
  return absl::StrCat(TOKFORGE_SOURCE_DIR, "/", std::string(relative));
}

// Byte-level BPE trained by Hugging Face tokenizers on the golden corpus.
inline std::string SmallTokenizerPath() { return SourcePath("tests/golden/hf_train_small.json"); }

inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void WriteAll(const std::string& path, std::string_view content) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

inline NamedTokenizer LoadSmall(const std::string& name) {
  absl::StatusOr<Tokenizer> tokenizer = Tokenizer::FromFile(SmallTokenizerPath());
  EXPECT_TRUE(tokenizer.ok()) << tokenizer.status();
  return NamedTokenizer{name, SmallTokenizerPath(), *std::move(tokenizer)};
}

inline NamedCorpus FileCorpus(const std::string& name, const std::string& path) {
  NamedCorpus corpus;
  corpus.name = name;
  corpus.options.paths = {path};
  return corpus;
}

// A fresh directory per test, removed afterwards.
class TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::path(::testing::TempDir()) /
           absl::StrCat("analysis_", info->test_suite_name(), "_", info->name(), "_", getpid());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  std::filesystem::path dir_;
};

}  // namespace tokforge::testing_analysis

#endif  // TOKFORGE_TESTS_ANALYSIS_TEST_UTIL_H_
