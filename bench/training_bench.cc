// Throughput of the training stages on the golden corpus, read into memory
// once: GPT-2 splitting, piece counting, and merge learning.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "pretokenizers/gpt2_split.h"
#include "tokforge/trainer.h"
#include "training/piece_counter.h"

namespace tokforge {
namespace {

// All lines of data/golden_corpus/*.txt, each with its "\n".
const std::vector<std::string>& CorpusLines() {
  static const std::vector<std::string>* const lines = [] {
    auto* result = new std::vector<std::string>();
    const std::filesystem::path dir = std::filesystem::path(TOKFORGE_SOURCE_DIR) / "data/golden_corpus";
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().extension() == ".txt") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      std::ifstream in(file, std::ios::binary);
      std::string line;
      while (std::getline(in, line)) result->push_back(line + "\n");
    }
    return result;
  }();
  return *lines;
}

int64_t CorpusBytes() {
  int64_t bytes = 0;
  for (const std::string& line : CorpusLines()) bytes += static_cast<int64_t>(line.size());
  return bytes;
}

void BM_Gpt2Split(benchmark::State& state) {
  const std::vector<std::string>& lines = CorpusLines();
  for (auto _ : state) {
    size_t pieces = 0;
    for (const std::string& line : lines) SplitGpt2(line, [&](size_t, size_t) { ++pieces; });
    benchmark::DoNotOptimize(pieces);
  }
  state.SetBytesProcessed(state.iterations() * CorpusBytes());
}
BENCHMARK(BM_Gpt2Split);

void BM_CountPieces(benchmark::State& state) {
  const std::vector<std::string>& lines = CorpusLines();
  for (auto _ : state) {
    PieceCounter counter;
    for (const std::string& line : lines) counter.CountSequence(line);
    benchmark::DoNotOptimize(counter.distinct_pieces());
  }
  state.SetBytesProcessed(state.iterations() * CorpusBytes());
}
BENCHMARK(BM_CountPieces);

// Counting plus merge learning up to the given vocabulary size.
void BM_TrainInMemory(benchmark::State& state) {
  const std::vector<std::string>& lines = CorpusLines();
  const std::vector<std::string_view> views(lines.begin(), lines.end());
  for (auto _ : state) {
    BpeTrainerOptions options;
    options.vocab_size = static_cast<size_t>(state.range(0));
    options.threads = 1;
    BpeTrainer trainer(options);
    trainer.CountSequences(views);
    benchmark::DoNotOptimize(trainer.Train());
  }
  state.SetBytesProcessed(state.iterations() * CorpusBytes());
}
BENCHMARK(BM_TrainInMemory)->Arg(2000)->Arg(8000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tokforge
