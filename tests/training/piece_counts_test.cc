#include "tokforge/counts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "support/test_data.h"
#include "tokforge/trainer.h"

namespace tokforge {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class PieceCountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) /
           absl::StrCat("counts_", info->name(), "_", getpid());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string WriteFile(const std::string& name, const std::string& content) const {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  fs::path dir_;
};

// NUL bytes are allowed because GoldenFiles() includes adversarial.txt,
// which contains some on purpose. The NulByte tests set their own options.
CorpusOptions Corpus(std::vector<std::string> paths) {
  CorpusOptions corpus;
  corpus.paths = std::move(paths);
  corpus.allow_nul_bytes = true;
  return corpus;
}

PieceCounts Count(const CorpusOptions& corpus, const CountingOptions& options,
                  CountSettings settings = {}) {
  PieceCounts counts(settings);
  const absl::Status status = CountCorpus(corpus, options, &counts);
  EXPECT_TRUE(status.ok()) << status;
  return counts;
}

CountingOptions Threads(int threads) {
  CountingOptions options;
  options.threads = threads;
  return options;
}

std::string TrainJson(BpeTrainer& trainer) {
  absl::StatusOr<Tokenizer> tokenizer = trainer.Train();
  EXPECT_TRUE(tokenizer.ok()) << tokenizer.status();
  return tokenizer.ok() ? tokenizer->ToJson() : "";
}

BpeTrainerOptions SmallVocab(bool hf_compatible = false) {
  BpeTrainerOptions options;
  options.vocab_size = 600;
  options.hf_compatible = hf_compatible;
  return options;
}

std::vector<std::string> GoldenFiles() {
  return {testing::SourcePath("data/golden_corpus/py_shlex.txt"),
          testing::SourcePath("data/golden_corpus/fr_gautier_morte_amoureuse.txt"),
          testing::SourcePath("data/golden_corpus/ko_chatbot_data.txt"),
          testing::SourcePath("data/golden_corpus/adversarial.txt")};
}

