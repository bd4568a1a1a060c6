#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "absl/strings/str_format.h"
#include "args.h"
#include "commands.h"
#include "corpus_args.h"
#include "tokforge/counts.h"

namespace tokforge::cli {
namespace {

constexpr char kCountUsage[] =
    "usage: tokforge count [OPTIONS] --output SHARD PATH...\n"
    "\n"
    "Counts the pre-tokenized pieces of files and directories of UTF-8 text or\n"
    "JSON Lines, as tokforge train does, and writes them to a count shard file.\n"
    "Count parts of a corpus separately, on one machine or many, then train on\n"
    "all of them with 'tokforge train --from-counts SHARD...'; the result is the\n"
    "same tokenizer as training on all inputs at once, unless --max-pieces,\n"
    "--dedup or --max-bytes act on each part differently than on the whole.\n"
    "\n"
    "options:\n"
    "  --output SHARD           count shard to write (required)\n"
    "  --hf-compatible          count a byte order mark at the start of a file as\n"
    "                           text, as tokforge train --hf-compatible does; train\n"
    "                           only with the same setting\n"
    "  --threads N              counting threads (default 0: all cores)\n"
    "  --progress / --quiet     force progress on stderr on or off (default: on\n"
    "                           when stderr is a terminal)\n"
    "\n";

}  // namespace

int RunCount(int argc, char** argv) {
  std::set<std::string> value_options = {"output", "threads"};
  value_options.insert(kCorpusValueOptions.begin(), kCorpusValueOptions.end());
  std::set<std::string> bool_options = {"hf-compatible", "progress", "quiet", "help"};
  bool_options.insert(kCorpusBoolOptions.begin(), kCorpusBoolOptions.end());
  absl::StatusOr<Args> parsed = Args::Parse(argc, argv, value_options, bool_options);
  if (!parsed.ok()) return ReportError(parsed.status());
  const Args& args = *parsed;
  if (args.Has("help")) {
    std::cout << kCountUsage << kCorpusOptionsHelp;
    return 0;
  }
  if (!args.Has("output")) {
    return ReportError("--output is missing; name the count shard to write, for example "
                       "--output part-0001.counts");
  }
  if (args.positional().empty() && !args.Has("files-from")) {
    return ReportError("no input given; name the files or directories to count, for example: "
                       "tokforge count --output part.counts data/part-0001.jsonl.gz");
  }
  CorpusOptions corpus;
  CountingOptions counting;
  if (absl::Status status = ParseCorpusArgs(args, &corpus, &counting); !status.ok()) {
    return ReportError(status);
  }
  auto threads = args.GetInt("threads", 0, 0, 1024);
  if (!threads.ok()) return ReportError(threads.status());
  counting.threads = static_cast<int>(*threads);

  const std::string output = args.Get("output");
  const std::filesystem::path output_dir = std::filesystem::path(output).parent_path();
  if (!output_dir.empty()) {
    std::error_code error;
    std::filesystem::create_directories(output_dir, error);
    if (error) {
      return ReportError("cannot create the output directory " + output_dir.string() + ": " +
                         error.message());
    }
  }

  CountSettings settings;
  settings.keep_byte_order_mark = args.Has("hf-compatible");
  PieceCounts counts(settings);
  const bool show_progress = !args.Has("quiet") && (args.Has("progress") || isatty(STDERR_FILENO));
  const auto start = std::chrono::steady_clock::now();
  auto seconds_since_start = [start] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  std::function<void(const CountingProgress&)> progress;
  if (show_progress) {
    progress = [&](const CountingProgress& state) {
      std::fprintf(stderr, "\rcounting: %s read, %.1f MB/s, %.1f%% duplicate documents   ",
                   HumanBytes(state.bytes_read).c_str(),
                   state.bytes_read / 1e6 / std::max(seconds_since_start(), 1e-9),
                   state.documents == 0 ? 0.0
                                        : 100.0 * state.duplicate_documents / state.documents);
    };
  }
  absl::Status status = CountCorpus(corpus, counting, &counts, progress);
  if (show_progress) std::fputc('\n', stderr);
  if (!status.ok()) return ReportError(status);
  if (counts.distinct_pieces() == 0) {
    return ReportError("the corpus contains no text to count; check the input paths, --include "
                       "globs and --text-field");
  }
  if (absl::Status written = counts.WriteFile(output); !written.ok()) return ReportError(written);

  const CountStats& stats = counts.stats();
  std::cout << absl::StrFormat(
      "corpus:          %s in %s, %s\n"
      "pieces:          %d counted, %d distinct\n",
      HumanBytes(stats.bytes), CountOf(stats.files, "file", "files"),
      CountOf(stats.sequences, "sequence", "sequences"), stats.pieces,
      counts.distinct_pieces());
  const std::string duplicates = DescribeDuplicates(stats, counting.dedup);
  if (!duplicates.empty()) std::cout << "duplicates:      " << duplicates << "\n";
  if (stats.sampled_out_sequences > 0) {
    std::cout << absl::StrFormat("sampling:        %d sequences left out\n",
                                 stats.sampled_out_sequences);
  }
  if (stats.pruned_pieces > 0) {
    std::cout << absl::StrFormat("pruning:         %d rare distinct pieces dropped\n",
                                 stats.pruned_pieces);
  }
  std::error_code size_error;
  const uintmax_t shard_bytes = std::filesystem::file_size(output, size_error);
  std::cout << absl::StrFormat("time:            %.2f s\n", seconds_since_start())
            << absl::StrFormat("count shard:     %s (%s)\n",
                               std::filesystem::absolute(output).string(),
                               size_error ? std::string("size unknown") : HumanBytes(shard_bytes));
  return 0;
}

}  // namespace tokforge::cli
