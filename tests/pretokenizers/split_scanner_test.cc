// Differential tests: the hand-written split scanners against ICU's regex
// engine running the same pattern.

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pretokenizers/regex.h"
#include "support/test_data.h"
#include "util/utf8.h"

namespace tokforge {
namespace {

using testing::ReadWholeFile;
using testing::SourcePath;
using testing::SplitLines;

std::vector<std::string> TestTexts() {
  std::vector<std::string> texts;
  for (const char* input :
       {"data/golden_corpus/adversarial.txt", "data/golden_corpus/ko_chatbot_data.txt",
        "data/golden_corpus/py_shlex.txt", "data/golden_corpus/fr_gautier_morte_amoureuse.txt",
        "data/parity/adversarial.txt"}) {
    for (std::string& line : SplitLines(ReadWholeFile(SourcePath(input)))) {
      texts.push_back(std::move(line));
    }
  }
  // Random strings over characters at the class boundaries of the patterns.
  const std::vector<std::string> alphabet = {
      "a", "Z", "'", "s", "S", "t", "L", "l", "e", "R", "\xC5\xBF" /* long s */, " ", "  ", "\t",
      "\r", "\n", "\x0B", "\xC2\x85", "\xC2\xA0", "\xE3\x80\x80", "1", "\xD9\xA3", "\xE2\x85\xAB",
      "!", "/", ".", "\xCC\x81" /* combining acute */, "\xC3\xA9", "\xC7\x85" /* Dz title */,
      "\xCA\xB0" /* modifier h */, "\xE6\x97\xA5", "\xED\x95\x9C", "\xF0\x9F\x98\x80",
      "\xE2\x80\x8D", std::string(1, '\0'), "_"};
  std::mt19937 rng(12345);
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<int> length(1, 40);
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    for (int n = length(rng); n > 0; --n) text += alphabet[pick(rng)];
    texts.push_back(std::move(text));
  }
  return texts;
}

void ExpectScannerMatchesIcu(std::string_view pattern, std::string_view engine) {
  absl::StatusOr<std::unique_ptr<Regex>> scanner = Regex::Compile(pattern);
  ASSERT_TRUE(scanner.ok()) << scanner.status();
  ASSERT_EQ((*scanner)->engine(), engine);
  absl::StatusOr<std::unique_ptr<Regex>> icu = Regex::CompileWithIcu(pattern);
  ASSERT_TRUE(icu.ok()) << icu.status();
  size_t failures = 0;
  for (const std::string& text : TestTexts()) {
    MatchList expected;
    MatchList actual;
    (*icu)->FindAll(text, &expected);
    (*scanner)->FindAll(text, &actual);
    if (expected != actual && ++failures <= 5) {
      ADD_FAILURE() << engine << " differs from ICU on \"" << text.substr(0, 200) << "\"";
    }
  }
  EXPECT_EQ(failures, 0u);
}

TEST(SplitScannerTest, Gpt2MatchesIcu) { ExpectScannerMatchesIcu(kGpt2Pattern, "gpt2-scanner"); }
TEST(SplitScannerTest, Cl100kMatchesIcu) {
  ExpectScannerMatchesIcu(kCl100kPattern, "cl100k-scanner");
}
TEST(SplitScannerTest, O200kMatchesIcu) { ExpectScannerMatchesIcu(kO200kPattern, "o200k-scanner"); }

TEST(SplitScannerTest, OtherPatternsUseIcu) {
  absl::StatusOr<std::unique_ptr<Regex>> regex = Regex::Compile(R"(\s+|\p{N})");
  ASSERT_TRUE(regex.ok()) << regex.status();
  EXPECT_EQ((*regex)->engine(), "icu");
  MatchList matches;
  // \s is White_Space, so U+000B and U+0085 match as in Oniguruma.
  (*regex)->FindAll("a\x0B\xC2\x85" "b7", &matches);
  EXPECT_EQ(matches, (MatchList{{1, 4}, {5, 6}}));
}

TEST(SplitScannerTest, InvalidPatternIsAnError) {
  absl::StatusOr<std::unique_ptr<Regex>> regex = Regex::Compile("(unclosed");
  EXPECT_FALSE(regex.ok());
}

}  // namespace
}  // namespace tokforge
