#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "absl/strings/str_format.h"
#include "args.h"
#include "commands.h"
#include "absl/strings/str_join.h"
#include "tokforge/hf_folder.h"
#include "tokforge/trainer.h"

namespace tokforge::cli {
namespace {

constexpr char kTrainUsage[] =
    "usage: tokforge train [OPTIONS] PATH...\n"
    "\n"
    "Learns a byte-level BPE tokenizer from files and directories (searched\n"
    "recursively) of UTF-8 text or JSON Lines, optionally .gz or .zst\n"
    "compressed, and writes it as a Hugging Face tokenizer.json. Every line of\n"
    "a text file and every JSON Lines record is one sequence.\n"
    "\n"
    "options:\n"
    "  --output FILE            tokenizer.json to write (default: tokenizer.json)\n"
    "  --output-dir DIR         instead write a folder that transformers'\n"
    "                           AutoTokenizer loads: tokenizer.json,\n"
    "                           tokenizer_config.json, special_tokens_map.json and\n"
    "                           a README.md model card\n"
    "  --vocab-size N           vocabulary size, counting special tokens and the\n"
    "                           byte alphabet (default: 32000)\n"
    "  --min-frequency N        never merge a pair seen fewer than N times (default: 0)\n"
    "  --special-tokens A,B     special tokens, given ids 0, 1, ... in this order\n"
    "  --max-token-length N     maximum token length in bytes (default: no limit)\n"
    "  --threads N              threads for counting and merging (default: all cores)\n"
    "  --hf-compatible          reproduce Hugging Face's BpeTrainer exactly: the\n"
    "                           alphabet is only the bytes seen in the corpus\n"
    "  --include GLOB           only read files in directories whose name matches,\n"
    "                           such as '*.py' (repeatable)\n"
    "  --exclude GLOB           skip files whose name matches (repeatable)\n"
    "  --format auto|text|jsonl input format (default: auto, from the file name)\n"
    "  --text-field NAME        JSON Lines field holding the text (default: text)\n"
    "  --max-bytes N            stop reading after N bytes of text\n"
    "  --progress / --quiet     force progress on stderr on or off (default: on\n"
    "                           when stderr is a terminal)\n";

std::string HumanBytes(uint64_t bytes) {
  if (bytes >= (1ull << 30)) return absl::StrFormat("%.2f GB", bytes / double(1ull << 30));
  if (bytes >= (1ull << 20)) return absl::StrFormat("%.1f MB", bytes / double(1ull << 20));
  if (bytes >= (1ull << 10)) return absl::StrFormat("%.1f KB", bytes / double(1ull << 10));
  return absl::StrFormat("%d bytes", bytes);
}

}  // namespace

int RunTrain(int argc, char** argv) {
  absl::StatusOr<Args> parsed = Args::Parse(
      argc, argv,
      {"output", "output-dir", "vocab-size", "min-frequency", "special-tokens", "max-token-length", "threads",
       "include", "exclude", "format", "text-field", "max-bytes"},
      {"hf-compatible", "progress", "quiet", "help"});
  if (!parsed.ok()) return ReportError(parsed.status());
  const Args& args = *parsed;
  if (args.Has("help")) {
    std::cout << kTrainUsage;
    return 0;
  }
  if (args.positional().empty()) {
    return ReportError("no input given; name the files or directories to train on, for "
                       "example: tokforge train --include '*.py' /usr/lib/python3.11");
  }

  BpeTrainerOptions options;
  auto vocab_size = args.GetInt("vocab-size", 32000, 1, 1 << 30);
  auto min_frequency = args.GetInt("min-frequency", 0, 0, INT64_MAX);
  auto max_token_length = args.GetInt("max-token-length", 0, 0, 1 << 20);
  auto threads = args.GetInt("threads", 0, 1, 1024);
  auto max_bytes = args.GetInt("max-bytes", 0, 0, INT64_MAX);
  for (const auto* value : {&vocab_size, &min_frequency, &max_token_length, &threads, &max_bytes}) {
    if (!value->ok()) return ReportError(value->status());
  }
  if (args.Has("threads") && *threads == 0) return ReportError("--threads must be at least 1");
  options.vocab_size = static_cast<size_t>(*vocab_size);
  options.min_frequency = *min_frequency;
  options.max_token_length = static_cast<size_t>(*max_token_length);
  options.threads = static_cast<int>(*threads);
  options.hf_compatible = args.Has("hf-compatible");
  options.special_tokens = args.GetList("special-tokens");

  CorpusOptions corpus;
  corpus.paths = args.positional();
  corpus.include_globs = args.GetList("include");
  corpus.exclude_globs = args.GetList("exclude");
  corpus.text_field = args.Get("text-field");
  corpus.max_bytes = static_cast<uint64_t>(*max_bytes);
  const std::string format = args.Get("format", "auto");
  if (format == "text") {
    corpus.format = CorpusFormat::kText;
  } else if (format == "jsonl") {
    corpus.format = CorpusFormat::kJsonl;
  } else if (format != "auto") {
    return ReportError("--format must be auto, text or jsonl, got \"" + format + "\"");
  }

  if (args.Has("output") && args.Has("output-dir")) {
    return ReportError("give either --output FILE or --output-dir DIR, not both");
  }
  const std::string folder = args.Get("output-dir");
  const std::string output =
      folder.empty() ? args.Get("output", "tokenizer.json")
                     : (std::filesystem::path(folder) / "tokenizer.json").string();
  const std::filesystem::path output_dir =
      folder.empty() ? std::filesystem::path(output).parent_path() : std::filesystem::path();
  if (!output_dir.empty()) {
    std::error_code error;
    std::filesystem::create_directories(output_dir, error);
    if (error) {
      return ReportError("cannot create the output directory " + output_dir.string() + ": " +
                         error.message());
    }
  }

  const bool show_progress = !args.Has("quiet") && (args.Has("progress") || isatty(STDERR_FILENO));
  BpeTrainer trainer(options);
  const auto start = std::chrono::steady_clock::now();
  if (show_progress) {
    trainer.set_progress_callback([start](const TrainingProgress& progress) {
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (progress.stage == TrainingProgress::Stage::kCounting) {
        std::fprintf(stderr, "\rcounting: %s read, %.1f MB/s   ", HumanBytes(progress.done).c_str(),
                     progress.done / 1e6 / std::max(seconds, 1e-9));
      } else {
        std::fprintf(stderr, "\rmerging: %llu / %llu tokens   ",
                     static_cast<unsigned long long>(progress.done),
                     static_cast<unsigned long long>(progress.total));
      }
    });
  }
  if (absl::Status status = trainer.CountCorpus(corpus); !status.ok()) {
    if (show_progress) std::fputc('\n', stderr);
    return ReportError(status);
  }
  absl::StatusOr<Tokenizer> tokenizer = trainer.Train();
  if (show_progress) std::fputc('\n', stderr);
  if (!tokenizer.ok()) return ReportError(tokenizer.status());
  const TrainingStats& stats = trainer.stats();
  if (folder.empty()) {
    if (absl::Status status = tokenizer->Save(output); !status.ok()) return ReportError(status);
  } else {
    HfCardInfo card;
    card.corpora.push_back({.name = absl::StrJoin(args.positional(), ", "),
                            .files = stats.files,
                            .bytes = stats.corpus_bytes,
                            .sequences = stats.sequences});
    card.options = options;
    card.stats = stats;
    std::vector<std::string> command_line = {"tokforge", "train"};
    for (int i = 0; i < argc; ++i) command_line.emplace_back(argv[i]);
    card.method = absl::StrJoin(command_line, " ");
    if (absl::Status status = WriteHfFolder(*tokenizer, folder, card); !status.ok()) {
      return ReportError(status);
    }
  }

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << absl::StrFormat(
      "corpus:          %s in %d files, %d sequences\n"
      "pieces:          %d counted, %d distinct\n"
      "vocab size:      %d (%d merges)\n"
      "time:            %.2f s (counting %.2f s, merging %.2f s)\n"
      "tokenizer.json:  %s\n",
      HumanBytes(stats.corpus_bytes), stats.files, stats.sequences, stats.pieces,
      stats.distinct_pieces, stats.vocab_size, stats.merges, seconds, stats.counting_seconds,
      stats.merging_seconds, std::filesystem::absolute(output).string());
  return 0;
}

}  // namespace tokforge::cli
