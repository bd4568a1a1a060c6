// Number and text formatting shared by the report writers.

#ifndef TOKFORGE_ANALYSIS_REPORT_FORMAT_H_
#define TOKFORGE_ANALYSIS_REPORT_FORMAT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/measure.h"
#include "tokforge/analysis.h"

namespace tokforge::analysis {

// Buckets of ComparisonResult::token_length_histogram.
inline constexpr size_t kTokenLengthBuckets = kLongTokenBytes + 1;

// "1,234,567".
std::string FormatCount(uint64_t value);
// The files of a corpus for a table cell: "339 of 3,778" when fewer files
// gave text than were found (max_bytes stopped early, or files were empty),
// else "3,778".
std::string FilesCell(const CorpusInfo& corpus);
// Fixed-point with `digits` decimals.
std::string FormatFixed(double value, int digits);
// A share as a percentage with two decimals: 0.01234 -> "1.23%".
std::string FormatPercent(double share);

// Makes control characters, spaces at the ends and invalid UTF-8 visible:
// "\n", "\t", "\r", "\x00", "␠" for a space at either end.
std::string VisibleText(std::string_view text);

// Tokens of a word split, joined by " · ".
std::string JoinTokens(const std::vector<std::string>& tokens);

// Share of all tokens of tokenizer `t` (over every corpus) in each
// token-length bucket.
std::vector<double> TokenLengthShares(const ComparisonReport& report, size_t t);

// Label of histogram bucket `k`: "1" ... "15", "16+".
std::string LengthBucketLabel(size_t k, size_t buckets);

}  // namespace tokforge::analysis

#endif  // TOKFORGE_ANALYSIS_REPORT_FORMAT_H_
