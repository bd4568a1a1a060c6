#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "absl/strings/str_format.h"
#include "args.h"
#include "commands.h"
#include "corpus_args.h"
#include "interrupt.h"
#include "absl/strings/str_join.h"
#include "tokforge/hf_folder.h"
#include "tokforge/trainer.h"

namespace tokforge::cli {
namespace {

constexpr char kTrainUsage[] =
    "usage: tokforge train [OPTIONS] PATH...\n"
    "       tokforge train [OPTIONS] --from-counts SHARD...\n"
    "\n"
    "Learns a byte-level BPE tokenizer from files and directories (searched\n"
    "recursively) of UTF-8 text or JSON Lines, optionally .gz or .zst\n"
    "compressed, or from count shards written by tokforge count, and writes it\n"
    "as a Hugging Face tokenizer.json. Every line of a text file and every JSON\n"
    "Lines record is one sequence. '-' reads standard input.\n"
    "\n"
    "options:\n"
    "  --output FILE            tokenizer.json to write (default: tokenizer.json)\n"
    "  --output-dir DIR         instead write a folder that transformers'\n"
    "                           AutoTokenizer loads: tokenizer.json,\n"
    "                           tokenizer_config.json, special_tokens_map.json and\n"
    "                           a README.md model card\n"
    "  --from-counts SHARD      add the piece counts of a count shard (repeatable;\n"
    "                           with it, every positional argument is a shard too)\n"
    "  --vocab-size N           vocabulary size, counting special tokens and the\n"
    "                           byte alphabet (default: 32000)\n"
    "  --min-frequency N        never merge a pair seen fewer than N times (default: 0)\n"
    "  --special-tokens A,B     special tokens, given ids 0, 1, ... in this order\n"
    "  --max-token-length N     maximum token length in bytes (default: no limit)\n"
    "  --threads N              threads for counting and merging (default 0: all cores)\n"
    "  --hf-compatible          reproduce Hugging Face's BpeTrainer exactly: the\n"
    "                           alphabet is only the bytes seen in the corpus\n"
    "  --progress / --quiet     force progress on stderr on or off (default: on\n"
    "                           when stderr is a terminal)\n"
    "\n";

// Prints the duplicate, sampling and pruning lines of the summary.
void PrintCountingNotes(const CountStats& stats, bool dedup) {
  const std::string duplicates = DescribeDuplicates(stats, dedup);
  if (!duplicates.empty()) std::cout << "duplicates:      " << duplicates << "\n";
  if (stats.sampled_out_sequences > 0) {
    std::cout << absl::StrFormat("sampling:        %d sequences left out\n",
                                 stats.sampled_out_sequences);
  }
  if (stats.pruned_pieces > 0) {
    std::cout << absl::StrFormat("pruning:         %d rare distinct pieces dropped\n",
                                 stats.pruned_pieces);
  }
}

}  // namespace

int RunTrain(int argc, char** argv) {
  std::set<std::string> value_options = {"output", "output-dir", "vocab-size", "min-frequency",
      "special-tokens", "max-token-length", "threads", "from-counts"};
  value_options.insert(kCorpusValueOptions.begin(), kCorpusValueOptions.end());
  std::set<std::string> bool_options = {"hf-compatible", "progress", "quiet", "help"};
  bool_options.insert(kCorpusBoolOptions.begin(), kCorpusBoolOptions.end());
  absl::StatusOr<Args> parsed = Args::Parse(argc, argv, value_options, bool_options);
  if (!parsed.ok()) return ReportError(parsed.status());
  const Args& args = *parsed;
  if (args.Has("help")) {
    std::cout << kTrainUsage << kCorpusOptionsHelp;
    return 0;
  }

  // With --from-counts, positional arguments are more shards, so that a
  // shell glob such as --from-counts shards/*.counts works.
  std::vector<std::string> shards;
  std::vector<std::string> inputs = args.positional();
  if (args.Has("from-counts")) {
    shards = args.GetList("from-counts");
    shards.insert(shards.end(), inputs.begin(), inputs.end());
    inputs.clear();
  }
  if (inputs.empty() && shards.empty() && !args.Has("files-from")) {
    return ReportError("no input given; name the files or directories to train on, for "
                       "example: tokforge train --include '*.py' /usr/lib/python3.11");
  }

  BpeTrainerOptions options;
  auto vocab_size = args.GetInt("vocab-size", 32000, 1, 1 << 30);
  auto min_frequency = args.GetInt("min-frequency", 0, 0, INT64_MAX);
  auto max_token_length = args.GetInt("max-token-length", 0, 0, 1 << 20);
  auto threads = args.GetInt("threads", 0, 0, 1024);
  for (const auto* value : {&vocab_size, &min_frequency, &max_token_length, &threads}) {
    if (!value->ok()) return ReportError(value->status());
  }
  options.vocab_size = static_cast<size_t>(*vocab_size);
  options.min_frequency = *min_frequency;
  options.max_token_length = static_cast<size_t>(*max_token_length);
  options.threads = static_cast<int>(*threads);
  options.hf_compatible = args.Has("hf-compatible");
  options.special_tokens = args.GetList("special-tokens");

  CorpusOptions corpus;
  CountingOptions counting;
  if (absl::Status status = ParseCorpusArgs(args, &corpus, &counting); !status.ok()) {
    return ReportError(status);
  }
  corpus.paths = inputs;

  if (args.Has("output") && args.Has("output-dir")) {
    return ReportError("give either --output FILE or --output-dir DIR, not both");
  }
  const std::string folder = args.Get("output-dir");
  const std::string output =
      folder.empty() ? args.Get("output", "tokenizer.json")
                     : (std::filesystem::path(folder) / "tokenizer.json").string();
  const std::filesystem::path output_dir =
      folder.empty() ? std::filesystem::path(output).parent_path() : std::filesystem::path();
  // Check now that the output can be written, so that a long run does not
  // fail at the end, but create missing directories only when saving: a run
  // that fails leaves nothing behind.
  if (!output_dir.empty()) {
    std::filesystem::path existing = std::filesystem::absolute(output_dir);
    std::error_code error;
    while (!std::filesystem::exists(existing, error) && existing.has_parent_path() &&
           existing != existing.parent_path()) {
      existing = existing.parent_path();
    }
    if (!std::filesystem::is_directory(existing, error) ||
        access(existing.c_str(), W_OK | X_OK) != 0) {
      return ReportError("cannot create the output directory " + output_dir.string() + ": " +
                         existing.string() + " is not a writable directory");
    }
  }

  // Before the trainer starts its threads, so that they inherit the handlers.
  InstallInterruptHandlers(output);
  const bool show_progress = !args.Has("quiet") && (args.Has("progress") || isatty(STDERR_FILENO));
  BpeTrainer trainer(options);
  const auto start = std::chrono::steady_clock::now();
  if (show_progress) {
    trainer.set_progress_callback([start](const TrainingProgress& progress) {
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (progress.stage == TrainingProgress::Stage::kCounting) {
        std::fprintf(stderr, "\rcounting: %s read, %.1f MB/s, %.1f%% duplicate documents   ",
                     HumanBytes(progress.done).c_str(),
                     progress.done / 1e6 / std::max(seconds, 1e-9),
                     progress.documents == 0
                         ? 0.0
                         : 100.0 * progress.duplicate_documents / progress.documents);
      } else {
        std::fprintf(stderr, "\rmerging: %llu / %llu tokens   ",
                     static_cast<unsigned long long>(progress.done),
                     static_cast<unsigned long long>(progress.total));
      }
    });
  }
  for (const std::string& shard : shards) {
    absl::StatusOr<PieceCounts> counts = PieceCounts::ReadFile(shard);
    if (!counts.ok()) return ReportError(counts.status());
    if (absl::Status status = trainer.AddCounts(*counts, "count shard " + shard); !status.ok()) {
      return ReportError(status);
    }
  }
  if (!corpus.paths.empty() || !corpus.path_list_files.empty()) {
    if (absl::Status status = trainer.CountCorpus(corpus, counting); !status.ok()) {
      if (show_progress) std::fputc('\n', stderr);
      return ReportError(status);
    }
  }
  absl::StatusOr<Tokenizer> tokenizer = trainer.Train();
  if (show_progress) std::fputc('\n', stderr);
  if (!tokenizer.ok()) return ReportError(tokenizer.status());
  const TrainingStats& stats = trainer.stats();
  if (!output_dir.empty()) {
    std::error_code error;
    std::filesystem::create_directories(output_dir, error);
    if (error) {
      return ReportError("cannot create the output directory " + output_dir.string() + ": " +
                         error.message());
    }
  }
  if (folder.empty()) {
    absl::Status saved;
    {
      ScopedOutputCommit commit;
      saved = tokenizer->Save(output);
      commit.set_output_written(saved.ok());
    }
    if (!saved.ok()) return ReportError(saved);
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
      "corpus:          %s in %s, %s%s\n"
      "pieces:          %d counted, %d distinct\n",
      HumanBytes(stats.corpus_bytes), CountOf(stats.files, "file", "files"),
      CountOf(stats.sequences, "sequence", "sequences"),
      shards.empty() ? "" : absl::StrFormat(" (%d count shards)", shards.size()), stats.pieces,
      stats.distinct_pieces);
  PrintCountingNotes(trainer.counts().stats(), counting.dedup);
  std::cout << absl::StrFormat(
      "vocab size:      %d (%d merges)\n"
      "time:            %.2f s (counting %.2f s, merging %.2f s)\n"
      "tokenizer.json:  %s\n",
      stats.vocab_size, stats.merges, seconds, stats.counting_seconds, stats.merging_seconds,
      std::filesystem::absolute(output).string());
  if (stats.vocab_size < options.vocab_size) {
    std::cout << absl::StrFormat(
        "note:            stopped at %d of the %d tokens asked for: no pair was left to "
        "merge%s; train on more text for a larger vocabulary\n",
        stats.vocab_size, options.vocab_size,
        options.min_frequency > 0 ? " at least --min-frequency times" : "");
  }
  std::cout.flush();
  if (!std::cout) return ReportError("failed to write the summary to standard output");
  return 0;
}

}  // namespace tokforge::cli
