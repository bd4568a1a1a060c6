#include "training/bpe_learner.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "util/thread_pool.h"

namespace tokforge {
namespace {

// Builds a learner input from words spelled with one-character symbols; the
// alphabet gets ids in sorted character order, as the trainer assigns them.
struct Fixture {
  LearnerVocabulary vocabulary;
  LearnerWords words;

  Fixture(const std::string& alphabet, const std::vector<std::pair<std::string, int64_t>>& corpus) {
    for (const char c : alphabet) vocabulary.Add(std::string(1, c), 1);
    for (const auto& [word, count] : corpus) {
      std::vector<uint32_t> symbols;
      for (const char c : word) symbols.push_back(vocabulary.Find(std::string(1, c)));
      words.AddWord(symbols, count);
    }
  }

  std::vector<std::string> Learn(MergeLearnerOptions options, ThreadPool* pool = nullptr) {
    std::vector<std::string> merged;
    for (const LearnedMerge& merge : LearnMerges(options, &words, &vocabulary, pool)) {
      merged.push_back(vocabulary.token(merge.left) + "+" + vocabulary.token(merge.right));
    }
    return merged;
  }
};

using Merges = std::vector<std::string>;

TEST(BpeLearnerTest, HighestCountWins) {
  Fixture fixture("abc", {{"ab", 5}, {"bc", 3}});
  EXPECT_EQ(fixture.Learn({}), (Merges{"a+b", "b+c"}));
}

TEST(BpeLearnerTest, TieGoesToSmallestIdPair) {
  // (x,y) and (y,z) both occur twice; x < y < z by id, so (x,y) goes first.
  // Merging it inside "xyz" leaves (y,z) with one occurrence, tied with the
  // new (xy,z); (y,z) has the smaller ids.
  Fixture fixture("xyz", {{"xyz", 1}, {"yz", 1}, {"xy", 1}});
  EXPECT_EQ(fixture.Learn({}), (Merges{"x+y", "y+z", "xy+z"}));
}

TEST(BpeLearnerTest, OverlappingPairsMergeLeftToRight) {
  Fixture fixture("a", {{"aaa", 1}});
  const Merges merges = fixture.Learn({});
  ASSERT_EQ(merges.size(), 2u);
  EXPECT_EQ(merges[0], "a+a");
  EXPECT_EQ(merges[1], "aa+a");
}

TEST(BpeLearnerTest, StopsAtVocabSize) {
  Fixture fixture("abcd", {{"abcd", 10}});
  MergeLearnerOptions options;
  options.vocab_size = 6;
  EXPECT_EQ(fixture.Learn(options).size(), 2u);
  EXPECT_EQ(fixture.vocabulary.size(), 6u);
}

TEST(BpeLearnerTest, MinFrequencyIsInclusive) {
  Fixture fixture("abc", {{"ab", 3}, {"bc", 2}});
  MergeLearnerOptions options;
  options.min_frequency = 3;
  EXPECT_EQ(fixture.Learn(options), (Merges{"a+b"}));
}

TEST(BpeLearnerTest, MaxTokenLengthCapsNewTokens) {
  Fixture fixture("abcd", {{"abcdabcd", 4}, {"dcba", 3}});
  MergeLearnerOptions options;
  options.max_token_length = 3;
  fixture.Learn(options);
  for (const std::string& token : fixture.vocabulary.tokens()) {
    EXPECT_LE(token.size(), 3u) << token;
  }
}

TEST(BpeLearnerTest, SameMergesWithThreads) {
  std::vector<std::pair<std::string, int64_t>> corpus;
  // Enough distinct words to take the parallel path of the merge step.
  for (int i = 0; i < 6000; ++i) {
    std::string word;
    for (int x = i; x > 0; x /= 5) word.push_back(static_cast<char>('a' + x % 5));
    corpus.emplace_back(word + "e", 1 + i % 7);
  }
  Fixture serial("abcde", corpus);
  Fixture parallel("abcde", corpus);
  ThreadPool pool(4);
  MergeLearnerOptions options;
  options.vocab_size = 200;
  EXPECT_EQ(serial.Learn(options), parallel.Learn(options, &pool));
}

}  // namespace
}  // namespace tokforge
