// Terminal table, Markdown and CSV writers.

#include <unicode/uchar.h>

#include <algorithm>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "analysis/report_format.h"
#include "util/utf8.h"
#include "tokforge/analysis.h"
#include "util/file_output.h"

namespace tokforge {
namespace {

using analysis::FilesCell;
using analysis::FormatCount;
using analysis::FormatFixed;
using analysis::FormatPercent;
using analysis::VisibleText;

using Row = std::vector<std::string>;

const Row& MainHeader() {
  static const Row header = {"corpus",        "tokenizer",   "tokens",     "relative length",
                             "bytes/token",   "chars/token", "tokens/word", "split words",
                             "unk",           "byte fallback", "roundtrip failures",
                             "vocab used",    "tokens/seq p50/p90/p99"};
  return header;
}

Row MainRow(const ComparisonResult& r) {
  return {r.corpus,
          r.tokenizer,
          FormatCount(r.tokens),
          FormatFixed(r.relative_length, 3),
          FormatFixed(r.bytes_per_token, 2),
          FormatFixed(r.characters_per_token, 2),
          FormatFixed(r.tokens_per_word, 3),
          FormatPercent(r.continued_word_share),
          FormatPercent(r.unk_rate),
          FormatPercent(r.byte_fallback_rate),
          FormatPercent(r.roundtrip_failure_share),
          FormatPercent(r.vocab_utilization),
          absl::StrCat(r.tokens_per_sequence.p50, "/", r.tokens_per_sequence.p90, "/",
                       r.tokens_per_sequence.p99)};
}

std::string CorpusSummary(const CorpusInfo& corpus) {
  return absl::StrCat(FormatCount(corpus.bytes), " bytes, ", FormatCount(corpus.characters),
                      " characters, ", FormatCount(corpus.words), " words, ",
                      FormatCount(corpus.sequences), " sequences, ", FormatCount(corpus.lines),
                      " lines, ", FormatCount(corpus.files_read), " of ",
                      FormatCount(corpus.files), " files read");
}

std::string UnknownSummary(const ComparisonResult& result) {
  std::string text;
  for (const TextCount& unknown : result.unknown_texts) {
    if (!text.empty()) text += ", ";
    absl::StrAppend(&text, "\"", VisibleText(unknown.text), "\" ", FormatCount(unknown.count));
  }
  return text;
}

// Terminal columns of `text`: two for East Asian wide and fullwidth
// characters, none for combining marks and format characters, else one.
size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  for (size_t pos = 0; pos < text.size();) {
    const DecodedChar c = DecodeUtf8(text, pos);
    pos += c.length;
    if (c.code_point == kInvalidCodePoint) {
      ++width;
      continue;
    }
    const UChar32 code_point = static_cast<UChar32>(c.code_point);
    const int8_t category = u_charType(code_point);
    if (category == U_NON_SPACING_MARK || category == U_ENCLOSING_MARK || category == U_FORMAT_CHAR) continue;
    const int east_asian = u_getIntPropertyValue(code_point, UCHAR_EAST_ASIAN_WIDTH);
    width += east_asian == U_EA_WIDE || east_asian == U_EA_FULLWIDTH ? 2 : 1;
  }
  return width;
}

std::vector<size_t> ColumnWidths(const Row& header, const std::vector<Row>& rows) {
  std::vector<size_t> widths(header.size(), 0);
  auto widen = [&](const Row& row) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max<size_t>(widths[i], DisplayWidth(row[i]));
    }
  };
  widen(header);
  for (const Row& row : rows) widen(row);
  return widths;
}

void WriteAlignedTable(const Row& header, const std::vector<Row>& rows, size_t text_columns,
                       std::ostream& out) {
  const std::vector<size_t> widths = ColumnWidths(header, rows);
  auto write_row = [&](const Row& row) {
    for (size_t i = 0; i < row.size(); ++i) {
      const size_t pad = widths[i] - DisplayWidth(row[i]);
      if (i > 0) out << "  ";
      if (i < text_columns) {
        out << row[i] << std::string(i + 1 == row.size() ? 0 : pad, ' ');
      } else {
        out << std::string(pad, ' ') << row[i];
      }
    }
    out << "\n";
  };
  write_row(header);
  size_t total = 0;
  for (size_t width : widths) total += width;
  out << std::string(total + 2 * (widths.size() - 1), '-') << "\n";
  for (const Row& row : rows) write_row(row);
}

