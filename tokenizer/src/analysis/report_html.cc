// Self-contained HTML writer: inline CSS and SVG charts, no scripts, no
// external resources, so the file opens offline and in restricted viewers.

#include <algorithm>
#include <cmath>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "analysis/report_format.h"
#include "tokforge/analysis.h"
#include "util/utf8.h"

namespace tokforge {
namespace {

using analysis::FilesCell;
using analysis::FormatCount;
using analysis::FormatFixed;
using analysis::FormatPercent;

constexpr const char* kPalette[] = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1",
                                    "#76b7b2", "#edc948", "#9c755f", "#ff9da7", "#bab0ac"};
constexpr size_t kPaletteSize = sizeof(kPalette) / sizeof(kPalette[0]);

const char* SeriesColor(size_t index) { return kPalette[index % kPaletteSize]; }

// Escapes HTML and replaces invalid UTF-8 bytes with U+FFFD.
std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    const DecodedChar c = DecodeUtf8(text, pos);
    if (c.code_point == kInvalidCodePoint) {
      out += "\xEF\xBF\xBD";
    } else {
      switch (c.code_point) {
        case '&':
          out += "&amp;";
          break;
        case '<':
          out += "&lt;";
          break;
        case '>':
          out += "&gt;";
          break;
        case '"':
          out += "&quot;";
          break;
        case '\'':
          out += "&#39;";
          break;
        default:
          out.append(text.substr(pos, c.length));
      }
    }
    pos += c.length;
  }
  return out;
}

