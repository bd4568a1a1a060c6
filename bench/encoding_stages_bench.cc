// Encoding throughput per stage on a real corpus, single thread unless the
// name says otherwise: normalization, pre-tokenization, the BPE model on
// pre-split pieces, and whole pipelines through EncodeBatchIds.
//
// The corpus is every *.py file of the Python standard library that Debian's
// /usr/bin/python3 reports (the test directories excluded), read line by
// line up to TOKFORGE_BENCH_MAX_MB megabytes (default 8). Set
// TOKFORGE_BENCH_CORPUS to a file to use that instead. Tokenizers come from
// data/tokenizers/; set TOKFORGE_TOKENIZERS_DIR to a directory with
// llama3/tokenizer.json and tiktoken/{cl100k,o200k}_base.tiktoken to add them.
//
//   build/bench/tokforge_bench --benchmark_filter='Stage|Pipeline'

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "components.h"
#include "models/bpe/bpe_model.h"
#include "pretokenizers/cl100k_split.h"
#include "pretokenizers/gpt2_split.h"
#include "pretokenizers/o200k_split.h"
#include "serialization/serde_float.h"
#include "tokforge/tokenizer.h"

namespace tokforge {
namespace {

namespace fs = std::filesystem;
using internal::Json;
using internal::JsonLocation;

std::string SourcePath(const std::string& relative) {
  return (fs::path(TOKFORGE_SOURCE_DIR) / relative).string();
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The directory of the standard library, as /usr/bin/python3 reports it.
std::string StdlibDirectory() {
  FILE* pipe = popen(
      "/usr/bin/python3 -c 'import sysconfig; print(sysconfig.get_paths()[\"stdlib\"])'", "r");
  if (pipe == nullptr) return "";
  char buffer[4096] = {};
  const size_t length = fread(buffer, 1, sizeof(buffer) - 1, pipe);
  pclose(pipe);
  std::string path(buffer, length);
  while (!path.empty() && (path.back() == '\n' || path.back() == '\r')) path.pop_back();
  return path;
}

struct Corpus {
  std::vector<std::string> lines;  // without their "\n"
  std::vector<std::string_view> views;
  int64_t bytes = 0;
};

const Corpus& BenchCorpus() {
  static const Corpus* const corpus = [] {
    auto* result = new Corpus();
    const char* max_mb = std::getenv("TOKFORGE_BENCH_MAX_MB");
    const int64_t max_bytes = (max_mb != nullptr ? std::atoll(max_mb) : 8) * 1000 * 1000;
    std::vector<fs::path> files;
    if (const char* file = std::getenv("TOKFORGE_BENCH_CORPUS")) {
      files.emplace_back(file);
    } else if (const std::string stdlib = StdlibDirectory(); !stdlib.empty()) {
      for (const auto& entry : fs::recursive_directory_iterator(
               stdlib, fs::directory_options::skip_permission_denied)) {
        const std::string path = entry.path().string();
        if (entry.path().extension() == ".py" && path.find("/test") == std::string::npos) {
          files.push_back(entry.path());
        }
      }
      std::sort(files.begin(), files.end());
    }
    for (const fs::path& file : files) {
      const std::string text = ReadFile(file);
      for (size_t start = 0; start < text.size() && result->bytes < max_bytes;) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        result->lines.push_back(text.substr(start, end - start));
        result->bytes += static_cast<int64_t>(end - start);
        start = end + 1;
      }
      if (result->bytes >= max_bytes) break;
    }
    result->views.assign(result->lines.begin(), result->lines.end());
    return result;
  }();
  return *corpus;
}

Json LoadJson(const std::string& path) {
  return internal::ParseJsonWithSerdeFloats(ReadFile(path));
}

bool CheckCorpus(benchmark::State& state) {
  if (BenchCorpus().lines.empty()) {
    state.SkipWithError("no corpus: set TOKFORGE_BENCH_CORPUS to a text file");
    return false;
  }
  return true;
}

// --- Normalization --------------------------------------------------------

void BM_StageNormalizeT5(benchmark::State& state) {
  if (!CheckCorpus(state)) return;
  const Json document = LoadJson(SourcePath("data/tokenizers/t5/tokenizer.json"));
  auto normalizer = internal::CreateNormalizer(document["normalizer"], {"t5", "normalizer"});
  if (!normalizer.ok()) {
    state.SkipWithError(std::string(normalizer.status().message()).c_str());
    return;
  }
  for (auto _ : state) {
    size_t bytes = 0;
    for (const std::string& line : BenchCorpus().lines) {
      internal::NormalizedString text(line);
      (*normalizer)->Normalize(&text);
      bytes += text.size();
    }
    benchmark::DoNotOptimize(bytes);
  }
  state.SetBytesProcessed(state.iterations() * BenchCorpus().bytes);
}
BENCHMARK(BM_StageNormalizeT5)->Unit(benchmark::kMillisecond);

// --- Pre-tokenization -----------------------------------------------------

template <typename Split>
void RunScanner(benchmark::State& state, Split split) {
  if (!CheckCorpus(state)) return;
  for (auto _ : state) {
    size_t pieces = 0;
    for (const std::string& line : BenchCorpus().lines) {
      split(line, [&](size_t, size_t) { ++pieces; });
    }
    benchmark::DoNotOptimize(pieces);
  }
  state.SetBytesProcessed(state.iterations() * BenchCorpus().bytes);
}

void BM_StagePreTokenizeGpt2Scanner(benchmark::State& state) {
  RunScanner(state, [](std::string_view text, auto&& emit) { SplitGpt2(text, emit); });
}
BENCHMARK(BM_StagePreTokenizeGpt2Scanner)->Unit(benchmark::kMillisecond);

void BM_StagePreTokenizeCl100kScanner(benchmark::State& state) {
  RunScanner(state, [](std::string_view text, auto&& emit) { SplitCl100k(text, emit); });
}
BENCHMARK(BM_StagePreTokenizeCl100kScanner)->Unit(benchmark::kMillisecond);

void BM_StagePreTokenizeO200kScanner(benchmark::State& state) {
  RunScanner(state, [](std::string_view text, auto&& emit) { SplitO200k(text, emit); });
}
BENCHMARK(BM_StagePreTokenizeO200kScanner)->Unit(benchmark::kMillisecond);

// T5's WhitespaceSplit then Metaspace, on NormalizedStrings as the pipeline runs them.
void BM_StagePreTokenizeT5(benchmark::State& state) {
  if (!CheckCorpus(state)) return;
  const Json document = LoadJson(SourcePath("data/tokenizers/t5/tokenizer.json"));
  auto pre_tokenizer =
      internal::CreatePreTokenizer(document["pre_tokenizer"], {"t5", "pre_tokenizer"});
  if (!pre_tokenizer.ok()) {
    state.SkipWithError(std::string(pre_tokenizer.status().message()).c_str());
    return;
  }
  std::vector<internal::NormalizedString> pieces;
  for (auto _ : state) {
    size_t count = 0;
    for (const std::string& line : BenchCorpus().lines) {
      pieces.clear();
      (*pre_tokenizer)->PreTokenize(internal::NormalizedString(line), &pieces);
      count += pieces.size();
    }
    benchmark::DoNotOptimize(count);
  }
  state.SetBytesProcessed(state.iterations() * BenchCorpus().bytes);
}
BENCHMARK(BM_StagePreTokenizeT5)->Unit(benchmark::kMillisecond);

// --- BPE model on pre-split pieces ------------------------------------------

// GPT-2's model on the raw bytes of GPT-2 pieces: the whole-token lookup, the
// per-thread piece cache and the merge loop, without the scanner.
void BM_StageBpeModelGpt2(benchmark::State& state) {
  if (!CheckCorpus(state)) return;
  const Json document = LoadJson(SourcePath("data/tokenizers/gpt2/tokenizer.json"));
  auto model = CreateBpeModel(document["model"], {"gpt2", "model"});
  if (!model.ok()) {
    state.SkipWithError(std::string(model.status().message()).c_str());
    return;
  }
  const auto* bpe = dynamic_cast<const BpeModel*>(model->get());
  std::vector<std::string_view> pieces;
  for (const std::string& line : BenchCorpus().lines) {
    const std::string_view text = line;
    SplitGpt2(text, [&](size_t begin, size_t end) { pieces.push_back(text.substr(begin, end - begin)); });
  }
  std::vector<uint32_t> ids;
  for (auto _ : state) {
    ids.clear();
    for (const std::string_view piece : pieces) bpe->EncodeBytes(piece, &ids);
    benchmark::DoNotOptimize(ids.data());
  }
  state.SetBytesProcessed(state.iterations() * BenchCorpus().bytes);
  state.counters["pieces"] = static_cast<double>(pieces.size());
}
BENCHMARK(BM_StageBpeModelGpt2)->Unit(benchmark::kMillisecond);

// --- Whole pipelines ------------------------------------------------------

// Encodes the corpus with EncodeBatchIdsFlat on state.range(0) threads.
void RunPipeline(benchmark::State& state, const std::string& path) {
  if (!CheckCorpus(state)) return;
  if (!fs::exists(path)) {
    state.SkipWithError(("not found: " + path).c_str());
    return;
  }
  absl::StatusOr<Tokenizer> tokenizer = Tokenizer::FromFile(path);
  if (!tokenizer.ok()) {
    state.SkipWithError(std::string(tokenizer.status().message()).c_str());
    return;
  }
  const auto threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    const IdBatch batch = tokenizer->EncodeBatchIdsFlat(BenchCorpus().views, false, threads);
    benchmark::DoNotOptimize(batch.ids.data());
  }
  state.SetBytesProcessed(state.iterations() * BenchCorpus().bytes);
}

std::string ExternalTokenizer(const char* relative) {
  const char* dir = std::getenv("TOKFORGE_TOKENIZERS_DIR");
  return dir == nullptr ? std::string("TOKFORGE_TOKENIZERS_DIR/") + relative
                        : (fs::path(dir) / relative).string();
}

void BM_PipelineGpt2(benchmark::State& state) {
  RunPipeline(state, SourcePath("data/tokenizers/gpt2/tokenizer.json"));
}
void BM_PipelineMistral(benchmark::State& state) {
  RunPipeline(state, SourcePath("data/tokenizers/mistral/tokenizer.json"));
}
void BM_PipelineT5(benchmark::State& state) {
  RunPipeline(state, SourcePath("data/tokenizers/t5/tokenizer.json"));
}
void BM_PipelineBert(benchmark::State& state) {
  RunPipeline(state, SourcePath("data/tokenizers/bert-base-uncased/tokenizer.json"));
}
void BM_PipelineLlama3(benchmark::State& state) {
  RunPipeline(state, ExternalTokenizer("llama3/tokenizer.json"));
}
void BM_PipelineO200k(benchmark::State& state) {
  RunPipeline(state, ExternalTokenizer("tiktoken/o200k_base.tiktoken"));
}
BENCHMARK(BM_PipelineGpt2)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_PipelineMistral)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_PipelineT5)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_PipelineBert)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_PipelineLlama3)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_PipelineO200k)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace tokforge