// JSON Lines records "{"text": "..."}" numbered 0..count-1, each repeated
// `copies` times in a row.
std::string NumberedRecords(int count, int copies) {
  std::string out;
  for (int i = 0; i < count; ++i) {
    for (int c = 0; c < copies; ++c) {
      absl::StrAppend(&out, "{\"text\": \"def f", i, "(x): return x * ", i % 7, "\\n\"}\n");
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Count shards.

TEST_F(PieceCountsTest, ShardRoundTrip) {
  CountSettings settings;
  settings.keep_byte_order_mark = true;
  const PieceCounts counts = Count(Corpus(GoldenFiles()), Threads(2), settings);
  absl::StatusOr<PieceCounts> parsed = PieceCounts::Parse(counts.Serialize(), "mem");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->Sorted(), counts.Sorted());
  EXPECT_TRUE(parsed->settings().keep_byte_order_mark);
  EXPECT_EQ(parsed->stats().sequences, counts.stats().sequences);
  EXPECT_EQ(parsed->stats().bytes, counts.stats().bytes);
  EXPECT_EQ(parsed->stats().files, 4u);
  EXPECT_EQ(parsed->stats().documents, counts.stats().documents);
}

TEST_F(PieceCountsTest, ShardSmallerThanText) {
  const PieceCounts counts = Count(Corpus(GoldenFiles()), Threads(1));
  EXPECT_LT(counts.Serialize().size(), counts.stats().bytes / 2);
}

// Pieces that share their first 8 or 16 bytes, differ only in trailing NUL
// bytes, or run past 16 bytes stay distinct, and Sorted() orders them by
// their bytes.
TEST_F(PieceCountsTest, SimilarPiecesKeptApart) {
  using namespace std::string_literals;
  const std::vector<std::string> pieces = {
      ""s,
      "a"s,
      "a\0"s,
      "a\0\0\0\0\0\0\0\0"s,
      "abcdefgh"s,
      "abcdefghi"s,
      "abcdefgh\xff"s,
      "abcdefghijklmnop"s,
      "abcdefghijklmnoq"s,
      "abcdefghijklmnopq"s,
      "abcdefghijklmnopr"s,
      "abcdefghijklmnop\0"s,
      "abcdefghijklmnopqrstuvwxyz0123456789"s,
      "abcdefghijklmnopqrstuvwxyz0123456788"s,
      "\xff\xfe"s,
  };
  PieceCounts counts;
  for (size_t i = 0; i < pieces.size(); ++i) {
    counts.AddPiece(pieces[i], static_cast<int64_t>(i) + 1);
  }
  // A second round adds to the stored pieces.
  for (size_t i = 0; i < pieces.size(); ++i) {
    counts.AddPiece(pieces[i], 100);
  }
  std::vector<std::pair<std::string, int64_t>> expected;
  for (size_t i = 0; i < pieces.size(); ++i) {
    expected.emplace_back(pieces[i], static_cast<int64_t>(i) + 101);
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(counts.distinct_pieces(), pieces.size());
  EXPECT_EQ(counts.Sorted(), expected);
}

// Thousands of pieces of one size that share their first 16 bytes fill the
// index, so that probes meet pieces with an equal start and must compare the
// remaining bytes.
TEST_F(PieceCountsTest, SharedLongStartsKeptApart) {
  PieceCounts counts;
  std::vector<std::pair<std::string, int64_t>> expected;
  for (int i = 0; i < 3000; ++i) {
    const std::string piece = absl::StrCat("shared_long_head", absl::Dec(i, absl::kZeroPad5));
    counts.AddPiece(piece, i + 1);
    expected.emplace_back(piece, i + 1);
  }
  EXPECT_EQ(counts.distinct_pieces(), expected.size());
  EXPECT_EQ(counts.Sorted(), expected);
}

// Every proper prefix of a shard is rejected with an error, never parsed.
TEST_F(PieceCountsTest, ShardTruncatedRejected) {
  PieceCounts counts;
  counts.AddPiece("hello", 3);
  counts.AddPiece("help", 1);
  counts.AddPiece(std::string("\0\xff", 2), 2);
  const std::string bytes = counts.Serialize();
  for (size_t length = 0; length < bytes.size(); ++length) {
    absl::StatusOr<PieceCounts> parsed = PieceCounts::Parse(bytes.substr(0, length), "cut.counts");
    ASSERT_FALSE(parsed.ok()) << "prefix of " << length << " bytes was accepted";
    EXPECT_THAT(parsed.status().message(), HasSubstr("cut.counts"));
  }
  EXPECT_THAT(PieceCounts::Parse(bytes.substr(0, 30), "cut.counts").status().message(),
              HasSubstr("truncated"));
}

TEST_F(PieceCountsTest, ShardCorruptByteRejected) {
  const PieceCounts counts = Count(Corpus({GoldenFiles()[0]}), Threads(1));
  const std::string bytes = counts.Serialize();
  for (size_t offset : {size_t{25}, bytes.size() / 2, bytes.size() - 9, bytes.size() - 1}) {
    std::string damaged = bytes;
    damaged[offset] ^= 0x20;
    absl::StatusOr<PieceCounts> parsed = PieceCounts::Parse(damaged, "bad.counts");
    ASSERT_FALSE(parsed.ok()) << "flip at " << offset;
    EXPECT_THAT(parsed.status().message(), HasSubstr("bad.counts is corrupt"));
  }
}

TEST_F(PieceCountsTest, ShardTrailingBytesRejected) {
  PieceCounts counts;
  counts.AddPiece("a", 1);
  absl::StatusOr<PieceCounts> parsed = PieceCounts::Parse(counts.Serialize() + "x", "x.counts");
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("follow the checksum"));
}

TEST_F(PieceCountsTest, NotAShardRejected) {
  absl::StatusOr<PieceCounts> parsed = PieceCounts::Parse("hello world\n", "text.txt");
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("text.txt is not a count shard"));
}

TEST_F(PieceCountsTest, NewerVersionRejected) {
  PieceCounts counts;
  counts.AddPiece("a", 1);
  std::string bytes = counts.Serialize();
  bytes[8] = 2;
  absl::StatusOr<PieceCounts> parsed = PieceCounts::Parse(bytes, "v2.counts");
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("format version 2"));
}

TEST_F(PieceCountsTest, ReadMissingFileNamesPath) {
  absl::StatusOr<PieceCounts> parsed = PieceCounts::ReadFile((dir_ / "none.counts").string());
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("none.counts"));
}

