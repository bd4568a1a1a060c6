// The open-addressing tables behind byte-level BPE encoding.

#include "models/bpe/lookup_tables.h"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace tokforge::bpe_internal {
namespace {

TEST(MergeTableTest, FindsInsertedPairs) {
  MergeTable table;
  table.Reserve(3);
  table.Insert(1, 2, {0, 10});
  table.Insert(2, 1, {1, 11});
  table.Insert(0x7FFFFFFF, 0, {2, 12});
  EXPECT_EQ(table.Find(1, 2).result, 10u);
  EXPECT_EQ(table.Find(2, 1).result, 11u);
  EXPECT_EQ(table.Find(0x7FFFFFFF, 0).rank, 2u);
  EXPECT_EQ(table.Find(1, 1).rank, MergeTable::kNoMerge);
  EXPECT_EQ(table.size(), 3u);
}

TEST(MergeTableTest, LaterInsertReplacesRank) {
  MergeTable table;
  table.Insert(5, 6, {0, 7});
  table.Insert(5, 6, {9, 8});
  EXPECT_EQ(table.Find(5, 6).rank, 9u);
  EXPECT_EQ(table.Find(5, 6).result, 8u);
  EXPECT_EQ(table.size(), 1u);
}

TEST(MergeTableTest, GrowsPastInitialReserve) {
  MergeTable table;
  for (uint32_t i = 0; i < 10000; ++i) table.Insert(i, i + 1, {i, i + 2});
  for (uint32_t i = 0; i < 10000; ++i) {
    ASSERT_EQ(table.Find(i, i + 1).rank, i);
    ASSERT_EQ(table.Find(i, i + 1).result, i + 2);
  }
  EXPECT_EQ(table.Find(10000, 10001).rank, MergeTable::kNoMerge);
}

TEST(TokenBytesTableTest, MatchesWholeKeysOfEveryLength) {
  std::vector<std::pair<std::string, uint32_t>> entries;
  // Keys of 1 to 40 bytes that share prefixes, so a lookup must compare the
  // length and the bytes after the first eight.
  for (uint32_t length = 1; length <= 40; ++length) {
    entries.emplace_back(std::string(length, 'x'), length);
    std::string variant(length, 'x');
    variant.back() = 'y';
    entries.emplace_back(variant, 100 + length);
  }
  entries.emplace_back(std::string("a\0b", 3), 500);
  TokenBytesTable table;
  table.Build(entries);
  EXPECT_TRUE(table.complete());
  for (const auto& [key, id] : entries) EXPECT_EQ(table.Find(key), id) << key;
  EXPECT_EQ(table.Find(std::string(41, 'x')), TokenBytesTable::kNotFound);
  EXPECT_EQ(table.Find("xz"), TokenBytesTable::kNotFound);
  EXPECT_EQ(table.Find(std::string("a\0c", 3)), TokenBytesTable::kNotFound);
  EXPECT_EQ(table.Find(""), TokenBytesTable::kNotFound);
}

TEST(TokenBytesTableTest, RepeatedKeyKeepsFirstId) {
  TokenBytesTable table;
  table.Build({{"ab", 3}, {"ab", 4}});
  EXPECT_EQ(table.Find("ab"), 3u);
}

TEST(TokenBytesTableTest, LongKeyIsLeftOutAndReported) {
  const std::string long_key(TokenBytesTable::kMaxKeyBytes + 1, 'q');
  TokenBytesTable table;
  table.Build({{"q", 1}, {long_key, 2}});
  EXPECT_FALSE(table.complete());
  EXPECT_EQ(table.Find(long_key), TokenBytesTable::kNotFound);
  EXPECT_EQ(table.Find("q"), 1u);
}

TEST(PieceCacheTest, ReturnsWhatWasInserted) {
  PieceCache cache;
  const std::string piece = "    ";
  const uint64_t hash = PieceCache::HashPiece(piece);
  std::vector<uint32_t> ids = {7};
  EXPECT_FALSE(cache.Lookup(piece, hash, &ids));
  const uint32_t encoded[] = {220, 220, 220, 220};
  cache.Insert(piece, hash, encoded, 4);
  ASSERT_TRUE(cache.Lookup(piece, hash, &ids));
  EXPECT_EQ(ids, (std::vector<uint32_t>{7, 220, 220, 220, 220}));
}

TEST(PieceCacheTest, SameHashOtherBytesMisses) {
  PieceCache cache;
  const uint32_t encoded[] = {1};
  cache.Insert("ab", 42, encoded, 1);
  std::vector<uint32_t> ids;
  EXPECT_FALSE(cache.Lookup("ba", 42, &ids));
  EXPECT_FALSE(cache.Lookup("abc", 42, &ids));
  EXPECT_TRUE(ids.empty());
}

TEST(PieceCacheTest, SkipsPiecesBeyondItsLimit) {
  PieceCache cache;
  const std::string long_piece(PieceCache::kMaxPieceBytes + 1, ' ');
  const uint32_t encoded[] = {1};
  cache.Insert(long_piece, 1, encoded, 1);
  std::vector<uint32_t> ids;
  EXPECT_FALSE(cache.Lookup(long_piece, 1, &ids));
}

TEST(PieceCacheTest, KeepsEntriesWhileGrowingThenStartsOver) {
  PieceCache cache;
  auto piece_of = [](size_t i) { return "piece " + std::to_string(i); };
  // Up to the limit, every entry stays, through several doublings.
  for (uint32_t i = 0; i < PieceCache::kMaxEntries; ++i) {
    const std::string piece = piece_of(i);
    cache.Insert(piece, PieceCache::HashPiece(piece), &i, 1);
  }
  for (uint32_t i = 0; i < PieceCache::kMaxEntries; i += 997) {
    const std::string piece = piece_of(i);
    std::vector<uint32_t> ids;
    ASSERT_TRUE(cache.Lookup(piece, PieceCache::HashPiece(piece), &ids)) << piece;
    EXPECT_EQ(ids, (std::vector<uint32_t>{i}));
  }
  // One more empties the cache before it is stored.
  const std::string extra = "one more";
  const uint32_t extra_id = 5;
  cache.Insert(extra, PieceCache::HashPiece(extra), &extra_id, 1);
  std::vector<uint32_t> ids;
  EXPECT_TRUE(cache.Lookup(extra, PieceCache::HashPiece(extra), &ids));
  EXPECT_FALSE(cache.Lookup(piece_of(0), PieceCache::HashPiece(piece_of(0)), &ids));
}

}  // namespace
}  // namespace tokforge::bpe_internal
