// Compare() on real files, with every figure recomputed here from the public
// Tokenizer API.

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_split.h"
#include "analysis/test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tokforge/analysis.h"
#include "tokforge/trainer.h"

namespace tokforge {
namespace {

using ::testing::HasSubstr;
using testing_analysis::FileCorpus;
using testing_analysis::LoadSmall;
using testing_analysis::ReadAll;
using testing_analysis::SourcePath;
using testing_analysis::TempDirTest;
using testing_analysis::WriteAll;

// Lines of `text` without their "\n" or "\r\n", empty ones dropped.
std::vector<std::string> NonEmptyLines(const std::string& text) {
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) lines.emplace_back(line);
  }
  return lines;
}

uint64_t CountUtf8Characters(std::string_view text) {
  return static_cast<uint64_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

ComparisonReport CompareOrDie(const std::vector<NamedTokenizer>& tokenizers,
                              const std::vector<NamedCorpus>& corpora, const CompareOptions& options) {
  absl::StatusOr<ComparisonReport> report = Compare(tokenizers, corpora, options);
  EXPECT_TRUE(report.ok()) << report.status();
  return report.ok() ? *std::move(report) : ComparisonReport();
}

TEST(CompareTest, DocumentCountsMatchEncoder) {
  const std::string path = SourcePath("data/golden_corpus/py_fnmatch.txt");
  const std::string text = ReadAll(path);
  std::vector<NamedTokenizer> tokenizers;
  tokenizers.push_back(LoadSmall("small"));
  const ComparisonReport report = CompareOrDie(tokenizers, {FileCorpus("code", path)}, {});
  ASSERT_EQ(report.results.size(), 1u);
  const ComparisonResult& result = report.results[0];

  const std::vector<uint32_t> ids = tokenizers[0].tokenizer.EncodeIds(text, false);
  EXPECT_EQ(result.sequences, 1u);
  EXPECT_EQ(result.tokens, ids.size());
  EXPECT_EQ(result.bytes, text.size());
  EXPECT_EQ(result.characters, CountUtf8Characters(text));
  EXPECT_EQ(result.lines, static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n')));
  EXPECT_DOUBLE_EQ(result.bytes_per_token, static_cast<double>(text.size()) / ids.size());
  EXPECT_EQ(result.tokens_per_sequence.p50, ids.size());
  EXPECT_EQ(result.tokens_per_sequence.max, ids.size());

  const absl::flat_hash_set<uint32_t> distinct(ids.begin(), ids.end());
  EXPECT_EQ(result.vocab_used, distinct.size());
  EXPECT_EQ(result.vocab_size, tokenizers[0].tokenizer.vocab_size(true));

  uint64_t histogram_total = 0;
  for (uint64_t count : result.token_length_histogram) histogram_total += count;
  EXPECT_EQ(histogram_total, ids.size());
  EXPECT_EQ(result.unk_tokens, 0u);
  EXPECT_EQ(result.byte_fallback_tokens, 0u);
}

TEST(CompareTest, ByLineCountsAndPercentiles) {
  // CRLF lines: the line endings are not part of the sequences.
  const std::string path = SourcePath("data/golden_corpus/ko_chatbot_data.txt");
  const std::vector<std::string> lines = NonEmptyLines(ReadAll(path));
  std::vector<NamedTokenizer> tokenizers;
  tokenizers.push_back(LoadSmall("small"));
  CompareOptions options;
  options.by_line = true;
  const ComparisonReport report = CompareOrDie(tokenizers, {FileCorpus("ko", path)}, options);
  const ComparisonResult& result = report.results.at(0);

  uint64_t tokens = 0;
  uint64_t bytes = 0;
  std::vector<uint64_t> per_line;
  for (const std::string& line : lines) {
    const uint64_t count = tokenizers[0].tokenizer.EncodeIds(line, false).size();
    tokens += count;
    bytes += line.size();
    per_line.push_back(count);
  }
  std::sort(per_line.begin(), per_line.end());
  auto nearest_rank = [&](double q) {
    return per_line[static_cast<size_t>(std::ceil(q * per_line.size())) - 1];
  };

  EXPECT_EQ(result.sequences, lines.size());
  EXPECT_EQ(result.lines, lines.size());
  EXPECT_EQ(result.tokens, tokens);
  EXPECT_EQ(result.bytes, bytes);
  EXPECT_EQ(result.tokens_per_sequence.p50, nearest_rank(0.5));
  EXPECT_EQ(result.tokens_per_sequence.p90, nearest_rank(0.9));
  EXPECT_EQ(result.tokens_per_sequence.p99, nearest_rank(0.99));
  EXPECT_EQ(result.tokens_per_sequence.max, per_line.back());
  EXPECT_EQ(result.roundtrip_failed_lines, 0u);
}

TEST_F(TempDirTest, FilesReadCountsFilesThatGaveText) {
  std::string lines;
  for (int i = 0; i < 10; ++i) lines += "alpha\n";  // 60 bytes
  std::filesystem::create_directories(Path("corpus"));
  WriteAll(Path("corpus/a.txt"), lines);
  WriteAll(Path("corpus/b.txt"), lines);
  WriteAll(Path("corpus/c.txt"), lines);
  WriteAll(Path("corpus/empty.txt"), "");
  std::vector<NamedTokenizer> tokenizers;
  tokenizers.push_back(LoadSmall("small"));

  const ComparisonReport all = CompareOrDie(tokenizers, {FileCorpus("c", Path("corpus"))}, {});
  EXPECT_EQ(all.corpora.at(0).files, 4u);
  EXPECT_EQ(all.corpora.at(0).files_read, 3u);

  // 70 bytes: all of a.txt and the first line of b.txt.
  NamedCorpus limited = FileCorpus("c", Path("corpus"));
  limited.options.max_bytes = 70;
  const ComparisonReport cut = CompareOrDie(tokenizers, {limited}, {});
  EXPECT_EQ(cut.corpora.at(0).files, 4u);
  EXPECT_EQ(cut.corpora.at(0).files_read, 2u);
  EXPECT_EQ(cut.corpora.at(0).bytes, 66u);
}

TEST_F(TempDirTest, KoreanWordsAreSpaceSeparatedChunks) {
  // Spaces delimit Hangul words, and punctuation is not a word.
  const std::string path = Path("ko.txt");
  WriteAll(path, "안녕하세요 세계! 저는 학생입니다.\n");
  std::vector<NamedTokenizer> tokenizers;
  tokenizers.push_back(LoadSmall("small"));
  const ComparisonReport report = CompareOrDie(tokenizers, {FileCorpus("ko", path)}, {});
  EXPECT_EQ(report.corpora.at(0).words, 4u);
  EXPECT_EQ(report.corpora.at(0).characters, 20u);
}

TEST_F(TempDirTest, EnglishWordsSkipPunctuation) {
  const std::string path = Path("en.txt");
  WriteAll(path, "The cat's 3 toys, (twice).");
  std::vector<NamedTokenizer> tokenizers;
  tokenizers.push_back(LoadSmall("small"));
  const ComparisonReport report = CompareOrDie(tokenizers, {FileCorpus("en", path)}, {});
  EXPECT_EQ(report.corpora.at(0).words, 5u);
  EXPECT_EQ(report.corpora.at(0).lines, 1u);
}

TEST_F(TempDirTest, ChineseIsSegmentedIntoSeveralWords) {
  // A whitespace splitter would see one word here.
  const std::string path = Path("zh.txt");
  WriteAll(path, "我们今天去北京大学参观。");
  std::vector<NamedTokenizer> tokenizers;
  tokenizers.push_back(LoadSmall("small"));
  const ComparisonReport report = CompareOrDie(tokenizers, {FileCorpus("zh", path)}, {});
  EXPECT_GE(report.corpora.at(0).words, 3u);
}

TEST_F(TempDirTest, ContinuedWordsOnSingleWordLines) {
  // One word per line, so a word is split exactly when its line encodes to
  // two or more tokens.
  const std::vector<std::string> words = {"the",     "translate", "fnmatch", "Gautier",
                                          "amoureuse", "x",       "pattern", "학생입니다"};
  std::string text;
  for (const std::string& word : words) text += word + "\n";
  const std::string path = Path("words.txt");
  WriteAll(path, text);

  std::vector<NamedTokenizer> tokenizers;
  tokenizers.push_back(LoadSmall("small"));
  CompareOptions options;
  options.by_line = true;
  const ComparisonReport report = CompareOrDie(tokenizers, {FileCorpus("words", path)}, options);
  const ComparisonResult& result = report.results.at(0);

  uint64_t tokens = 0;
  uint64_t split = 0;
  for (const std::string& word : words) {
    const size_t count = tokenizers[0].tokenizer.EncodeIds(word, false).size();
    tokens += count;
    split += count >= 2 ? 1 : 0;
  }
  EXPECT_EQ(result.words, words.size());
  EXPECT_EQ(result.continued_words, split);
  EXPECT_GT(split, 0u);
  EXPECT_LT(split, words.size());
  EXPECT_DOUBLE_EQ(result.tokens_per_word, static_cast<double>(tokens) / words.size());
  EXPECT_DOUBLE_EQ(result.continued_word_share, static_cast<double>(split) / words.size());
}

TEST(CompareTest, RelativeLengthAgainstBaseline) {
  const std::string path = SourcePath("data/golden_corpus/py_textwrap.txt");
  const std::string text = ReadAll(path);

  // A second, much smaller vocabulary gives longer sequences.
  BpeTrainerOptions trainer_options;
  trainer_options.vocab_size = 300;
  trainer_options.threads = 1;
  BpeTrainer trainer(trainer_options);
  const std::string_view sequences[] = {text};
  trainer.CountSequences(sequences);
  absl::StatusOr<Tokenizer> tiny = trainer.Train();
  ASSERT_TRUE(tiny.ok()) << tiny.status();

  std::vector<NamedTokenizer> tokenizers;
  tokenizers.push_back(NamedTokenizer{"tiny", "", *std::move(tiny)});
  tokenizers.push_back(LoadSmall("small"));
  CompareOptions options;
  options.baseline = "small";
  const ComparisonReport report = CompareOrDie(tokenizers, {FileCorpus("code", path)}, options);
  ASSERT_EQ(report.results.size(), 2u);
  EXPECT_EQ(report.baseline, "small");

  const double tiny_tokens = static_cast<double>(tokenizers[0].tokenizer.EncodeIds(text, false).size());
  const double small_tokens = static_cast<double>(tokenizers[1].tokenizer.EncodeIds(text, false).size());
  EXPECT_DOUBLE_EQ(report.at(0, 0).relative_length, tiny_tokens / small_tokens);
  EXPECT_GT(report.at(0, 0).relative_length, 1.0);
  EXPECT_DOUBLE_EQ(report.at(0, 1).relative_length, 1.0);

  ASSERT_EQ(report.overlaps.size(), 1u);
  EXPECT_EQ(report.overlaps[0].first_size, tokenizers[0].tokenizer.GetVocab(false).size());
  // "tiny" has all 256 byte tokens, so every single-character token of
  // "small" (one byte in the byte-level alphabet) is shared.
  size_t single_characters = 0;
  for (const auto& [token, id] : tokenizers[1].tokenizer.GetVocab(false)) {
    single_characters += CountUtf8Characters(token) == 1 ? 1 : 0;
  }
  EXPECT_GE(report.overlaps[0].shared, single_characters);
  EXPECT_GT(single_characters, 100u);
  EXPECT_LE(report.overlaps[0].shared, report.overlaps[0].first_size);
}

TEST(CompareTest, IdenticalVocabulariesOverlapFully) {
  std::vector<NamedTokenizer> tokenizers;
  tokenizers.push_back(LoadSmall("a"));
  tokenizers.push_back(LoadSmall("b"));
  const ComparisonReport report = CompareOrDie(
      tokenizers, {FileCorpus("fr", SourcePath("data/golden_corpus/fr_gautier_morte_amoureuse.txt"))}, {});
  ASSERT_EQ(report.overlaps.size(), 1u);
  EXPECT_EQ(report.overlaps[0].shared, report.overlaps[0].first_size);
  EXPECT_DOUBLE_EQ(report.overlaps[0].jaccard, 1.0);
  EXPECT_DOUBLE_EQ(report.at(0, 1).relative_length, 1.0);
  EXPECT_EQ(report.at(0, 0).tokens, report.at(0, 1).tokens);
}

TEST(CompareTest, ByteLevelRoundTripsAdversarialText) {
  // NUL bytes, lone CR, unusual whitespace: byte-level BPE decodes every byte.
  std::vector<NamedTokenizer> tokenizers;
  tokenizers.push_back(LoadSmall("small"));
  const ComparisonReport report = CompareOrDie(
      tokenizers, {FileCorpus("adv", SourcePath("data/golden_corpus/adversarial.txt"))}, {});
  EXPECT_EQ(report.results.at(0).roundtrip_failed_lines, 0u);
  EXPECT_GT(report.results.at(0).lines, 60u);
}

TEST(CompareTest, WordSplitsUseRunningTextForm) {
  std::vector<NamedTokenizer> tokenizers;
  tokenizers.push_back(LoadSmall("small"));
  CompareOptions options;
  options.words = {"import", "amoureuse"};
  const ComparisonReport report = CompareOrDie(
      tokenizers, {FileCorpus("code", SourcePath("data/golden_corpus/py_shlex.txt"))}, options);
  ASSERT_EQ(report.word_splits.size(), 2u);
  // GPT-2's split pattern separates "a" from " word", so the word's tokens
  // are those of " word" alone.
  for (const WordSplit& split : report.word_splits) {
    ASSERT_EQ(split.tokens.size(), 1u);
    EXPECT_EQ(split.tokens[0], tokenizers[0].tokenizer.Encode(" " + split.word, false).tokens) << split.word;
    EXPECT_EQ(split.tokens[0].front().substr(0, 2), "\xC4\xA0") << split.word;  // "Ġ"
  }
}

TEST(CompareTest, SamplesCoverTheirLine) {
  std::vector<NamedTokenizer> tokenizers;
  tokenizers.push_back(LoadSmall("small"));
  CompareOptions options;
  options.sample_lines = 2;
  const ComparisonReport report = CompareOrDie(
      tokenizers, {FileCorpus("fr", SourcePath("data/golden_corpus/fr_gautier_morte_amoureuse.txt"))}, options);
  ASSERT_EQ(report.samples.size(), 2u);
  for (const SampleLine& sample : report.samples) {
    ASSERT_EQ(sample.tokens.size(), 1u);
    EXPECT_EQ(sample.tokens[0].size(), tokenizers[0].tokenizer.EncodeIds(sample.text, false).size());
    EXPECT_EQ(sample.tokens[0].back().end, sample.text.size());
  }
}

TEST(CompareTest, RejectsBadInputs) {
  std::vector<NamedTokenizer> two;
  two.push_back(LoadSmall("same"));
  two.push_back(LoadSmall("same"));
  const NamedCorpus corpus = FileCorpus("code", SourcePath("data/golden_corpus/py_shlex.txt"));

  absl::StatusOr<ComparisonReport> duplicate = Compare(two, {corpus}, {});
  ASSERT_FALSE(duplicate.ok());
  EXPECT_THAT(duplicate.status().message(), HasSubstr("\"same\""));

  std::vector<NamedTokenizer> one;
  one.push_back(LoadSmall("small"));
  CompareOptions options;
  options.baseline = "gpt9";
  absl::StatusOr<ComparisonReport> baseline = Compare(one, {corpus}, options);
  ASSERT_FALSE(baseline.ok());
  EXPECT_THAT(baseline.status().message(), HasSubstr("gpt9"));

  EXPECT_FALSE(Compare({}, {corpus}, {}).ok());
  EXPECT_FALSE(Compare(one, {}, {}).ok());

  const std::string missing = SourcePath("data/golden_corpus/no_such_file.txt");
  absl::StatusOr<ComparisonReport> unreadable = Compare(one, {FileCorpus("gone", missing)}, {});
  ASSERT_FALSE(unreadable.ok());
  EXPECT_THAT(unreadable.status().message(), HasSubstr("no_such_file.txt"));
}

// A plain BPE whose vocabulary lacks "{" and "\n": they become unknown
// tokens, or byte-fallback tokens when the model has byte_fallback.
std::string PlainBpeJson(bool byte_fallback) {
  return absl::StrCat(R"({"version":"1.0","truncation":null,"padding":null,
    "added_tokens":[{"id":0,"content":"<unk>","single_word":false,"lstrip":false,"rstrip":false,
      "normalized":false,"special":true}],
    "normalizer":null,"pre_tokenizer":null,"post_processor":null,"decoder":null,
    "model":{"type":"BPE","dropout":null,"unk_token":"<unk>","continuing_subword_prefix":null,
      "end_of_word_suffix":null,"fuse_unk":false,"byte_fallback":)",
                      byte_fallback ? "true" : "false", R"(,"ignore_merges":false,
      "vocab":{"<unk>":0,"a":1,"b":2,"c":3," ":4,"ab":5,"<0x7B>":6},
      "merges":[["a","b"]]}})");
}