TEST_F(PieceCountsTest, MergeRejectsOtherSettings) {
  CountSettings keep;
  keep.keep_byte_order_mark = true;
  PieceCounts a;
  PieceCounts b(keep);
  b.AddPiece("x", 1);
  const absl::Status status = a.Merge(b, "count shard b.counts");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("count shard b.counts was counted with "
                                          "byte_order_mark=keep"));
  BpeTrainer trainer(SmallVocab(/*hf_compatible=*/false));
  EXPECT_FALSE(trainer.AddCounts(b, "b.counts").ok());
}

// Shards counted from parts of a corpus, written, read back and merged,
// train the same tokenizer.json as counting the whole corpus in one run.
TEST_F(PieceCountsTest, ShardsTrainSameAsWholeCorpus) {
  for (const bool hf_compatible : {false, true}) {
    SCOPED_TRACE(hf_compatible ? "hf_compatible" : "default");
    const std::vector<std::string> files = GoldenFiles();
    BpeTrainer direct(SmallVocab(hf_compatible));
    ASSERT_TRUE(direct.CountCorpus(Corpus(files)).ok());
    const std::string expected = TrainJson(direct);

    CountSettings settings;
    settings.keep_byte_order_mark = hf_compatible;
    BpeTrainer from_shards(SmallVocab(hf_compatible));
    for (size_t part = 0; part < 2; ++part) {
      const PieceCounts counts =
          Count(Corpus({files[2 * part], files[2 * part + 1]}), Threads(2), settings);
      const std::string shard = (dir_ / absl::StrCat("part", part, ".counts")).string();
      ASSERT_TRUE(counts.WriteFile(shard).ok());
      absl::StatusOr<PieceCounts> read = PieceCounts::ReadFile(shard);
      ASSERT_TRUE(read.ok()) << read.status();
      ASSERT_TRUE(from_shards.AddCounts(*read, shard).ok());
    }
    EXPECT_EQ(TrainJson(from_shards), expected);
    EXPECT_EQ(from_shards.stats().sequences, direct.stats().sequences);
  }
}

// ---------------------------------------------------------------------------
// Duplicates.

TEST_F(PieceCountsTest, DuplicateRecordsReported) {
  const std::string path = WriteFile("dup.jsonl", NumberedRecords(50, 3));
  const PieceCounts counts = Count(Corpus({path}), Threads(2));
  EXPECT_EQ(counts.stats().documents, 150u);
  EXPECT_EQ(counts.stats().duplicate_documents, 100u);
  EXPECT_EQ(counts.stats().sequences, 150u);
  EXPECT_EQ(counts.stats().duplicate_bytes * 3, counts.stats().document_bytes * 2);
}

TEST_F(PieceCountsTest, DedupRecordsEqualsUniqueInput) {
  const std::string repeated = WriteFile("dup.jsonl", NumberedRecords(200, 4));
  const std::string unique = WriteFile("unique.jsonl", NumberedRecords(200, 1));
  CountingOptions dedup = Threads(3);
  dedup.dedup = true;
  const PieceCounts deduplicated = Count(Corpus({repeated}), dedup);
  const PieceCounts reference = Count(Corpus({unique}), Threads(1));
  EXPECT_EQ(deduplicated.Sorted(), reference.Sorted());
  EXPECT_EQ(deduplicated.stats().sequences, 200u);
  EXPECT_EQ(deduplicated.stats().duplicate_documents, 600u);
}

TEST_F(PieceCountsTest, DedupWholeTextFiles) {
  const std::string original = testing::ReadWholeFile(GoldenFiles()[0]);
  const std::string a = WriteFile("a.py", original);
  const std::string copy = WriteFile("copy.py", original);
  const std::string other = WriteFile("other.py", original + "# changed\n");
  CountingOptions dedup = Threads(2);
  dedup.dedup = true;
  const PieceCounts deduplicated = Count(Corpus({a, copy, other}), dedup);
  const PieceCounts reference = Count(Corpus({a, other}), Threads(2));
  EXPECT_EQ(deduplicated.Sorted(), reference.Sorted());
  EXPECT_EQ(deduplicated.stats().documents, 3u);
  EXPECT_EQ(deduplicated.stats().duplicate_documents, 1u);
  EXPECT_EQ(deduplicated.stats().duplicate_bytes, original.size());

  // Without --dedup the copy is counted but still reported.
  const PieceCounts counted = Count(Corpus({a, copy, other}), Threads(2));
  EXPECT_EQ(counted.stats().duplicate_documents, 1u);
  const PieceCounts single = Count(Corpus({a}), Threads(1));
  EXPECT_EQ(counted.stats().sequences, reference.stats().sequences + single.stats().sequences);
}

