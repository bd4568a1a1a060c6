#include <time.h>

#include <chrono>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "args.h"
#include "commands.h"
#include "tokforge/corpus.h"
#include "tokforge/tokenizer.h"

namespace tokforge::cli {
namespace {

constexpr char kBenchUsage[] =
    "usage: tokforge bench encode --tokenizer FILE [OPTIONS] PATH...\n"
    "\n"
    "Loads every line of the inputs into memory, then encodes them all and\n"
    "prints one JSON line with bytes, tokens, seconds and MB/s of the encoding\n"
    "alone (loading the tokenizer and reading the files are not timed), and\n"
    "the CPU seconds of the process in that time, which other load on the\n"
    "machine disturbs less than the wall time.\n"
    "\n"
    "options:\n"
    "  --tokenizer FILE   tokenizer to benchmark (required)\n"
    "  --threads N        encoding threads, 0 for all cores (default: 1)\n"
    "  --include GLOB     in directories, read only the files whose name matches\n"
    "                     (repeatable)\n"
    "  --repeat N         encode the input N times and report the fastest (default: 3)\n";

double ProcessCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

}  // namespace

int RunBench(int argc, char** argv) {
  if (argc < 1 || std::string(argv[0]) != "encode") {
    std::cerr << kBenchUsage;
    return 2;
  }
  absl::StatusOr<Args> parsed = Args::Parse(argc - 1, argv + 1,
                                            {"tokenizer", "threads", "include", "repeat"}, {"help"});
  if (!parsed.ok()) return ReportError(parsed.status());
  const Args& args = *parsed;
  if (args.Has("help")) {
    std::cout << kBenchUsage;
    return 0;
  }
  absl::StatusOr<int64_t> threads = args.GetInt("threads", 1, 0, 1024);
  if (!threads.ok()) return ReportError(threads.status());
  absl::StatusOr<int64_t> repeat = args.GetInt("repeat", 3, 1, 1000);
  if (!repeat.ok()) return ReportError(repeat.status());
  if (!args.Has("tokenizer")) return ReportError("--tokenizer FILE is required");
  if (args.positional().empty()) return ReportError("name the input files or directories");
  absl::StatusOr<Tokenizer> tokenizer = Tokenizer::FromFile(args.Get("tokenizer"));
  if (!tokenizer.ok()) return ReportError(tokenizer.status());

  CorpusOptions corpus;
  corpus.paths = args.positional();
  corpus.include_globs = args.GetList("include");
  corpus.format = CorpusFormat::kText;
  corpus.allow_nul_bytes = true;  // encoding accepts NUL bytes; only training rejects them
  absl::StatusOr<std::unique_ptr<CorpusReader>> reader = CorpusReader::Open(corpus);
  if (!reader.ok()) return ReportError(reader.status());
  std::vector<std::string> lines;
  uint64_t bytes = 0;
  CorpusBlock block;
  while (true) {
    absl::StatusOr<bool> more = (*reader)->Next(&block);
    if (!more.ok()) return ReportError(more.status());
    if (!*more) break;
    absl::Status status = ForEachSequence(block, "", [&](std::string_view line) {
      if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
      bytes += line.size();
      lines.emplace_back(line);
    });
    if (!status.ok()) return ReportError(status);
  }
  if (bytes == 0) {
    return ReportError(absl::StrCat("no text to encode in ", absl::StrJoin(corpus.paths, ", "),
                                    "; give files that contain text"));
  }
  const std::vector<std::string_view> views(lines.begin(), lines.end());

  double best_seconds = 0;
  double best_cpu_seconds = 0;
  uint64_t tokens = 0;
  for (int64_t run = 0; run < *repeat; ++run) {
    const double cpu_start = ProcessCpuSeconds();
    const auto start = std::chrono::steady_clock::now();
    const IdBatch batch = tokenizer->EncodeBatchIdsFlat(views, /*add_special_tokens=*/false,
                                                        static_cast<int>(*threads));
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double cpu_seconds = ProcessCpuSeconds() - cpu_start;
    tokens = batch.ids.size();
    if (run == 0 || seconds < best_seconds) best_seconds = seconds;
    if (run == 0 || cpu_seconds < best_cpu_seconds) best_cpu_seconds = cpu_seconds;
  }
  std::cout << absl::StrFormat(
      "{\"tokenizer\": \"%s\", \"threads\": %d, \"lines\": %d, \"bytes\": %d, \"tokens\": %d, "
      "\"seconds\": %.4f, \"mb_per_second\": %.2f, \"cpu_seconds\": %.4f}\n",
      args.Get("tokenizer"), *threads, lines.size(), bytes, tokens, best_seconds,
      bytes / 1e6 / best_seconds, best_cpu_seconds);
  return 0;
}

}  // namespace tokforge::cli
