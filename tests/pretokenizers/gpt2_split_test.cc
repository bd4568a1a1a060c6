#include "pretokenizers/gpt2_split.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/test_data.h"
#include "util/byte_level.h"

namespace tokforge {
namespace {

std::vector<std::string> Split(std::string_view text) {
  std::vector<std::string> pieces;
  SplitGpt2(text, [&](size_t begin, size_t end) {
    pieces.emplace_back(text.substr(begin, end - begin));
  });
  return pieces;
}

using Pieces = std::vector<std::string>;

TEST(Gpt2SplitTest, WordsTakeOneLeadingSpace) {
  EXPECT_EQ(Split("Hello world"), (Pieces{"Hello", " world"}));
}

TEST(Gpt2SplitTest, ContractionsAreLowerCaseOnly) {
  EXPECT_EQ(Split("don't we'll"), (Pieces{"don", "'t", " we", "'ll"}));
  EXPECT_EQ(Split("DON'T"), (Pieces{"DON", "'", "T"}));
}

TEST(Gpt2SplitTest, SpaceRunLeavesLastSpaceForWord) {
  EXPECT_EQ(Split("a   b"), (Pieces{"a", "  ", " b"}));
}

// ASCII letter runs are scanned 8 bytes at a time, so every byte value ends
// a run of every length up to 17 in the check: only A-Z and a-z extend it.
TEST(Gpt2SplitTest, LetterRunEndsAtEveryByte) {
  for (const char letter : {'q', 'Q'}) {
    for (size_t length = 1; length <= 17; ++length) {
      for (int value = 0; value < 256; ++value) {
        const char byte = static_cast<char>(value);
        const std::string run(length, letter);
        const bool ascii_letter = (value >= 'A' && value <= 'Z') || (value >= 'a' && value <= 'z');
        const std::string expected = ascii_letter ? run + byte : run;
        const Pieces pieces = Split(run + byte + ".");
        ASSERT_FALSE(pieces.empty());
        EXPECT_EQ(pieces[0], expected) << length << " x " << letter << " then byte " << value;
      }
    }
  }
}

// Space runs are scanned 8 bytes at a time, so lengths around and past 8
// and 16 check the word steps and the bytes after them.
TEST(Gpt2SplitTest, SpaceRunsOfEveryLength) {
  for (size_t length = 1; length <= 20; ++length) {
    const std::string spaces(length, ' ');
    Pieces before_word = {"a"};
    if (length > 1) before_word.push_back(spaces.substr(1));
    before_word.push_back(" b");
    EXPECT_EQ(Split("a" + spaces + "b"), before_word) << length << " spaces";
    EXPECT_EQ(Split("a" + spaces), (Pieces{"a", spaces})) << length << " spaces";
    EXPECT_EQ(Split("a" + spaces + "\t\n"), (Pieces{"a", spaces + "\t\n"})) << length << " spaces";
  }
}

TEST(Gpt2SplitTest, TrailingWhitespaceStaysWhole) {
  EXPECT_EQ(Split("x  \n"), (Pieces{"x", "  \n"}));
}

TEST(Gpt2SplitTest, SingleNonSpaceWhitespaceBeforeWord) {
  EXPECT_EQ(Split("a\tb"), (Pieces{"a", "\t", "b"}));
  EXPECT_EQ(Split("a\t b"), (Pieces{"a", "\t", " b"}));
}

TEST(Gpt2SplitTest, NumbersAndSymbolsSplitFromLetters) {
  EXPECT_EQ(Split("x1 != 42;"), (Pieces{"x", "1", " !=", " 42", ";"}));
}

TEST(Gpt2SplitTest, KoreanAndEmoji) {
  EXPECT_EQ(Split("안녕하세요 세계 👩‍👩‍👧"),
            (Pieces{"안녕하세요", " 세계", " 👩‍👩‍👧"}));
}

TEST(Gpt2SplitTest, InvalidBytesAreSymbols) {
  const std::string text = "ab\xff\xfe cd\x80";
  EXPECT_EQ(Split(text), (Pieces{"ab", "\xff\xfe", " cd", "\x80"}));
}

TEST(Gpt2SplitTest, PiecesConcatenateToInput) {
  using namespace std::string_literals;
  const std::string text = "  mixed \r\n\t text, with 12 numbers\x00 and \xc3 bad bytes  "s;
  std::string joined;
  for (const std::string& piece : Split(text)) joined += piece;
  EXPECT_EQ(joined, text);
}

// SplitGpt2Lines must split each line as SplitGpt2 splits that line alone.
// The cases put whitespace runs, quotes, spaces and truncated UTF-8 at line
// ends, where a run over the whole text would reach into the next line.
TEST(Gpt2SplitTest, LinesSplitLikeSeparateLines) {
  using namespace std::string_literals;
  const std::vector<std::string> texts = {
      "",
      "\n",
      "\n\n\n",
      "a\n  b\n",
      "a  \n  b",
      "x\r\n\ty\r\n",
      "it'\ns\n'll\n",
      "end \n word\n \n",
      "\xe2\x82\n\xac\n\xc3\n",
      "\u3000\n\u3000x\n  \u00a0\n",
      "no newline at the end  ",
      "\x00\n\x00 a\n"s,
      "            indented\n                \n        x = 1\n"s,
  };
  for (const std::string& text : texts) {
    Pieces expected;
    std::string_view rest = text;
    while (!rest.empty()) {
      const size_t newline = rest.find('\n');
      const size_t length = newline == std::string_view::npos ? rest.size() : newline + 1;
      for (std::string& piece : Split(rest.substr(0, length))) expected.push_back(std::move(piece));
      rest.remove_prefix(length);
    }
    Pieces pieces;
    SplitGpt2Lines(text, [&](size_t begin, size_t end) {
      pieces.emplace_back(text.substr(begin, end - begin));
    });
    EXPECT_EQ(pieces, expected) << "text: " << nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
}

// Every line of the golden inputs splits into the pieces Hugging Face's
// ByteLevel pre-tokenizer returned for it.
TEST(Gpt2SplitTest, MatchesHuggingFaceGolden) {
  const std::vector<std::string> expected_lines = testing::SplitLines(
      testing::ReadWholeFile(testing::SourcePath("tests/golden/hf_pretokenize_adversarial.jsonl")));
  const ByteLevelAlphabet& alphabet = ByteLevelAlphabet::Get();
  size_t golden_line = 0;
  for (const testing::GoldenInput& input : testing::GoldenInputs("hf_pretokenize_adversarial.jsonl")) {
    const std::vector<std::string> lines =
        testing::SplitLines(testing::ReadWholeFile(testing::SourcePath(input.input_file)));
    ASSERT_EQ(lines.size(), input.lines) << input.input_file;
    for (size_t i = 0; i < lines.size(); ++i, ++golden_line) {
      ASSERT_LT(golden_line, expected_lines.size());
      const Pieces expected = nlohmann::json::parse(expected_lines[golden_line]).get<Pieces>();
      Pieces actual;
      for (const std::string& piece : Split(lines[i])) {
        std::string mapped;
        alphabet.Encode(piece, &mapped);
        actual.push_back(mapped);
      }
      EXPECT_EQ(actual, expected) << input.input_file << " line " << i + 1;
    }
  }
  EXPECT_EQ(golden_line, expected_lines.size());
}

}  // namespace
}  // namespace tokforge
