// Building blocks of the figures: word coverage, round trips, spellings.

#include <string>
#include <utility>
#include <vector>

#include "analysis/measure.h"
#include "analysis/report_format.h"
#include "analysis/text_stats.h"
#include "analysis/vocabulary.h"
#include "gtest/gtest.h"

namespace tokforge::analysis {
namespace {

TEST(CountContinuedWordsTest, CountsWordsWithTwoTokens) {
  // "hello world": words [0,5) and [6,11).
  const std::vector<ByteSpan> words = {{0, 5}, {6, 11}};
  // "hel" "lo" " world"
  EXPECT_EQ(CountContinuedWords(words, {{0, 3}, {3, 5}, {5, 11}}), 1u);
  // "hello" " world"
  EXPECT_EQ(CountContinuedWords(words, {{0, 5}, {5, 11}}), 0u);
  // "hello" " " "wor" "ld"
  EXPECT_EQ(CountContinuedWords(words, {{0, 5}, {5, 6}, {6, 9}, {9, 11}}), 1u);
  // One token covering both words splits neither.
  EXPECT_EQ(CountContinuedWords(words, {{0, 11}}), 0u);
  // Zero-width tokens (added by a post-processor) cover nothing.
  EXPECT_EQ(CountContinuedWords(words, {{0, 0}, {0, 5}, {5, 11}, {11, 11}}), 0u);
}

TEST(CountRoundtripFailedLinesTest, Cases) {
  EXPECT_EQ(CountRoundtripFailedLines("a\nb\nc\n", "a\nb\nc\n"), 0u);
  EXPECT_EQ(CountRoundtripFailedLines("a\nb\nc\n", "a\nX\nc\n"), 1u);
  // Lost newlines: every line fails.
  EXPECT_EQ(CountRoundtripFailedLines("a\nb\nc\n", "a b c"), 3u);
  EXPECT_EQ(CountRoundtripFailedLines("Hello", "hello"), 1u);
  EXPECT_EQ(CountRoundtripFailedLines("a\n", "a"), 1u);
}

TEST(UnknownTextTest, CutsAtCharacterBoundary) {
  EXPECT_EQ(UnknownText("ab{cd", 2, 3), "{");
  EXPECT_EQ(UnknownText("ab", 5, 9), "");
  const std::string long_text(50, 'x');
  EXPECT_EQ(UnknownText(long_text, 0, 50), std::string(40, 'x') + "\xE2\x80\xA6");
  std::string hangul;
  for (int i = 0; i < 20; ++i) hangul += "\xED\x95\x9C";  // 한, 3 bytes
  // 13 characters (39 bytes) fit in 40 bytes.
  std::string expected;
  for (int i = 0; i < 13; ++i) expected += "\xED\x95\x9C";
  EXPECT_EQ(UnknownText(hangul, 0, hangul.size()), expected + "\xE2\x80\xA6");
}

TEST(VisibleTextTest, ShowsInvisibleCharacters) {
  EXPECT_EQ(VisibleText("a\nb\t"), "a\\nb\\t");
  EXPECT_EQ(VisibleText(" x "), "\xE2\x90\xA0x\xE2\x90\xA0");
  EXPECT_EQ(VisibleText("\xC2\xA0"), "U+00A0");       // no-break space
  EXPECT_EQ(VisibleText("a\xE2\x80\x8D"), "aU+200D");  // zero width joiner
  EXPECT_EQ(VisibleText("\xFF"), "\\xFF");
  EXPECT_EQ(VisibleText("caf\xC3\xA9"), "caf\xC3\xA9");
}

TEST(ByteFallbackValueTest, Cases) {
  EXPECT_EQ(ByteFallbackValue("<0x7B>"), 0x7B);
  EXPECT_EQ(ByteFallbackValue("<0x0A>"), 0x0A);
  EXPECT_FALSE(ByteFallbackValue("<0x7G>").has_value());
  EXPECT_FALSE(ByteFallbackValue("<0x7B").has_value());
  EXPECT_FALSE(ByteFallbackValue("0x7B").has_value());
}

TEST(RawSpellingTest, EachSpelling) {
  EXPECT_EQ(RawSpelling("\xC4\xA0the", TokenSpelling::kByteLevel), " the");     // Ġthe
  EXPECT_EQ(RawSpelling("\xC4\x8A", TokenSpelling::kByteLevel), "\n");          // Ċ
  EXPECT_EQ(RawSpelling("\xC3\xAC\xC2\xA1", TokenSpelling::kByteLevel), "\xEC\xA1");  // two raw bytes
  EXPECT_EQ(RawSpelling("<|endoftext|>", TokenSpelling::kByteLevel), "<|endoftext|>");
  EXPECT_EQ(RawSpelling("\xE2\x96\x81the", TokenSpelling::kMetaspace), " the");  // ▁the
  EXPECT_EQ(RawSpelling("<0x0A>", TokenSpelling::kMetaspace), "\n");
  EXPECT_EQ(RawSpelling("##ing", TokenSpelling::kWordPiece), "ing");
  EXPECT_EQ(RawSpelling("##", TokenSpelling::kWordPiece), "##");
  EXPECT_EQ(RawSpelling("play", TokenSpelling::kWordPiece), "play");
}

TEST(DetectSpellingTest, FromMarkers) {
  std::vector<std::pair<std::string, uint32_t>> vocab = {{"a", 0}, {"b", 1}, {"\xC4\xA0" "a", 2}};
  EXPECT_EQ(DetectSpelling(vocab), TokenSpelling::kByteLevel);
  vocab = {{"a", 0}, {"\xE2\x96\x81" "a", 1}, {"<0x41>", 2}};
  EXPECT_EQ(DetectSpelling(vocab), TokenSpelling::kMetaspace);
  vocab = {{"a", 0}, {"##a", 1}, {"[UNK]", 2}};
  EXPECT_EQ(DetectSpelling(vocab), TokenSpelling::kWordPiece);
  vocab = {{"a", 0}, {"b", 1}};
  EXPECT_EQ(DetectSpelling(vocab), TokenSpelling::kPlain);
}

TEST(TextStatsTest, CharactersAndLines) {
  EXPECT_EQ(CountCharacters("h\xC3\xA9llo"), 5u);
  EXPECT_EQ(CountCharacters("\xFF" "a"), 2u);  // invalid byte counts as one
  EXPECT_EQ(CountLines(""), 0u);
  EXPECT_EQ(CountLines("a"), 1u);
  EXPECT_EQ(CountLines("a\n"), 1u);
  EXPECT_EQ(CountLines("a\n\nb"), 3u);
}

TEST(WordSegmenterTest, ByteSpansOfWords) {
  WordSegmenter segmenter;
  ASSERT_TRUE(segmenter.status().ok());
  std::vector<ByteSpan> words;
  segmenter.Segment("l'été, 42 fois", &words);
  // "l'été" is one word under UAX #29 (the apostrophe joins letters).
  ASSERT_EQ(words.size(), 3u);
  EXPECT_EQ(words[0], ByteSpan(0, 7));
  EXPECT_EQ(words[1], ByteSpan(9, 11));
  EXPECT_EQ(words[2], ByteSpan(12, 16));
}

}  // namespace
}  // namespace tokforge::analysis