TEST_F(PieceCountsTest, DedupLineDocuments) {
  const std::string path = WriteFile("lines.txt", "same\nother\nsame\nsame\n");
  CountingOptions dedup = Threads(1);
  dedup.dedup = true;
  dedup.text_document = TextDocument::kLine;
  const PieceCounts counts = Count(Corpus({path}), dedup);
  EXPECT_EQ(counts.stats().sequences, 2u);
  EXPECT_EQ(counts.stats().duplicate_documents, 2u);
}

TEST_F(PieceCountsTest, DedupSameForAnyThreadCount) {
  std::string records = NumberedRecords(3000, 2) + NumberedRecords(1000, 1);
  const std::string path = WriteFile("dup.jsonl", records);
  CountingOptions options = Threads(1);
  options.dedup = true;
  const PieceCounts one = Count(Corpus({path}), options);
  options.threads = 4;
  const PieceCounts four = Count(Corpus({path}), options);
  EXPECT_EQ(one.Sorted(), four.Sorted());
  EXPECT_EQ(one.stats().duplicate_documents, four.stats().duplicate_documents);
}

TEST_F(PieceCountsTest, DedupMemoryFullReported) {
  const std::string path = WriteFile("records.jsonl", NumberedRecords(3000, 1));
  CountingOptions options = Threads(2);
  options.dedup = true;
  options.dedup_memory_bytes = 4096;
  const PieceCounts counts = Count(Corpus({path}), options);
  EXPECT_GT(counts.stats().unremembered_documents, 0u);
  EXPECT_EQ(counts.stats().sequences, 3000u);
}

TEST_F(PieceCountsTest, DedupTextFromPipeRejected) {
  CountingOptions options;
  options.dedup = true;
  PieceCounts counts;
  CorpusOptions corpus = Corpus({"-"});
  const absl::Status status = CountCorpus(corpus, options, &counts);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("standard input"));
}

TEST_F(PieceCountsTest, CountSequencesReportsDuplicates) {
  PieceCounts counts;
  const std::vector<std::string_view> texts = {"a b", "c", "a b"};
  counts.CountSequences(texts, 2);
  EXPECT_EQ(counts.stats().documents, 3u);
  EXPECT_EQ(counts.stats().duplicate_documents, 1u);
  EXPECT_EQ(counts.stats().sequences, 3u);
}

// ---------------------------------------------------------------------------
// Sampling.

TEST_F(PieceCountsTest, SamplingReproducible) {
  std::string text;
  for (int i = 0; i < 4000; ++i) absl::StrAppend(&text, "line number ", i, "\n");
  const std::string path = WriteFile("lines.txt", text);
  CountingOptions options = Threads(1);
  options.sample_fraction = 0.25;
  options.seed = 7;
  const PieceCounts first = Count(Corpus({path}), options);
  options.threads = 4;
  const PieceCounts again = Count(Corpus({path}), options);
  EXPECT_EQ(first.Sorted(), again.Sorted());
  EXPECT_EQ(first.stats().sequences + first.stats().sampled_out_sequences, 4000u);
  EXPECT_GT(first.stats().sequences, 800u);
  EXPECT_LT(first.stats().sequences, 1200u);

  options.seed = 8;
  const PieceCounts other_seed = Count(Corpus({path}), options);
  EXPECT_NE(other_seed.Sorted(), first.Sorted());
}

TEST_F(PieceCountsTest, SamplingFractionValidated) {
  for (const double fraction : {0.0, -0.5, 1.5}) {
    CountingOptions options;
    options.sample_fraction = fraction;
    PieceCounts counts;
    const absl::Status status = CountCorpus(Corpus(GoldenFiles()), options, &counts);
    EXPECT_FALSE(status.ok()) << fraction;
    EXPECT_THAT(status.message(), HasSubstr("sample fraction"));
  }
}

