// Encoding throughput of a byte-level BPE tokenizer (tests/golden/hf_train_small.json)
// on the golden corpus, single thread.

#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tokforge/tokenizer.h"

namespace tokforge {
namespace {

std::string SourcePath(const char* relative) {
  return (std::filesystem::path(TOKFORGE_SOURCE_DIR) / relative).string();
}

void BM_EncodeGoldenCorpus(benchmark::State& state) {
  absl::StatusOr<Tokenizer> tokenizer = Tokenizer::FromFile(SourcePath("tests/golden/hf_train_small.json"));
  if (!tokenizer.ok()) {
    state.SkipWithError(std::string(tokenizer.status().message()).c_str());
    return;
  }
  std::vector<std::string> lines;
  int64_t bytes = 0;
  for (const char* name : {"data/golden_corpus/py_textwrap.txt", "data/golden_corpus/py_shlex.txt",
                           "data/golden_corpus/fr_gautier_morte_amoureuse.txt",
                           "data/golden_corpus/ko_chatbot_data.txt"}) {
    std::ifstream in(SourcePath(name), std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
      bytes += static_cast<int64_t>(line.size());
      lines.push_back(line);
    }
  }
  for (auto _ : state) {
    size_t tokens = 0;
    for (const std::string& line : lines) tokens += tokenizer->EncodeIds(line, false).size();
    benchmark::DoNotOptimize(tokens);
  }
  state.SetBytesProcessed(state.iterations() * bytes);
}
BENCHMARK(BM_EncodeGoldenCorpus)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tokforge
