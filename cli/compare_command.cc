#include <cstdint>
#include <iostream>
#include <sstream>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "args.h"
#include "commands.h"
#include "tokforge/analysis.h"

namespace tokforge::cli {
namespace {

constexpr char kCompareUsage[] =
    "usage: tokforge compare --tokenizer NAME=PATH... --corpus NAME=PATH... [OPTIONS]\n"
    "\n"
    "Encodes every corpus with every tokenizer and reports sequence length,\n"
    "tokens per word, unknown and byte-fallback tokens, vocabulary use and\n"
    "overlap. Figures count content tokens only: no post-processor special tokens.\n"
    "\n"
    "inputs (repeat the option or separate values with commas):\n"
    "  --tokenizer NAME=PATH  a tokenizer file, a directory with tokenizer.json,\n"
    "                         or a Hugging Face model id (ORG/NAME) looked up\n"
    "                         offline in $HF_HOME/hub (no download)\n"
    "  --corpus NAME=PATH     a file, a directory or DIR/GLOB (\"src/*.py\");\n"
    "                         text, JSON Lines, .gz or .zst\n"
    "  --include GLOB         read only files whose name matches, in directories\n"
    "  --exclude GLOB         skip files whose name matches, in directories\n"
    "  --text-field FIELD     JSON Lines field with the text (default: text)\n"
    "  --max-bytes N          read at most N bytes of each corpus; K, M and G\n"
    "                         suffixes multiply by 1024, 1024^2 and 1024^3\n"
    "  --by-line              each line is one sequence (default: each file or\n"
    "                         JSON Lines record)\n"
    "  --words FILE           report how each tokenizer splits these words (one\n"
    "                         per line)\n"
    "\n"
    "output:\n"
    "  --baseline NAME        tokenizer for relative length (default: the first)\n"
    "  --format FORMAT        table, markdown, json, csv or html (default: from\n"
    "                         the --output extension .md, .json, .csv or .html,\n"
    "                         else table)\n"
    "  --output FILE          write the report to FILE (default: stdout)\n"
    "  --samples N            sample lines per corpus in the HTML view (default 3)\n"
    "  --threads N            encoding threads (default 0: all cores)\n";


// The report format that the extension of `path` names, or "table".
std::string FormatForOutput(const std::string& path) {
  const std::string extension = std::filesystem::path(path).extension().string();
  if (extension == ".md") return "markdown";
  if (extension == ".json" || extension == ".csv" || extension == ".html") {
    return extension.substr(1);
  }
  return "table";
}

}  // namespace

int RunCompare(int argc, char** argv) {
  absl::StatusOr<Args> parsed = Args::Parse(
      argc, argv,
      {"tokenizer", "corpus", "include", "exclude", "text-field", "max-bytes", "words", "baseline", "format",
       "output", "samples", "threads"},
      {"by-line", "help"});
  if (!parsed.ok()) return ReportError(parsed.status());
  const Args& args = *parsed;
  if (args.Has("help")) {
    std::cout << kCompareUsage;
    return 0;
  }
  if (!args.positional().empty()) {
    return ReportError(absl::StrCat("unexpected argument \"", args.positional()[0],
                                    "\"; give corpora with --corpus NAME=PATH"));
  }
  if (!args.Has("tokenizer")) return ReportError("--tokenizer NAME=PATH is required (at least one)");
  if (!args.Has("corpus")) return ReportError("--corpus NAME=PATH is required (at least one)");

  absl::StatusOr<ReportFormat> format = ParseReportFormat(
      args.Get("format", FormatForOutput(args.Get("output"))));
  if (!format.ok()) return ReportError(format.status());
  absl::StatusOr<int64_t> threads = args.GetInt("threads", 0, 0, 1024);
  if (!threads.ok()) return ReportError(threads.status());
  absl::StatusOr<int64_t> samples = args.GetInt("samples", 3, 0, 100);
  if (!samples.ok()) return ReportError(samples.status());

  CorpusOptions base;
  base.include_globs = args.GetList("include");
  base.exclude_globs = args.GetList("exclude");
  base.text_field = args.Get("text-field");
  if (args.Has("max-bytes")) {
    absl::StatusOr<uint64_t> max_bytes = ParseByteCount("--max-bytes", args.Get("max-bytes"));
    if (!max_bytes.ok()) return ReportError(max_bytes.status());
    base.max_bytes = *max_bytes;
  }

  CompareOptions options;
  options.by_line = args.Has("by-line");
  options.baseline = args.Get("baseline");
  options.threads = static_cast<int>(*threads);
  options.sample_lines = static_cast<int>(*samples);
  if (args.Has("words")) {
    absl::StatusOr<std::vector<std::string>> words = ReadWordList(args.Get("words"));
    if (!words.ok()) return ReportError(words.status());
    options.words = *std::move(words);
  }

  std::vector<NamedCorpus> corpora;
  for (const std::string& argument : args.GetList("corpus")) {
    absl::StatusOr<NamedCorpus> corpus = ParseNamedCorpus(argument, base);
    if (!corpus.ok()) return ReportError(corpus.status());
    corpora.push_back(*std::move(corpus));
  }
  const std::string hub_dir = HuggingFaceHubCacheDir();
  std::vector<NamedTokenizer> tokenizers;
  for (const std::string& argument : args.GetList("tokenizer")) {
    absl::StatusOr<NamedTokenizer> tokenizer = LoadNamedTokenizer(argument, hub_dir);
    if (!tokenizer.ok()) return ReportError(tokenizer.status());
    tokenizers.push_back(*std::move(tokenizer));
  }

  absl::StatusOr<ComparisonReport> report = Compare(tokenizers, corpora, options);
  if (!report.ok()) return ReportError(report.status());

  if (args.Has("output")) {
    const std::string path = args.Get("output");
    if (absl::Status status = WriteReportFile(*report, *format, path); !status.ok()) {
      return ReportError(status);
    }
    std::cerr << "tokforge: compared " << CountOf(tokenizers.size(), "tokenizer", "tokenizers")
              << " on " << CountOf(corpora.size(), "corpus", "corpora") << " in " << absl::StrCat(static_cast<int64_t>(report->seconds * 1000)) << " ms; wrote "
              << path << "\n";
    return 0;
  }
  std::ostringstream rendered;
  WriteReport(*report, *format, rendered);
  const std::string text = rendered.str();
  std::cout.write(text.data(), static_cast<std::streamsize>(text.size()));
  std::cout.flush();
  return std::cout ? 0 : ReportError("failed to write the report to stdout");
}

}  // namespace tokforge::cli
