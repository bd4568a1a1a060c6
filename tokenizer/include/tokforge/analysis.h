// Comparison of tokenizers on corpora: sequence length, fertility, unknown
// and byte-fallback tokens, vocabulary use and overlap.
//
// Compare() streams every corpus once, encodes it with every tokenizer and
// fills one ComparisonReport. The writers only render that report, so every
// output format shows the same figures.

#ifndef TOKFORGE_ANALYSIS_H_
#define TOKFORGE_ANALYSIS_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tokforge/corpus.h"
#include "tokforge/tokenizer.h"

namespace tokforge {

// ---------------------------------------------------------------------------
// Inputs

struct NamedTokenizer {
  std::string name;
  std::string path;  // file the tokenizer was loaded from
  Tokenizer tokenizer;
};

struct NamedCorpus {
  std::string name;
  CorpusOptions options;
};

// Splits "NAME=VALUE". Without "=", `name` is empty and `value` is the whole
// argument.
struct NameValue {
  std::string name;
  std::string value;
};
NameValue SplitNameValue(std::string_view argument);

// Hugging Face hub cache directory: $HF_HUB_CACHE, else $HF_HOME/hub, else
// $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub.
std::string HuggingFaceHubCacheDir();

// Finds the tokenizer file of a Hugging Face model id ("gpt2",
// "google-t5/t5-small") in the hub cache `hub_dir`, without network access:
// models--ORG--NAME/snapshots/REV/tokenizer.json, where REV is the revision
// that refs/main points to, else the most recently modified snapshot. When a
// snapshot has no tokenizer.json, tokenizer.model, spiece.model,
// sentencepiece.bpe.model, vocab.json and vocab.txt are tried in that order.
// NotFound names the directory searched and the download command.
absl::StatusOr<std::string> FindInHuggingFaceCache(std::string_view model_id,
                                                   const std::string& hub_dir);

// Loads one tokenizer argument: "NAME=PATH", "PATH", "NAME=MODEL_ID" or
// "MODEL_ID". An existing path wins; a directory means its tokenizer.json.
// Anything else that looks like a model id is looked up in `hub_dir`. Without
// NAME, the name is the model id, the directory of a tokenizer.json, or the
// file name without its extension.
absl::StatusOr<NamedTokenizer> LoadNamedTokenizer(std::string_view argument,
                                                  const std::string& hub_dir);

// Parses one corpus argument, "NAME=PATH" or "PATH". A PATH whose last
// component is a shell glob that matches no file as written ("src/*.py") reads
// the matching files of its directory. `base` supplies the other options
// (globs, text field, byte limit). Fails when the path does not exist.
absl::StatusOr<NamedCorpus> ParseNamedCorpus(std::string_view argument, const CorpusOptions& base);

// Reads a word list: one word per line, line endings and surrounding spaces
// dropped, blank lines skipped.
absl::StatusOr<std::vector<std::string>> ReadWordList(const std::string& path);

struct CompareOptions {
  // Each line, without its line ending, is one sequence. Otherwise each file
  // (text) or record (JSON Lines) is one sequence.
  bool by_line = false;
  // Tokenizer whose token counts are the denominator of relative_length.
  // Empty means the first tokenizer.
  std::string baseline;
  // Words whose splits are reported for every tokenizer.
  std::vector<std::string> words;
  // Encoding threads, 0 = all cores.
  int threads = 0;
  // Sample lines per corpus kept for the side-by-side view.
  int sample_lines = 3;
  // Most frequent unknown-token texts kept per result.
  int max_unknown_texts = 20;
  // Sequences are read and encoded in batches of about this many bytes.
  size_t batch_bytes = size_t{8} << 20;
};

// ---------------------------------------------------------------------------
// Report

// Spelling convention a vocabulary uses for raw bytes, detected from its tokens.
enum class TokenSpelling {
  kPlain,      // tokens are the text itself
  kByteLevel,  // GPT-2 byte alphabet: "Ġ" is a space, "Ċ" a newline
  kMetaspace,  // SentencePiece: "▁" is a space, "<0xNN>" a byte
  kWordPiece,  // "##" marks a piece that continues a word
};
std::string_view TokenSpellingName(TokenSpelling spelling);

struct TokenizerInfo {
  std::string name;
  std::string path;
  uint64_t vocab_size = 0;  // ids, added tokens included
  TokenSpelling spelling = TokenSpelling::kPlain;
  std::string unk_token;  // empty when the model has no unknown token
};

struct CorpusInfo {
  std::string name;
  std::vector<std::string> paths;
  uint64_t files = 0;       // files found under the corpus paths
  uint64_t files_read = 0;  // files that gave text; fewer under max_bytes
  uint64_t sequences = 0;
  uint64_t lines = 0;
  uint64_t bytes = 0;
  uint64_t characters = 0;
  uint64_t words = 0;
};

struct TextCount {
  std::string text;
  uint64_t count = 0;
};

struct LengthPercentiles {
  uint64_t p50 = 0;
  uint64_t p90 = 0;
  uint64_t p99 = 0;
  uint64_t max = 0;
};

// Figures of one tokenizer on one corpus. Counts are sums over the corpus;
// rates are the derived ratios, 0 when their denominator is 0.
struct ComparisonResult {
  std::string tokenizer;
  std::string corpus;