std::string MarkdownCell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += ' ';
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// Inline code that survives any backticks inside `text`. WriteMarkdownTable
// escapes "|" afterwards, which GitHub's tables require even inside code.
std::string MarkdownCode(std::string_view text) {
  const std::string fence = text.find('`') == std::string_view::npos ? "`" : "`` ";
  const std::string closing = fence == "`" ? "`" : " ``";
  return absl::StrCat(fence, std::string(text), closing);
}

void WriteMarkdownTable(const Row& header, const std::vector<Row>& rows, size_t text_columns,
                        std::ostream& out) {
  out << "|";
  for (const std::string& cell : header) out << " " << MarkdownCell(cell) << " |";
  out << "\n|";
  for (size_t i = 0; i < header.size(); ++i) out << (i < text_columns ? "---|" : "---:|");
  out << "\n";
  for (const Row& row : rows) {
    out << "|";
    for (const std::string& cell : row) out << " " << MarkdownCell(cell) << " |";
    out << "\n";
  }
}

std::string CsvField(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace

void WriteTableReport(const ComparisonReport& report, std::ostream& out) {
  out << "Corpora\n";
  for (const CorpusInfo& corpus : report.corpora) {
    out << "  " << corpus.name << ": " << CorpusSummary(corpus) << "\n";
  }
  out << "\nTokenizers (relative length is against " << report.baseline << ")\n";
  for (const TokenizerInfo& tokenizer : report.tokenizers) {
    out << "  " << tokenizer.name << ": " << FormatCount(tokenizer.vocab_size) << " ids, "
        << TokenSpellingName(tokenizer.spelling) << " spelling, " << tokenizer.path << "\n";
  }
  out << "\n";

  std::vector<Row> rows;
  for (const ComparisonResult& result : report.results) rows.push_back(MainRow(result));
  WriteAlignedTable(MainHeader(), rows, 2, out);

  bool any_unknown = false;
  for (const ComparisonResult& result : report.results) {
    if (result.unknown_texts.empty()) continue;
    if (!any_unknown) out << "\nUnknown tokens came from\n";
    any_unknown = true;
    out << "  " << result.tokenizer << " on " << result.corpus << ": " << UnknownSummary(result) << "\n";
  }

  if (!report.word_splits.empty()) {
    out << "\nWord splits (* = more than one token)\n";
    Row header = {"word"};
    for (const TokenizerInfo& tokenizer : report.tokenizers) header.push_back(tokenizer.name);
    std::vector<Row> split_rows;
    for (const WordSplit& split : report.word_splits) {
      Row row = {split.word};
      for (const std::vector<std::string>& tokens : split.tokens) {
        row.push_back(absl::StrCat(tokens.size() == 1 ? "" : "*", analysis::JoinTokens(tokens)));
      }
      split_rows.push_back(std::move(row));
    }
    WriteAlignedTable(header, split_rows, header.size(), out);
  }

  if (!report.overlaps.empty()) {
    out << "\nVocabulary overlap (raw-byte spellings)\n";
    std::vector<Row> overlap_rows;
    for (const VocabularyOverlap& overlap : report.overlaps) {
      overlap_rows.push_back({overlap.first, overlap.second, FormatCount(overlap.shared),
                              FormatFixed(overlap.jaccard, 3)});
    }
    WriteAlignedTable({"tokenizer", "other", "shared", "jaccard"}, overlap_rows, 2, out);
  }
  out << "\n" << FormatFixed(report.seconds, 2) << " s on " << report.threads << " threads\n";
}

void WriteMarkdownReport(const ComparisonReport& report, std::ostream& out) {
  out << "# Tokenizer comparison\n\n";
  out << "Relative length is against **" << report.baseline << "**. Each "
      << (report.by_line ? "non-empty line" : "file or JSON Lines record") << " is one sequence";
  if (report.max_bytes > 0) out << "; each corpus is cut to its first " << FormatCount(report.max_bytes) << " bytes";
  out << ".\n\n";

  out << "## Tokenizers\n\n";
  std::vector<Row> tokenizer_rows;
  for (const TokenizerInfo& tokenizer : report.tokenizers) {
    tokenizer_rows.push_back({tokenizer.name, std::string(TokenSpellingName(tokenizer.spelling)),
                              tokenizer.unk_token.empty() ? "none" : MarkdownCode(tokenizer.unk_token),
                              FormatCount(tokenizer.vocab_size)});
  }
  WriteMarkdownTable({"tokenizer", "spelling", "unknown token", "ids"}, tokenizer_rows, 3, out);
  out << "\n## Corpora\n\n";
  std::vector<Row> corpus_rows;
  for (const CorpusInfo& corpus : report.corpora) {
    corpus_rows.push_back({corpus.name, FilesCell(corpus), FormatCount(corpus.bytes),
                           FormatCount(corpus.characters), FormatCount(corpus.words),
                           FormatCount(corpus.sequences), FormatCount(corpus.lines)});
  }
  WriteMarkdownTable({"corpus", "files", "bytes", "characters", "words", "sequences", "lines"},
                     corpus_rows, 1, out);

  out << "\n## Results\n\n";
  std::vector<Row> rows;
  for (const ComparisonResult& result : report.results) rows.push_back(MainRow(result));
  WriteMarkdownTable(MainHeader(), rows, 2, out);

  out << "\n## Unknown tokens\n\n";
  bool any_unknown = false;
  for (const ComparisonResult& result : report.results) {
    if (result.unknown_texts.empty()) continue;
    any_unknown = true;
    out << "- **" << result.tokenizer << "** on " << result.corpus << ": ";
    for (size_t i = 0; i < result.unknown_texts.size(); ++i) {
      if (i > 0) out << ", ";
      out << MarkdownCode(VisibleText(result.unknown_texts[i].text)) << " "
          << FormatCount(result.unknown_texts[i].count);
    }
    out << "\n";
  }
  if (!any_unknown) out << "No tokenizer produced an unknown token.\n";

  out << "\n## Token length (bytes) distribution, all corpora\n\n";
  const size_t buckets = analysis::kTokenLengthBuckets;
  Row length_header = {"tokenizer"};
  for (size_t k = 1; k < buckets; ++k) length_header.push_back(analysis::LengthBucketLabel(k, buckets));
  std::vector<Row> length_rows;
  for (size_t t = 0; t < report.tokenizers.size(); ++t) {
    const std::vector<double> shares = analysis::TokenLengthShares(report, t);
    Row row = {report.tokenizers[t].name};
    for (size_t k = 1; k < buckets; ++k) row.push_back(FormatFixed(100.0 * (k < shares.size() ? shares[k] : 0.0), 1));
    length_rows.push_back(std::move(row));
  }
  WriteMarkdownTable(length_header, length_rows, 1, out);
  out << "\nPercent of tokens with each length.\n";

  if (!report.word_splits.empty()) {
    out << "\n## Word splits\n\nA word marked ✗ is not a single token.\n\n";
    Row header = {"word"};
    for (const TokenizerInfo& tokenizer : report.tokenizers) header.push_back(tokenizer.name);
    std::vector<Row> split_rows;
    for (const WordSplit& split : report.word_splits) {
      Row row = {MarkdownCode(split.word)};
      for (const std::vector<std::string>& tokens : split.tokens) {
        row.push_back(absl::StrCat(tokens.size() == 1 ? "" : "✗ ", MarkdownCode(analysis::JoinTokens(tokens))));
      }
      split_rows.push_back(std::move(row));
    }
    WriteMarkdownTable(header, split_rows, header.size(), out);
  }

  if (!report.overlaps.empty()) {
    out << "\n## Vocabulary overlap\n\nSpellings mapped to raw bytes (`Ġ` and `▁` to a space, `<0xNN>` to "
           "its byte, `##` dropped).\n\n";
    std::vector<Row> overlap_rows;
    for (const VocabularyOverlap& overlap : report.overlaps) {
      overlap_rows.push_back({overlap.first, overlap.second, FormatCount(overlap.first_size),
                              FormatCount(overlap.second_size), FormatCount(overlap.shared),
                              FormatFixed(overlap.jaccard, 3)});
    }
    WriteMarkdownTable({"tokenizer", "other", "size", "other size", "shared", "jaccard"}, overlap_rows, 2,
                       out);
  }
}

void WriteCsvReport(const ComparisonReport& report, std::ostream& out) {
  out << "tokenizer,corpus,sequences,lines,tokens,bytes,characters,words,continued_words,"
         "bytes_per_token,characters_per_token,tokens_per_word,continued_word_share,relative_length,"
         "unk_tokens,unk_rate,byte_fallback_tokens,byte_fallback_rate,roundtrip_failed_lines,"
         "roundtrip_failure_share,vocab_size,vocab_used,vocab_utilization,tokens_per_sequence_p50,"
         "tokens_per_sequence_p90,tokens_per_sequence_p99,tokens_per_sequence_max,seconds\r\n";
  for (const ComparisonResult& r : report.results) {
    out << CsvField(r.tokenizer) << "," << CsvField(r.corpus) << "," << r.sequences << "," << r.lines
        << "," << r.tokens << "," << r.bytes << "," << r.characters << "," << r.words << ","
        << r.continued_words << "," << FormatFixed(r.bytes_per_token, 6) << ","
        << FormatFixed(r.characters_per_token, 6) << "," << FormatFixed(r.tokens_per_word, 6) << ","
        << FormatFixed(r.continued_word_share, 6) << "," << FormatFixed(r.relative_length, 6) << ","
        << r.unk_tokens << "," << FormatFixed(r.unk_rate, 6) << "," << r.byte_fallback_tokens << ","
        << FormatFixed(r.byte_fallback_rate, 6) << "," << r.roundtrip_failed_lines << ","
        << FormatFixed(r.roundtrip_failure_share, 6) << "," << r.vocab_size << "," << r.vocab_used
        << "," << FormatFixed(r.vocab_utilization, 6) << "," << r.tokens_per_sequence.p50 << ","
        << r.tokens_per_sequence.p90 << "," << r.tokens_per_sequence.p99 << ","
        << r.tokens_per_sequence.max << "," << FormatFixed(r.seconds, 3) << "\r\n";
  }
}

absl::StatusOr<ReportFormat> ParseReportFormat(std::string_view name) {
  if (name == "table") return ReportFormat::kTable;
  if (name == "markdown" || name == "md") return ReportFormat::kMarkdown;
  if (name == "json") return ReportFormat::kJson;
  if (name == "csv") return ReportFormat::kCsv;
  if (name == "html") return ReportFormat::kHtml;
  return absl::InvalidArgumentError(absl::StrCat("unknown report format \"", std::string(name),
                                                 "\"; use table, markdown, json, csv or html"));
}

void WriteReport(const ComparisonReport& report, ReportFormat format, std::ostream& out) {
  switch (format) {
    case ReportFormat::kTable:
      return WriteTableReport(report, out);
    case ReportFormat::kMarkdown:
      return WriteMarkdownReport(report, out);
    case ReportFormat::kJson:
      return WriteJsonReport(report, out);
    case ReportFormat::kCsv:
      return WriteCsvReport(report, out);
    case ReportFormat::kHtml:
      return WriteHtmlReport(report, out);
  }
}

absl::Status WriteReportFile(const ComparisonReport& report, ReportFormat format,
                             const std::string& path) {
  std::ostringstream rendered;
  WriteReport(report, format, rendered);
  return WriteFileAtomically(path, rendered.str());
}

}  // namespace tokforge
