#include "pretokenizers/split.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "util/strings.h"

namespace tokforge {

using internal::Json;
using internal::JsonLocation;
using internal::NormalizedString;

absl::StatusOr<SplitBehavior> ParseSplitBehavior(const Json& config, const JsonLocation& where) {
  absl::StatusOr<std::string> name = internal::ReadString(config, "behavior", where);
  if (!name.ok()) return name.status();
  if (*name == "Removed") return SplitBehavior::kRemoved;
  if (*name == "Isolated") return SplitBehavior::kIsolated;
  if (*name == "MergedWithPrevious") return SplitBehavior::kMergedWithPrevious;
  if (*name == "MergedWithNext") return SplitBehavior::kMergedWithNext;
  if (*name == "Contiguous") return SplitBehavior::kContiguous;
  return where.Child("behavior").Error(absl::StrCat(
      "unknown split behavior \"", *name,
      "\" (expected Removed, Isolated, MergedWithPrevious, MergedWithNext or Contiguous)"));
}

void SplitRanges(size_t size, const MatchList& matches, SplitBehavior behavior, bool invert,
                 MatchList* ranges) {
  // Parts covering the piece: (begin, end, is_delimiter).
  struct Part {
    size_t begin;
    size_t end;
    bool delimiter;
  };
  // Reused between calls: this runs once or more per piece of text.
  thread_local std::vector<Part> parts;
  thread_local std::vector<Part> merged;
  parts.clear();
  merged.clear();
  size_t previous = 0;
  for (const auto& [begin, end] : matches) {
    if (previous != begin) parts.push_back({previous, begin, invert});
    parts.push_back({begin, end, !invert});
    previous = end;
  }
  if (previous != size || parts.empty()) parts.push_back({previous, size, invert});

  switch (behavior) {
    case SplitBehavior::kRemoved:
      for (const Part& part : parts) {
        if (!part.delimiter) merged.push_back(part);
      }
      break;
    case SplitBehavior::kIsolated:
      merged = parts;
      break;
    case SplitBehavior::kMergedWithPrevious: {
      bool previous_delimiter = false;
      for (const Part& part : parts) {
        if (part.delimiter && !previous_delimiter && !merged.empty()) {
          merged.back().end = part.end;
        } else {
          merged.push_back(part);
        }
        previous_delimiter = part.delimiter;
      }
      break;
    }
    case SplitBehavior::kMergedWithNext: {
      bool next_delimiter = false;
      for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
        if (it->delimiter && !next_delimiter && !merged.empty()) {
          merged.back().begin = it->begin;
        } else {
          merged.push_back(*it);
        }
        next_delimiter = it->delimiter;
      }
      std::reverse(merged.begin(), merged.end());
      break;
    }
    case SplitBehavior::kContiguous: {
      bool previous_delimiter = false;
      for (const Part& part : parts) {
        if (part.delimiter == previous_delimiter && !merged.empty()) {
          merged.back().end = part.end;
        } else {
          merged.push_back(part);
        }
        previous_delimiter = part.delimiter;
      }
      break;
    }
  }
  for (const Part& part : merged) {
    if (part.begin < part.end) ranges->emplace_back(part.begin, part.end);
  }
}

void SplitAtMatches(const NormalizedString& piece, const MatchList& matches,
                    SplitBehavior behavior, bool invert, std::vector<NormalizedString>* out) {
  thread_local MatchList ranges;
  ranges.clear();
  SplitRanges(piece.size(), matches, behavior, invert, &ranges);
  for (const auto& [begin, end] : ranges) out->push_back(piece.Slice(begin, end));
}

void SplitTextAtMatches(std::string_view text, const MatchList& matches, SplitBehavior behavior,
                        bool invert, std::vector<std::string_view>* out) {
  thread_local MatchList ranges;
  ranges.clear();
  SplitRanges(text.size(), matches, behavior, invert, &ranges);
  for (const auto& [begin, end] : ranges) out->push_back(text.substr(begin, end - begin));
}

void SplitPreTokenizer::PreTokenize(const NormalizedString& piece,
                                    std::vector<NormalizedString>* out) const {
  MatchList matches;
  regex_->FindAll(piece.str(), &matches);
  SplitAtMatches(piece, matches, behavior_, invert_, out);
}

void SplitPreTokenizer::SplitText(std::string_view text, std::vector<std::string_view>* pieces,
                                  std::deque<std::string>* /*arena*/) const {
  thread_local MatchList matches;
  matches.clear();
  regex_->FindAll(text, &matches);
  SplitTextAtMatches(text, matches, behavior_, invert_, pieces);
}

absl::StatusOr<std::unique_ptr<Regex>> ReadPattern(const Json& config, const JsonLocation& where) {
  const JsonLocation pattern_where = where.Child("pattern");
  const auto pattern = config.find("pattern");
  if (pattern == config.end() || !pattern->is_object() || pattern->size() != 1) {
    return pattern_where.Error("expected {\"String\": ...} or {\"Regex\": ...}");
  }
  if (const auto text = pattern->find("String"); text != pattern->end()) {
    if (!text->is_string()) return pattern_where.Child("String").Error("expected a string");
    return Regex::Literal(text->get<std::string>());
  }
  if (const auto text = pattern->find("Regex"); text != pattern->end()) {
    if (!text->is_string()) return pattern_where.Child("Regex").Error("expected a string");
    absl::StatusOr<std::unique_ptr<Regex>> regex = Regex::Compile(text->get<std::string>());
    if (!regex.ok()) return pattern_where.Child("Regex").Error(ToStd(regex.status().message()));
    return regex;
  }
  return pattern_where.Error("expected {\"String\": ...} or {\"Regex\": ...}");
}

absl::StatusOr<std::unique_ptr<internal::PreTokenizer>> CreateSplitPreTokenizer(
    const Json& config, const JsonLocation& where) {
  absl::StatusOr<std::unique_ptr<Regex>> regex = ReadPattern(config, where);
  if (!regex.ok()) return regex.status();
  absl::StatusOr<SplitBehavior> behavior = ParseSplitBehavior(config, where);
  if (!behavior.ok()) return behavior.status();
  absl::StatusOr<bool> invert = internal::ReadBool(config, "invert", false, where);
  if (!invert.ok()) return invert.status();
  return std::make_unique<SplitPreTokenizer>(*std::move(regex), *behavior, *invert);
}

}  // namespace tokforge
