// Multi-threaded use of one Tokenizer: concurrent encodes and batch encoding
// must give the ids a single thread gives. scripts/sanitizers.sh runs these
// tests under ThreadSanitizer, which reports any data race they provoke.

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "support/test_data.h"
#include "tokforge/tokenizer.h"

namespace tokforge {
namespace {

constexpr int kThreads = 4;

std::vector<std::string> GoldenLines() {
  std::vector<std::string> lines;
  for (const char* name : {"adversarial.txt", "fr_gautier_morte_amoureuse.txt",
                           "ko_chatbot_data.txt", "py_shlex.txt"}) {
    for (std::string& line : testing::SplitLines(
             testing::ReadWholeFile(testing::SourcePath(std::string("data/golden_corpus/") + name)))) {
      lines.push_back(std::move(line));
    }
  }
  return lines;
}

struct ModelCase {
  const char* model;      // test name suffix
  const char* tokenizer;  // path under data/tokenizers/
};

class ConcurrencyTest : public ::testing::TestWithParam<ModelCase> {
 protected:
  Tokenizer Load() const {
    absl::StatusOr<Tokenizer> tokenizer = Tokenizer::FromFile(
        testing::SourcePath(std::string("data/tokenizers/") + GetParam().tokenizer));
    EXPECT_TRUE(tokenizer.ok()) << tokenizer.status();
    return *std::move(tokenizer);
  }
};

TEST_P(ConcurrencyTest, ConcurrentEncodesMatchSequential) {
  const Tokenizer tokenizer = Load();
  const std::vector<std::string> lines = GoldenLines();
  ASSERT_FALSE(lines.empty());
  std::vector<Encoding> expected;
  for (const std::string& line : lines) expected.push_back(tokenizer.Encode(line));

  // Every thread encodes every line, starting at a different one, so that
  // threads work on different inputs at the same moment.
  std::vector<std::vector<Encoding>> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      results[t].resize(lines.size());
      for (size_t k = 0; k < lines.size(); ++k) {
        const size_t i = (k + t * lines.size() / kThreads) % lines.size();
        results[t][i] = tokenizer.Encode(lines[i]);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  for (int t = 0; t < kThreads; ++t) {
    for (size_t i = 0; i < lines.size(); ++i) {
      EXPECT_EQ(results[t][i].ids, expected[i].ids) << "thread " << t << ", line " << i;
      EXPECT_EQ(results[t][i].offsets, expected[i].offsets) << "thread " << t << ", line " << i;
    }
  }
}

TEST_P(ConcurrencyTest, BatchEncodeMatchesSequential) {
  const Tokenizer tokenizer = Load();
  const std::vector<std::string> lines = GoldenLines();
  const std::vector<std::string_view> views(lines.begin(), lines.end());
  const std::vector<std::vector<uint32_t>> batch = tokenizer.EncodeBatchIds(views, true, kThreads);
  ASSERT_EQ(batch.size(), lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(batch[i], tokenizer.EncodeIds(lines[i])) << "line " << i;
  }
}

TEST_P(ConcurrencyTest, FlatBatchMatchesSequential) {
  const Tokenizer tokenizer = Load();
  const std::vector<std::string> lines = GoldenLines();
  const std::vector<std::string_view> views(lines.begin(), lines.end());
  // Two batches at once: one takes the shared worker pool, the other starts
  // its own workers.
  IdBatch other;
  std::thread second([&] { other = tokenizer.EncodeBatchIdsFlat(views, true, kThreads); });
  const IdBatch batch = tokenizer.EncodeBatchIdsFlat(views, true, kThreads);
  second.join();
  ASSERT_EQ(batch.size(), lines.size());
  ASSERT_EQ(other.size(), lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::vector<uint32_t> expected = tokenizer.EncodeIds(lines[i]);
    EXPECT_EQ(std::vector<uint32_t>(batch[i].begin(), batch[i].end()), expected) << "line " << i;
    EXPECT_EQ(std::vector<uint32_t>(other[i].begin(), other[i].end()), expected) << "line " << i;
  }
}

TEST_P(ConcurrencyTest, DecodeWhileEncoding) {
  const Tokenizer tokenizer = Load();
  const std::vector<std::string> lines = GoldenLines();
  std::vector<std::vector<uint32_t>> ids;
  std::vector<std::string> expected;
  for (const std::string& line : lines) {
    ids.push_back(tokenizer.EncodeIds(line, false));
    expected.push_back(tokenizer.Decode(ids.back()));
  }
  std::vector<std::string> decoded(lines.size());
  std::thread decoder([&] {
    for (size_t i = 0; i < lines.size(); ++i) decoded[i] = tokenizer.Decode(ids[i]);
  });
  std::vector<std::vector<uint32_t>> encoded(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) encoded[i] = tokenizer.EncodeIds(lines[i], false);
  decoder.join();
  EXPECT_EQ(decoded, expected);
  EXPECT_EQ(encoded, ids);
}

INSTANTIATE_TEST_SUITE_P(Models, ConcurrencyTest,
                         ::testing::Values(ModelCase{"Bpe", "gpt2/tokenizer.json"},
                                           ModelCase{"Unigram", "t5/tokenizer.json"},
                                           ModelCase{"WordPiece", "bert-base-uncased/tokenizer.json"}),
                         [](const ::testing::TestParamInfo<ModelCase>& info) {
                           return std::string(info.param.model);
                         });

}  // namespace
}  // namespace tokforge
