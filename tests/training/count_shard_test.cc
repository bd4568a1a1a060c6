// Count shards with a valid checksum but a hostile payload must be rejected
// with an error instead of overflowing a count or allocating far beyond the
// file size. tokenizer/src/training/count_shard.cc documents the layout.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <xxhash.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tokforge/counts.h"
#include "tokforge/trainer.h"

namespace tokforge {
namespace {

using ::testing::HasSubstr;

void PutFixed(std::string* out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

void PutVarint(std::string* out, uint64_t value) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

void PutString(std::string* out, std::string_view text) {
  PutVarint(out, text.size());
  out->append(text);
}

struct Entry {
  uint64_t shared;  // prefix length shared with the previous piece
  std::string suffix;
  uint64_t count;
};

// Returns a shard with a correct header and checksum around the given
// piece entries, with settings this build accepts and no statistics.
std::string Shard(const std::vector<Entry>& entries) {
  std::string payload;
  PutString(&payload, "pre_tokenizer=" + std::string(kCountPreTokenizer) + "\nnormalizer=" +
                          std::string(kCountNormalizer) + "\nbyte_order_mark=drop\n");
  PutVarint(&payload, 0);
  PutVarint(&payload, entries.size());
  for (const Entry& entry : entries) {
    PutVarint(&payload, entry.shared);
    PutString(&payload, entry.suffix);
    PutVarint(&payload, entry.count);
  }
  std::string shard = "\x89TOKCNT\n";
  PutFixed(&shard, 1, 4);
  PutFixed(&shard, payload.size(), 8);
  shard += payload;
  PutFixed(&shard, XXH3_64bits(shard.data(), shard.size()), 8);
  return shard;
}

constexpr uint64_t kMaxCount = INT64_MAX;

TEST(CountShardTest, HelperWritesReadableShard) {
  absl::StatusOr<PieceCounts> parsed =
      PieceCounts::Parse(Shard({{0, "ab", 2}, {1, "c", 3}, {0, "b", 1}}), "ok.counts");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const std::vector<std::pair<std::string, int64_t>> expected = {{"ab", 2}, {"ac", 3}, {"b", 1}};
  EXPECT_EQ(parsed->Sorted(), expected);
}

// A piece listed twice must not be added to its first count, because two
// counts of 2^63 - 1 overflow int64_t.
TEST(CountShardTest, RepeatedPieceRejected) {
  absl::StatusOr<PieceCounts> parsed =
      PieceCounts::Parse(Shard({{0, "a", kMaxCount}, {1, "", kMaxCount}}), "twice.counts");
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("twice.counts is corrupt"));
  EXPECT_THAT(parsed.status().message(), HasSubstr("piece 1 is not greater"));
}

// Counting never yields an empty piece, but PieceCounts::AddPiece accepts
// one and Serialize writes it, so the reader accepts it too. Storing it as
// the first piece once read past the end of the counter's empty arena.
TEST(CountShardTest, EmptyFirstPieceRead) {
  absl::StatusOr<PieceCounts> parsed =
      PieceCounts::Parse(Shard({{0, "", 2}, {0, "a", 1}}), "empty.counts");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const std::vector<std::pair<std::string, int64_t>> expected = {{"", 2}, {"a", 1}};
  EXPECT_EQ(parsed->Sorted(), expected);
}

TEST(CountShardTest, UnsortedPiecesRejected) {
  absl::StatusOr<PieceCounts> parsed = PieceCounts::Parse(Shard({{0, "b", 1}, {0, "a", 1}}), "s");
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("piece 1 is not greater"));
}

// Counts that are each valid but whose bytes of text add up past 2^63 - 1
// would overflow the trainer's pair counts.
TEST(CountShardTest, TextBytesOverflowRejected) {
  absl::StatusOr<PieceCounts> parsed =
      PieceCounts::Parse(Shard({{0, "ab", kMaxCount / 2 + 1}}), "big.counts");
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("more than 2^63 - 1 bytes of text"));

  parsed = PieceCounts::Parse(Shard({{0, "a", kMaxCount / 2 + 1}, {0, "b", kMaxCount / 2 + 1}}),
                              "sum.counts");
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("up to piece 1"));

  parsed = PieceCounts::Parse(Shard({{0, "a", kMaxCount}}), "max.counts");
  EXPECT_TRUE(parsed.ok()) << parsed.status();
}

// Every entry repeats the whole previous piece and adds one byte, so about
// 220 KB of entries would decode to 800 MB.
TEST(CountShardTest, PrefixExpansionBounded) {
  std::vector<Entry> entries;
  for (uint64_t i = 0; i < 40000; ++i) entries.push_back({i, "a", 1});
  const std::string shard = Shard(entries);
  ASSERT_LT(shard.size(), 250000u);
  absl::StatusOr<PieceCounts> parsed = PieceCounts::Parse(shard, "long.counts");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(parsed.status().message(), HasSubstr("long.counts is rejected"));
  EXPECT_THAT(parsed.status().message(), HasSubstr("pieces decode to more than"));

  // The same sharing across fewer pieces stays within the limit.
  entries.resize(1000);
  parsed = PieceCounts::Parse(Shard(entries), "short.counts");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->distinct_pieces(), 1000u);
}

TEST(CountShardTest, MergeOverflowRejected) {
  absl::StatusOr<PieceCounts> parsed = PieceCounts::Parse(Shard({{0, "a", kMaxCount}}), "a");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  PieceCounts merged = *parsed;
  const absl::Status status = merged.Merge(*parsed, "count shard a.counts");
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("count shard a.counts"));
  EXPECT_THAT(status.message(), HasSubstr("more than 2^63 - 1"));
  // A rejected merge changes nothing.
  EXPECT_EQ(merged.Sorted(), parsed->Sorted());
}

// Two shards that each pass the reader's 2^63 - 1 limit can exceed it
// together without any single piece count overflowing.
TEST(CountShardTest, TrainRejectsTextBytesOverflow) {
  absl::StatusOr<PieceCounts> first =
      PieceCounts::Parse(Shard({{0, "ab", kMaxCount / 2 - 1}}), "first");
  absl::StatusOr<PieceCounts> second =
      PieceCounts::Parse(Shard({{0, "cd", kMaxCount / 2 - 1}}), "second");
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok()) << second.status();
  BpeTrainerOptions options;
  options.vocab_size = 300;
  BpeTrainer trainer(options);
  ASSERT_TRUE(trainer.AddCounts(*first, "first").ok());
  ASSERT_TRUE(trainer.AddCounts(*second, "second").ok());
  absl::StatusOr<Tokenizer> tokenizer = trainer.Train();
  ASSERT_FALSE(tokenizer.ok());
  EXPECT_THAT(tokenizer.status().message(), HasSubstr("more than 2^63 - 1 bytes of text"));
}

// Reading stops after the signature of a file that is not a shard, so an
// endless file ends with an error instead of filling memory.
TEST(CountShardTest, ReadFileStopsAtWrongSignature) {
  absl::StatusOr<PieceCounts> parsed = PieceCounts::ReadFile("/dev/zero");
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("/dev/zero is not a count shard"));
}

}  // namespace
}  // namespace tokforge