// ---------------------------------------------------------------------------
// Pruning.

TEST_F(PieceCountsTest, PruneDropsRarestWithTies) {
  PieceCounts counts;
  counts.AddPiece("a", 5);
  counts.AddPiece("b", 3);
  counts.AddPiece("c", 3);
  counts.AddPiece("d", 1);
  PieceCounts two = counts;
  EXPECT_EQ(two.Prune(2), 3u);
  EXPECT_EQ(two.Sorted(), (std::vector<std::pair<std::string, int64_t>>{{"a", 5}}));
  PieceCounts three = counts;
  EXPECT_EQ(three.Prune(3), 1u);
  EXPECT_EQ(three.distinct_pieces(), 3u);
  EXPECT_EQ(counts.Prune(10), 0u);
}

TEST_F(PieceCountsTest, MaxPiecesSameForAnyThreadCount) {
  CountingOptions options = Threads(1);
  options.max_pieces = 500;
  options.prune_interval_bytes = 4096;
  CorpusOptions corpus = Corpus(GoldenFiles());
  corpus.block_bytes = 1024;
  const PieceCounts one = Count(corpus, options);
  options.threads = 3;
  const PieceCounts three = Count(corpus, options);
  EXPECT_LE(one.distinct_pieces(), 500u);
  EXPECT_GT(one.stats().pruned_pieces, 0u);
  EXPECT_EQ(one.Sorted(), three.Sorted());
  EXPECT_EQ(one.stats().pruned_pieces, three.stats().pruned_pieces);
}

// Plain files are counted in chunks read by the counting threads; a
// --max-bytes limit above the corpus size sends the same files through
// CorpusReader instead. Both must give the same counts and statistics, for
// chunks far smaller than the files, so that lines cross chunk ends.
TEST_F(PieceCountsTest, ChunkedFilesSameAsReader) {
  const std::string jsonl = WriteFile("records.jsonl", NumberedRecords(300, 2));
  std::vector<std::string> files = GoldenFiles();
  files.push_back(jsonl);
  files.push_back(GoldenFiles()[0]);  // a whole-file duplicate

  struct Variant {
    const char* name;
    CountingOptions options;
  };
  // Pruning is left out: its points are chunk ends on one path and block
  // ends on the other. MaxPiecesSameForAnyThreadCount covers it.
  std::vector<Variant> variants(4, Variant{"", Threads(1)});
  variants[0].name = "plain";
  variants[1].name = "sampled";
  variants[1].options.sample_fraction = 0.5;
  variants[1].options.seed = 7;
  variants[2].name = "dedup";
  variants[2].options.dedup = true;
  variants[3].name = "line documents";
  variants[3].options.text_document = TextDocument::kLine;

  for (Variant& variant : variants) {
    SCOPED_TRACE(variant.name);
    CorpusOptions corpus = Corpus(files);
    corpus.block_bytes = 777;
    corpus.max_bytes = uint64_t{1} << 50;
    const PieceCounts reader = Count(corpus, variant.options);
    corpus.max_bytes = 0;
    for (int threads : {1, 3}) {
      variant.options.threads = threads;
      const PieceCounts chunked = Count(corpus, variant.options);
      EXPECT_EQ(chunked.Sorted(), reader.Sorted()) << threads << " threads";
      EXPECT_EQ(chunked.stats().sequences, reader.stats().sequences);
      EXPECT_EQ(chunked.stats().bytes, reader.stats().bytes);
      EXPECT_EQ(chunked.stats().documents, reader.stats().documents);
      EXPECT_EQ(chunked.stats().duplicate_documents, reader.stats().duplicate_documents);
      EXPECT_EQ(chunked.stats().sampled_out_sequences, reader.stats().sampled_out_sequences);
      EXPECT_GT(chunked.distinct_pieces(), 0u);
    }
  }
}

