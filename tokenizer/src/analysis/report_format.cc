#include "analysis/report_format.h"

#include <unicode/uchar.h>

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "util/utf8.h"

namespace tokforge::analysis {
namespace {

// Whitespace other than the ASCII space, and format characters (zero-width
// joiners, byte order marks, directional marks), which print as nothing or
// as a plain space.
bool IsInvisible(char32_t code_point) {
  const int8_t category = u_charType(static_cast<UChar32>(code_point));
  return category == U_SPACE_SEPARATOR || category == U_LINE_SEPARATOR ||
         category == U_PARAGRAPH_SEPARATOR || category == U_FORMAT_CHAR || code_point == 0x85;
}

}  // namespace

std::string FormatCount(uint64_t value) {
  std::string digits = absl::StrCat(value);
  std::string result;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) result.push_back(',');
    result.push_back(digits[i]);
  }
  return result;
}

std::string FormatFixed(double value, int digits) { return absl::StrFormat("%.*f", digits, value); }

std::string FormatPercent(double share) { return absl::StrFormat("%.2f%%", 100.0 * share); }

std::string VisibleText(std::string_view text) {
  std::string out;
  for (size_t pos = 0; pos < text.size();) {
    const DecodedChar c = DecodeUtf8(text, pos);
    const unsigned char byte = static_cast<unsigned char>(text[pos]);
    if (c.code_point == kInvalidCodePoint || c.code_point < 0x20 || c.code_point == 0x7F) {
      if (c.code_point == '\n') {
        out += "\\n";
      } else if (c.code_point == '\t') {
        out += "\\t";
      } else if (c.code_point == '\r') {
        out += "\\r";
      } else {
        out += absl::StrFormat("\\x%02X", byte);
      }
    } else if (c.code_point == ' ' && (pos == 0 || pos + 1 == text.size())) {
      out += "\xE2\x90\xA0";  // U+2420 SYMBOL FOR SPACE
    } else if (IsInvisible(c.code_point)) {
      out += absl::StrFormat("U+%04X", static_cast<uint32_t>(c.code_point));
    } else {
      out.append(text.substr(pos, c.length));
    }
    pos += c.length;
  }
  return out;
}

std::string JoinTokens(const std::vector<std::string>& tokens) {
  return absl::StrJoin(tokens, " \xC2\xB7 ");  // middle dot
}

std::vector<double> TokenLengthShares(const ComparisonReport& report, size_t t) {
  std::vector<uint64_t> counts;
  uint64_t total = 0;
  for (size_t c = 0; c < report.corpora.size(); ++c) {
    const std::vector<uint64_t>& histogram = report.at(c, t).token_length_histogram;
    if (counts.size() < histogram.size()) counts.resize(histogram.size(), 0);
    for (size_t k = 0; k < histogram.size(); ++k) {
      counts[k] += histogram[k];
      total += histogram[k];
    }
  }
  std::vector<double> shares(counts.size(), 0.0);
  for (size_t k = 0; k < counts.size(); ++k) {
    shares[k] = total == 0 ? 0.0 : static_cast<double>(counts[k]) / static_cast<double>(total);
  }
  return shares;
}

std::string LengthBucketLabel(size_t k, size_t buckets) {
  return k + 1 == buckets ? absl::StrCat(k, "+") : absl::StrCat(k);
}

std::string FilesCell(const CorpusInfo& corpus) {
  if (corpus.files_read == corpus.files) return FormatCount(corpus.files);
  return absl::StrCat(FormatCount(corpus.files_read), " of ", FormatCount(corpus.files));
}

}  // namespace tokforge::analysis
