#include "corpus_args.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace tokforge::cli {

const std::set<std::string> kCorpusValueOptions = {
    "include",         "exclude",         "format", "text-field",     "max-bytes",
    "files-from",      "sample-fraction", "seed",   "dedup-memory-mb", "text-documents",
    "max-pieces"};
const std::set<std::string> kCorpusBoolOptions = {"dedup", "allow-nul-bytes"};

const char kCorpusOptionsHelp[] =
    "input options:\n"
    "  --include GLOB           in directories, read only the files whose name\n"
    "                           matches, such as '*.py' (repeatable)\n"
    "  --exclude GLOB           skip files whose name matches (repeatable)\n"
    "  --files-from FILE        also read the paths listed in FILE, one per line\n"
    "                           (repeatable; relative to the current directory)\n"
    "  --format auto|text|jsonl input format (default: auto, from the file name;\n"
    "                           '-' reads standard input, as text unless jsonl)\n"
    "  --text-field NAME        JSON Lines field holding the text, such as\n"
    "                           meta.text for a nested field (default: text)\n"
    "  --max-bytes N            stop reading after N bytes of text; K, M and G\n"
    "                           suffixes multiply by 1024, 1024^2 and 1024^3\n"
    "  --sample-fraction F      count each line or record with probability F,\n"
    "                           chosen from --seed, the file path and the line\n"
    "                           number (default: 1)\n"
    "  --seed N                 seed of --sample-fraction (default: 0)\n"
    "  --allow-nul-bytes        count NUL bytes as text (default: reject a file\n"
    "                           with a NUL byte, which is probably binary)\n"
    "\n"
    "duplicates and memory:\n"
    "  --dedup                  count only the first copy of each exact duplicate\n"
    "                           document; without it duplicates are only reported\n"
    "  --text-documents file|line  what a document of a text file is (default:\n"
    "                           file); a JSON Lines record is always one\n"
    "  --dedup-memory-mb N      memory for document hashes, 16 bytes each\n"
    "                           (default: 1024); later documents are not remembered\n"
    "  --max-pieces N           keep at most N distinct pieces, dropping the rarest\n"
    "                           every 64 MiB of input and at the end (default: no\n"
    "                           limit)\n";

absl::Status ParseCorpusArgs(const Args& args, CorpusOptions* corpus, CountingOptions* counting) {
  corpus->paths = args.positional();
  corpus->path_list_files = args.GetList("files-from");
  corpus->include_globs = args.GetList("include");
  corpus->exclude_globs = args.GetList("exclude");
  corpus->text_field = args.Get("text-field");
  corpus->allow_nul_bytes = args.Has("allow-nul-bytes");

  const std::string format = args.Get("format", "auto");
  if (format == "text") {
    corpus->format = CorpusFormat::kText;
  } else if (format == "jsonl") {
    corpus->format = CorpusFormat::kJsonl;
  } else if (format != "auto") {
    return absl::InvalidArgumentError(
        absl::StrCat("--format must be auto, text or jsonl, got \"", format, "\""));
  }

  if (args.Has("max-bytes")) {
    absl::StatusOr<uint64_t> max_bytes = ParseByteCount("--max-bytes", args.Get("max-bytes"));
    if (!max_bytes.ok()) return max_bytes.status();
    corpus->max_bytes = *max_bytes;
  }
  auto seed = args.GetInt("seed", 0, 0, INT64_MAX);
  auto dedup_memory = args.GetInt("dedup-memory-mb", 1024, 1, int64_t{1} << 30);
  auto max_pieces = args.GetInt("max-pieces", 0, 1, INT64_MAX);
  for (const auto* value : {&seed, &dedup_memory, &max_pieces}) {
    if (!value->ok()) return value->status();
  }
  counting->seed = static_cast<uint64_t>(*seed);
  counting->dedup_memory_bytes = static_cast<uint64_t>(*dedup_memory) << 20;
  counting->max_pieces = static_cast<uint64_t>(*max_pieces);
  counting->dedup = args.Has("dedup");

  if (args.Has("sample-fraction")) {
    const std::string text = args.Get("sample-fraction");
    double fraction = 0;
    if (!absl::SimpleAtod(text, &fraction) || !(fraction > 0 && fraction <= 1)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--sample-fraction must be a number greater than 0 and at most 1, got \"", text,
          "\""));
    }
    counting->sample_fraction = fraction;
  }

  const std::string documents = args.Get("text-documents", "file");
  if (documents == "file") {
    counting->text_document = TextDocument::kFile;
  } else if (documents == "line") {
    counting->text_document = TextDocument::kLine;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("--text-documents must be file or line, got \"", documents, "\""));
  }
  return absl::OkStatus();
}

std::string HumanBytes(uint64_t bytes) {
  if (bytes >= (1ull << 30)) return absl::StrFormat("%.2f GB", bytes / double(1ull << 30));
  if (bytes >= (1ull << 20)) return absl::StrFormat("%.1f MB", bytes / double(1ull << 20));
  if (bytes >= (1ull << 10)) return absl::StrFormat("%.1f KB", bytes / double(1ull << 10));
  return absl::StrFormat("%d bytes", bytes);
}

std::string DescribeDuplicates(const CountStats& stats, bool skipped) {
  if (stats.documents == 0) return "";
  std::string line = absl::StrFormat(
      "%d of %d documents (%.1f%%), %.1f%% of bytes, %s", stats.duplicate_documents,
      stats.documents, 100.0 * stats.duplicate_documents / stats.documents,
      stats.document_bytes == 0 ? 0.0 : 100.0 * stats.duplicate_bytes / stats.document_bytes,
      skipped ? "skipped" : "counted (--dedup skips them)");
  if (stats.unremembered_documents > 0) {
    absl::StrAppendFormat(&line,
                          "; %d documents were not remembered because the dedup memory was "
                          "full, so their copies went undetected (raise --dedup-memory-mb)",
                          stats.unremembered_documents);
  }
  return line;
}

}  // namespace tokforge::cli