TEST_F(TempDirTest, UnknownTokensAndTheirText) {
  absl::StatusOr<Tokenizer> tokenizer = Tokenizer::FromJson(PlainBpeJson(false), "plain_bpe");
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.status().message();
  const std::string path = Path("unk.txt");
  WriteAll(path, "ab c{a\nb{{\n");  // 2 lines, 3 "{" and 2 "\n" unknown
  std::vector<NamedTokenizer> tokenizers;
  tokenizers.push_back(NamedTokenizer{"plain", "", *std::move(tokenizer)});
  const ComparisonReport report = CompareOrDie(tokenizers, {FileCorpus("unk", path)}, {});
  const ComparisonResult& result = report.results.at(0);
  // ab, " ", c, {, a, \n, b, {, {, \n
  EXPECT_EQ(result.tokens, 10u);
  EXPECT_EQ(result.unk_tokens, 5u);
  uint64_t histogram_total = 0;
  for (uint64_t count : result.token_length_histogram) histogram_total += count;
  EXPECT_EQ(histogram_total, 5u);  // unknown tokens are not in the histogram
  EXPECT_EQ(result.token_length_histogram.at(1), 4u);  // " ", "c", "a", "b"
  EXPECT_DOUBLE_EQ(result.unk_rate, 0.5);
  ASSERT_EQ(result.unknown_texts.size(), 2u);
  EXPECT_EQ(result.unknown_texts[0].text, "{");
  EXPECT_EQ(result.unknown_texts[0].count, 3u);
  EXPECT_EQ(result.unknown_texts[1].text, "\n");
  EXPECT_EQ(result.unknown_texts[1].count, 2u);
  EXPECT_EQ(report.tokenizers.at(0).unk_token, "<unk>");
  // Decoding gives "<unk>" where the input had "{" or "\n", so both lines differ.
  EXPECT_EQ(result.roundtrip_failed_lines, 2u);
}

TEST_F(TempDirTest, ByteFallbackTokensAreCounted) {
  absl::StatusOr<Tokenizer> tokenizer = Tokenizer::FromJson(PlainBpeJson(true), "plain_bpe");
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.status().message();
  const std::string path = Path("fallback.txt");
  WriteAll(path, "ab{c{");
  std::vector<NamedTokenizer> tokenizers;
  tokenizers.push_back(NamedTokenizer{"plain", "", *std::move(tokenizer)});
  const ComparisonReport report = CompareOrDie(tokenizers, {FileCorpus("fb", path)}, {});
  const ComparisonResult& result = report.results.at(0);
  EXPECT_EQ(result.tokens, 4u);  // ab, <0x7B>, c, <0x7B>
  EXPECT_EQ(result.byte_fallback_tokens, 2u);
  EXPECT_EQ(result.unk_tokens, 0u);
  EXPECT_DOUBLE_EQ(result.byte_fallback_rate, 0.5);
}

}  // namespace
}  // namespace tokforge