constexpr char kStyle[] = R"(
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px; color: #222; max-width: 1400px; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { padding: 3px 8px; border-bottom: 1px solid #eee; text-align: right; white-space: nowrap; }
th { background: #f5f5f5; } td.text, th.text { text-align: left; }
.legend span { display: inline-block; margin-right: 16px; }
.legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: -1px; }
svg text { font: 11px system-ui, sans-serif; fill: #333; }
.sample { margin: 12px 0 20px; }
.sample .corpus { color: #666; margin-bottom: 4px; }
.sample td { text-align: left; vertical-align: top; white-space: normal; }
.line { font: 13px/1.9 ui-monospace, "DejaVu Sans Mono", monospace; white-space: pre-wrap; }
.t0 { background: #d6e4f5; } .t1 { background: #f9dcc0; }
.unk { background: #e15759; color: #fff; } .fb { background: #edc948; }
.join { border-left: 2px solid #e15759; margin: 0 1px; }
.line span { border-radius: 2px; padding: 1px 0; }
.note { color: #666; }
)";

struct Series {
  std::string name;
  std::vector<double> values;  // one per group
};

double NiceStep(double range) {
  if (range <= 0) return 1;
  const double raw = range / 5;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double factor : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (raw <= factor * magnitude) return factor * magnitude;
  }
  return 10 * magnitude;
}

// Grouped vertical bar chart; `reference` > 0 draws a dashed line at that value.
void WriteBarChart(const std::vector<std::string>& groups, const std::vector<Series>& series,
                   double reference, int value_digits, std::ostream& out) {
  constexpr double kWidth = 960, kHeight = 300, kLeft = 56, kRight = 12, kTop = 16, kBottom = 40;
  const double plot_width = kWidth - kLeft - kRight;
  const double plot_height = kHeight - kTop - kBottom;
  double max_value = reference;
  for (const Series& s : series) {
    for (double v : s.values) max_value = std::max(max_value, v);
  }
  const double step = NiceStep(max_value);
  const double top = std::max(step, std::ceil(max_value * 1.08 / step) * step);
  auto y = [&](double v) { return kTop + plot_height * (1.0 - v / top); };

  out << absl::StrFormat(R"(<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g" role="img">)",
                         kWidth, kHeight, kWidth, kHeight)
      << "\n";
  for (double tick = 0; tick <= top + step / 2; tick += step) {
    out << absl::StrFormat(R"(<line x1="%g" x2="%g" y1="%.1f" y2="%.1f" stroke="#e5e5e5"/>)", kLeft,
                           kWidth - kRight, y(tick), y(tick))
        << absl::StrFormat(R"(<text x="%g" y="%.1f" text-anchor="end">%s</text>)", kLeft - 6,
                           y(tick) + 4, Escape(absl::StrFormat("%g", tick)))
        << "\n";
  }
  const double group_width = groups.empty() ? plot_width : plot_width / static_cast<double>(groups.size());
  const double bar_width = series.empty() ? 0 : group_width * 0.8 / static_cast<double>(series.size());
  const bool labels = groups.size() * series.size() <= 48;
  for (size_t g = 0; g < groups.size(); ++g) {
    const double group_left = kLeft + group_width * static_cast<double>(g) + group_width * 0.1;
    for (size_t s = 0; s < series.size(); ++s) {
      const double value = g < series[s].values.size() ? series[s].values[g] : 0.0;
      const double x = group_left + bar_width * static_cast<double>(s);
      out << absl::StrFormat(R"(<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s">)", x,
                             y(value), std::max(bar_width - 1, 1.0), y(0) - y(value), SeriesColor(s))
          << "<title>" << Escape(series[s].name) << ", " << Escape(groups[g]) << ": "
          << FormatFixed(value, value_digits) << "</title></rect>";
      if (labels) {
        out << absl::StrFormat(R"(<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>)",
                               x + bar_width / 2, y(value) - 3, FormatFixed(value, value_digits));
      }
    }
    out << absl::StrFormat(R"(<text x="%.1f" y="%g" text-anchor="middle">%s</text>)",
                           kLeft + group_width * (static_cast<double>(g) + 0.5), kHeight - kBottom + 16,
                           Escape(groups[g]))
        << "\n";
  }
  if (reference > 0) {
    out << absl::StrFormat(R"(<line x1="%g" x2="%g" y1="%.1f" y2="%.1f" stroke="#333" stroke-dasharray="4 3"/>)",
                           kLeft, kWidth - kRight, y(reference), y(reference));
  }
  out << absl::StrFormat(R"(<line x1="%g" x2="%g" y1="%.1f" y2="%.1f" stroke="#888"/>)", kLeft,
                         kWidth - kRight, y(0), y(0))
      << "</svg>\n";
}

void WriteLegend(const ComparisonReport& report, std::ostream& out) {
  out << "<div class=\"legend\">";
  for (size_t t = 0; t < report.tokenizers.size(); ++t) {
    out << "<span><i style=\"background:" << SeriesColor(t) << "\"></i>"
        << Escape(report.tokenizers[t].name) << "</span>";
  }
  out << "</div>\n";
}

// One chart series per tokenizer with one value per corpus.
std::vector<Series> PerCorpusSeries(const ComparisonReport& report, double ComparisonResult::*field) {
  std::vector<Series> series;
  for (size_t t = 0; t < report.tokenizers.size(); ++t) {
    Series s{report.tokenizers[t].name, {}};
    for (size_t c = 0; c < report.corpora.size(); ++c) s.values.push_back(report.at(c, t).*field);
    series.push_back(std::move(s));
  }
  return series;
}

void WriteTable(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                size_t text_columns, std::ostream& out) {
  out << "<table><tr>";
  for (size_t i = 0; i < header.size(); ++i) {
    out << (i < text_columns ? "<th class=\"text\">" : "<th>") << Escape(header[i]) << "</th>";
  }
  out << "</tr>\n";
  for (const std::vector<std::string>& row : rows) {
    out << "<tr>";
    for (size_t i = 0; i < row.size(); ++i) {
      out << (i < text_columns ? "<td class=\"text\">" : "<td>") << Escape(row[i]) << "</td>";
    }
    out << "</tr>\n";
  }
  out << "</table>\n";
}

size_t NextCharBoundary(std::string_view text, size_t pos) {
  while (pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) ++pos;
  return pos;
}

// Renders `text` with one shaded span per token. Text that no token covers
// (spaces a pre-tokenizer dropped) stays unshaded. A token whose text the
// previous token already showed (a second byte-level piece of one
// character, or a "▁" mapped to the next character) is drawn as a thin red
// bar. Offsets are widened to whole characters so no character is cut.
void WriteShadedLine(std::string_view text, const std::vector<TokenSpan>& tokens, std::ostream& out) {
  out << "<span class=\"line\">";
  size_t shown = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const size_t begin = NextCharBoundary(text, std::max<size_t>(tokens[i].begin, shown));
    const size_t end = NextCharBoundary(text, std::max<size_t>(tokens[i].end, begin));
    if (begin > shown) out << Escape(text.substr(shown, begin - shown));
    if (end <= begin) {
      out << "<span class=\"join\" title=\"another token of the same text\"></span>";
      continue;
    }
    const char* kind_class = tokens[i].kind == TokenKind::kUnknown        ? " unk"
                             : tokens[i].kind == TokenKind::kByteFallback ? " fb"
                                                                          : "";
    out << "<span class=\"t" << (i % 2) << kind_class << "\">" << Escape(text.substr(begin, end - begin))
        << "</span>";
    shown = end;
  }
  if (shown < text.size()) out << Escape(text.substr(shown));
  out << "</span>";
}

void WriteSamples(const ComparisonReport& report, std::ostream& out) {
  out << "<h2>Sample lines</h2>\n<p class=\"note\">Each shaded span is one token; <span class=\"unk\">red</span> "
         "marks an unknown token, <span class=\"fb\">yellow</span> a byte-fallback token. A red bar marks a "
         "token whose text the previous token already shows: a second byte of one character, or a "
         "stand-alone ▁ that the tokenizer maps to the next character. Unshaded text belongs to no token "
         "(spaces a pre-tokenizer dropped).</p>\n";
  for (const SampleLine& sample : report.samples) {
    out << "<div class=\"sample\"><div class=\"corpus\">" << Escape(sample.corpus) << "</div><table>\n";
    for (size_t t = 0; t < sample.tokens.size() && t < report.tokenizers.size(); ++t) {
      out << "<tr><td class=\"text\">" << Escape(report.tokenizers[t].name) << " ("
          << sample.tokens[t].size() << ")</td><td>";
      WriteShadedLine(sample.text, sample.tokens[t], out);
      out << "</td></tr>\n";
    }
    out << "</table></div>\n";
  }
}

void WriteCharts(const ComparisonReport& report, std::ostream& out) {
  std::vector<std::string> corpora;
  for (const CorpusInfo& corpus : report.corpora) corpora.push_back(corpus.name);

  out << "<h2>Tokens per word</h2>\n<p class=\"note\">Content tokens divided by ICU words; lower is better.</p>\n";
  WriteLegend(report, out);
  WriteBarChart(corpora, PerCorpusSeries(report, &ComparisonResult::tokens_per_word), 0, 2, out);

  out << "<h2>Sequence length relative to " << Escape(report.baseline) << "</h2>\n"
      << "<p class=\"note\">Tokens divided by the baseline's tokens on the same corpus; the dashed line is "
         "1.00.</p>\n";
  WriteLegend(report, out);
  WriteBarChart(corpora, PerCorpusSeries(report, &ComparisonResult::relative_length), 1.0, 2, out);

  out << "<h2>Token length</h2>\n<p class=\"note\">Percent of tokens (all corpora) by the number of bytes "
         "each token stands for.</p>\n";
  WriteLegend(report, out);
  std::vector<std::string> buckets;
  for (size_t k = 1; k < analysis::kTokenLengthBuckets; ++k) {
    buckets.push_back(analysis::LengthBucketLabel(k, analysis::kTokenLengthBuckets));
  }
  std::vector<Series> series;
  for (size_t t = 0; t < report.tokenizers.size(); ++t) {
    const std::vector<double> shares = analysis::TokenLengthShares(report, t);
    Series s{report.tokenizers[t].name, {}};
    for (size_t k = 1; k < analysis::kTokenLengthBuckets; ++k) {
      s.values.push_back(100.0 * (k < shares.size() ? shares[k] : 0.0));
    }
    series.push_back(std::move(s));
  }
  WriteBarChart(buckets, series, 0, 1, out);
}

void WriteTables(const ComparisonReport& report, std::ostream& out) {
  out << "<h2>Corpora</h2>\n";
  std::vector<std::vector<std::string>> corpus_rows;
  for (const CorpusInfo& c : report.corpora) {
    corpus_rows.push_back({c.name, FilesCell(c), FormatCount(c.bytes), FormatCount(c.characters),
                           FormatCount(c.words), FormatCount(c.sequences), FormatCount(c.lines)});
  }
  WriteTable({"corpus", "files", "bytes", "characters", "words", "sequences", "lines"}, corpus_rows, 1, out);

  out << "<h2>Results</h2>\n";
  std::vector<std::vector<std::string>> rows;
  for (const ComparisonResult& r : report.results) {
    rows.push_back({r.corpus, r.tokenizer, FormatCount(r.tokens), FormatFixed(r.relative_length, 3),
                    FormatFixed(r.bytes_per_token, 2), FormatFixed(r.characters_per_token, 2),
                    FormatFixed(r.tokens_per_word, 3), FormatPercent(r.continued_word_share),
                    FormatPercent(r.unk_rate), FormatPercent(r.byte_fallback_rate),
                    FormatPercent(r.roundtrip_failure_share), FormatPercent(r.vocab_utilization),
                    absl::StrCat(r.tokens_per_sequence.p50, " / ", r.tokens_per_sequence.p90, " / ",
                                 r.tokens_per_sequence.p99)});
  }
  WriteTable({"corpus", "tokenizer", "tokens", "relative length", "bytes/token", "chars/token", "tokens/word",
              "split words", "unk", "byte fallback", "roundtrip failures", "vocab used",
              "tokens/seq p50 / p90 / p99"},
             rows, 2, out);

  std::vector<std::vector<std::string>> unknown_rows;
  for (const ComparisonResult& r : report.results) {
    for (const TextCount& text : r.unknown_texts) {
      unknown_rows.push_back({r.tokenizer, r.corpus, analysis::VisibleText(text.text), FormatCount(text.count)});
    }
  }
  if (!unknown_rows.empty()) {
    out << "<h2>Text behind unknown tokens</h2>\n";
    WriteTable({"tokenizer", "corpus", "text", "count"}, unknown_rows, 3, out);
  }

  if (!report.word_splits.empty()) {
    out << "<h2>Word splits</h2>\n<p class=\"note\">✗ marks a word that is not a single token.</p>\n";
    std::vector<std::string> header = {"word"};
    for (const TokenizerInfo& t : report.tokenizers) header.push_back(t.name);
    std::vector<std::vector<std::string>> split_rows;
    for (const WordSplit& split : report.word_splits) {
      std::vector<std::string> row = {split.word};
      for (const std::vector<std::string>& tokens : split.tokens) {
        row.push_back(absl::StrCat(tokens.size() == 1 ? "" : "✗ ", analysis::JoinTokens(tokens)));
      }
      split_rows.push_back(std::move(row));
    }
    WriteTable(header, split_rows, header.size(), out);
  }

  if (!report.overlaps.empty()) {
    out << "<h2>Vocabulary overlap</h2>\n<p class=\"note\">Spellings mapped to raw bytes (Ġ and ▁ to a space, "
           "&lt;0xNN&gt; to its byte, ## dropped).</p>\n";
    std::vector<std::vector<std::string>> overlap_rows;
    for (const VocabularyOverlap& o : report.overlaps) {
      overlap_rows.push_back({o.first, o.second, FormatCount(o.first_size), FormatCount(o.second_size),
                              FormatCount(o.shared), FormatFixed(o.jaccard, 3)});
    }
    WriteTable({"tokenizer", "other", "size", "other size", "shared", "jaccard"}, overlap_rows, 2, out);
  }
}

}  // namespace