// An invalid record in a later chunk is reported with its line number in
// the file, which the chunked path computes from the chunks before it.
TEST_F(PieceCountsTest, ChunkedJsonlErrorNamesLine) {
  std::string records = NumberedRecords(200, 1);
  records += "{\"text\": 5}\n";
  const std::string path = WriteFile("bad.jsonl", records);
  CorpusOptions corpus = Corpus({path});
  corpus.block_bytes = 500;
  PieceCounts counts;
  const absl::Status status = CountCorpus(corpus, Threads(2), &counts);
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(std::string(status.message()), HasSubstr("line 201 of " + path));
}

// ---------------------------------------------------------------------------
// NUL bytes.

// Text of `lines` numbered lines with a NUL byte in line `nul_line` (1-based).
// Sets `nul_offset` to the NUL's byte offset.
std::string LinesWithNul(int lines, int nul_line, uint64_t* nul_offset) {
  std::string text;
  for (int i = 1; i <= lines; ++i) {
    absl::StrAppend(&text, "line ", i, " of the corpus");
    if (i == nul_line) {
      *nul_offset = text.size();
      text.push_back('\0');
    }
    text += "\n";
  }
  return text;
}

// A plain file goes through the chunks that the counting threads read, a
// .gz file through CorpusReader. Both report the first NUL byte by its
// offset and line, however small the chunks and whatever the thread count.
TEST_F(PieceCountsTest, NulByteRejectedOnBothPaths) {
  uint64_t offset = 0;
  const std::string text = LinesWithNul(2000, 1500, &offset);
  const std::string plain = WriteFile("binary.txt", text);
  const std::string packed = (dir_ / "binary.txt.gz").string();
  ASSERT_EQ(std::system(("gzip -c " + plain + " > " + packed).c_str()), 0);

  for (const std::string& path : {plain, packed}) {
    for (const int threads : {1, 3}) {
      SCOPED_TRACE(path + ", " + std::to_string(threads) + " threads");
      CorpusOptions corpus;
      corpus.paths = {path};
      corpus.block_bytes = 1000;
      PieceCounts counts;
      const absl::Status status = CountCorpus(corpus, Threads(threads), &counts);
      EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
      const std::string message(status.message());
      EXPECT_THAT(message, HasSubstr("corpus file " + path + " contains a NUL byte"));
      EXPECT_THAT(message, HasSubstr(absl::StrCat("byte offset ", offset)));
      EXPECT_THAT(message, HasSubstr("(line 1500)"));
      EXPECT_THAT(message, HasSubstr("--allow-nul-bytes"));
    }
  }
}

TEST_F(PieceCountsTest, NulByteAllowedOnBothPaths) {
  uint64_t offset = 0;
  const std::string plain = WriteFile("binary.txt", LinesWithNul(2000, 1500, &offset));
  const std::string packed = (dir_ / "binary.txt.gz").string();
  ASSERT_EQ(std::system(("gzip -c " + plain + " > " + packed).c_str()), 0);

  for (const std::string& path : {plain, packed}) {
    SCOPED_TRACE(path);
    CorpusOptions corpus;
    corpus.paths = {path};
    corpus.block_bytes = 1000;
    corpus.allow_nul_bytes = true;
    const PieceCounts counts = Count(corpus, Threads(2));
    EXPECT_EQ(counts.stats().sequences, 2000u);
    // The GPT-2 pattern makes the NUL between letters and "\n" a piece of its own.
    const auto sorted = counts.Sorted();
    EXPECT_TRUE(std::any_of(sorted.begin(), sorted.end(),
                            [](const auto& entry) { return entry.first == std::string(1, '\0'); }));
  }
}

// The most frequent pieces survive pruning with their exact counts when they
// are never near the threshold.
TEST_F(PieceCountsTest, MaxPiecesKeepsFrequentCounts) {
  const PieceCounts full = Count(Corpus(GoldenFiles()), Threads(2));
  CountingOptions options = Threads(2);
  options.max_pieces = 2000;
  const PieceCounts pruned = Count(Corpus(GoldenFiles()), options);
  std::vector<std::pair<std::string, int64_t>> top = full.Sorted();
  std::sort(top.begin(), top.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  const auto kept = pruned.Sorted();
  for (size_t i = 0; i < 20; ++i) {
    const auto it = std::find(kept.begin(), kept.end(), top[i]);
    EXPECT_NE(it, kept.end()) << top[i].first;
  }
}

}  // namespace
}  // namespace tokforge