  uint64_t sequences = 0;
  uint64_t lines = 0;
  uint64_t tokens = 0;  // content tokens, no post-processor special tokens
  uint64_t bytes = 0;
  uint64_t characters = 0;  // code points; an invalid UTF-8 byte counts as one
  uint64_t words = 0;       // ICU word segments that contain letters, digits or ideographs
  uint64_t continued_words = 0;  // words covered by two or more tokens
  uint64_t unk_tokens = 0;
  uint64_t byte_fallback_tokens = 0;  // tokens spelled <0xNN>
  uint64_t roundtrip_failed_lines = 0;
  uint64_t vocab_size = 0;
  uint64_t vocab_used = 0;  // distinct ids seen

  double bytes_per_token = 0;
  double characters_per_token = 0;
  double tokens_per_word = 0;
  double continued_word_share = 0;
  // tokens / baseline tokens on the same corpus; 0 when the baseline has none.
  double relative_length = 0;
  double unk_rate = 0;
  double byte_fallback_rate = 0;
  double roundtrip_failure_share = 0;  // of lines
  double vocab_utilization = 0;

  // Input text covered by unknown tokens, most frequent first.
  std::vector<TextCount> unknown_texts;
  // token_length_histogram[k] counts tokens of k bytes (raw bytes of the
  // token's spelling); the last bucket also counts every longer token.
  // Unknown tokens are left out.
  std::vector<uint64_t> token_length_histogram;
  LengthPercentiles tokens_per_sequence;
  double seconds = 0;  // wall time spent encoding and measuring
};

// Splits of one word-list entry, one entry per tokenizer in report order.
struct WordSplit {
  std::string word;
  std::vector<std::vector<std::string>> tokens;
};

struct VocabularyOverlap {
  std::string first;
  std::string second;
  uint64_t first_size = 0;  // distinct raw-byte spellings
  uint64_t second_size = 0;
  uint64_t shared = 0;
  double jaccard = 0;
};

enum class TokenKind : uint8_t { kNormal, kUnknown, kByteFallback };

struct TokenSpan {
  uint32_t begin = 0;  // byte offsets into SampleLine::text
  uint32_t end = 0;
  TokenKind kind = TokenKind::kNormal;
};

// One corpus line encoded by every tokenizer, for the side-by-side view.
struct SampleLine {
  std::string corpus;
  std::string text;
  std::vector<std::vector<TokenSpan>> tokens;  // one list per tokenizer
};

struct ComparisonReport {
  std::vector<TokenizerInfo> tokenizers;
  std::vector<CorpusInfo> corpora;
  std::string baseline;
  bool by_line = false;
  uint64_t max_bytes = 0;  // per-corpus byte limit, 0 = none
  int threads = 0;
  // Corpus-major: results[c * tokenizers.size() + t].
  std::vector<ComparisonResult> results;
  std::vector<WordSplit> word_splits;
  std::vector<VocabularyOverlap> overlaps;
  std::vector<SampleLine> samples;
  double seconds = 0;

  const ComparisonResult& at(size_t corpus, size_t tokenizer) const {
    return results[corpus * tokenizers.size() + tokenizer];
  }
};

// Encodes every corpus with every tokenizer and measures it. Fails when
// there is no tokenizer or corpus, when names repeat, when the baseline is not
// one of the tokenizers, or when a corpus cannot be read (the error names the
// file).
absl::StatusOr<ComparisonReport> Compare(const std::vector<NamedTokenizer>& tokenizers,
                                         const std::vector<NamedCorpus>& corpora,
                                         const CompareOptions& options);

// ---------------------------------------------------------------------------
// Writers

enum class ReportFormat { kTable, kMarkdown, kJson, kCsv, kHtml };

// Parses "table", "markdown" (or "md"), "json", "csv" or "html".
absl::StatusOr<ReportFormat> ParseReportFormat(std::string_view name);

void WriteTableReport(const ComparisonReport& report, std::ostream& out);
void WriteMarkdownReport(const ComparisonReport& report, std::ostream& out);
// JSON schema: see docs/analysis.md. Field names are stable.
void WriteJsonReport(const ComparisonReport& report, std::ostream& out);
// One header line, then one line per tokenizer × corpus (RFC 4180 quoting).
void WriteCsvReport(const ComparisonReport& report, std::ostream& out);
// One self-contained HTML file: inline CSS and SVG, no scripts, no network.
void WriteHtmlReport(const ComparisonReport& report, std::ostream& out);

void WriteReport(const ComparisonReport& report, ReportFormat format, std::ostream& out);

// Renders the report and writes it to `path` atomically: on failure the file
// is left as it was. Errors name the path.
absl::Status WriteReportFile(const ComparisonReport& report, ReportFormat format,
                             const std::string& path);

}  // namespace tokforge

#endif  // TOKFORGE_ANALYSIS_H_