void WriteHtmlReport(const ComparisonReport& report, std::ostream& out) {
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      << "<title>Tokenizer comparison</title>\n<style>" << kStyle << "</style></head>\n<body>\n"
      << "<h1>Tokenizer comparison</h1>\n<p class=\"note\">" << report.tokenizers.size() << " tokenizers on "
      << report.corpora.size() << " corpora; each "
      << (report.by_line ? "non-empty line" : "file or JSON Lines record") << " is one sequence";
  if (report.max_bytes > 0) out << "; each corpus is cut to its first " << FormatCount(report.max_bytes) << " bytes";
  out << ". Computed in " << FormatFixed(report.seconds, 2) << " s on " << report.threads << " threads.</p>\n";

  out << "<h2>Tokenizers</h2>\n";
  std::vector<std::vector<std::string>> tokenizer_rows;
  for (const TokenizerInfo& t : report.tokenizers) {
    tokenizer_rows.push_back({t.name, std::string(TokenSpellingName(t.spelling)),
                              t.unk_token.empty() ? "none" : t.unk_token, FormatCount(t.vocab_size)});
  }
  WriteTable({"tokenizer", "spelling", "unknown token", "ids"}, tokenizer_rows, 3, out);

  WriteCharts(report, out);
  WriteTables(report, out);
  WriteSamples(report, out);
  out << "</body></html>\n";
}

}  // namespace tokforge
