#include "analysis/measure.h"

#include <algorithm>
#include <string>
#include <string_view>

#include "util/utf8.h"

namespace tokforge::analysis {

void Accumulator::Merge(const Accumulator& other) {
  tokens += other.tokens;
  continued_words += other.continued_words;
  unk_tokens += other.unk_tokens;
  byte_fallback_tokens += other.byte_fallback_tokens;
  roundtrip_failed_lines += other.roundtrip_failed_lines;
  for (size_t i = 0; i < length_histogram.size(); ++i) length_histogram[i] += other.length_histogram[i];
  for (const auto& [text, count] : other.unknown_texts) unknown_texts[text] += count;
}

uint64_t CountContinuedWords(const std::vector<ByteSpan>& words,
                             const std::vector<std::pair<size_t, size_t>>& token_offsets) {
  uint64_t continued = 0;
  size_t first_token = 0;
  for (const auto& [word_begin, word_end] : words) {
    // Tokens that end before the word cannot cover it or any later word.
    while (first_token < token_offsets.size() && token_offsets[first_token].second <= word_begin) {
      ++first_token;
    }
    int covering = 0;
    for (size_t t = first_token; t < token_offsets.size() && token_offsets[t].first < word_end; ++t) {
      if (token_offsets[t].second > word_begin && token_offsets[t].first < token_offsets[t].second) {
        if (++covering == 2) break;
      }
    }
    if (covering >= 2) ++continued;
  }
  return continued;
}

uint64_t CountRoundtripFailedLines(std::string_view original, std::string_view decoded) {
  if (original == decoded) return 0;
  const uint64_t original_lines = CountLines(original);
  if (original_lines != CountLines(decoded)) return std::max<uint64_t>(original_lines, 1);
  uint64_t failed = 0;
  while (!original.empty()) {
    const size_t original_end = original.find('\n');
    const size_t decoded_end = decoded.find('\n');
    if (original.substr(0, original_end) != decoded.substr(0, decoded_end)) ++failed;
    if (original_end == std::string_view::npos) break;
    original.remove_prefix(original_end + 1);
    decoded.remove_prefix(decoded_end == std::string_view::npos ? decoded.size() : decoded_end + 1);
  }
  // Equal line texts with a difference in the final newline still differ.
  return std::max<uint64_t>(failed, 1);
}

std::string UnknownText(std::string_view text, size_t begin, size_t end) {
  constexpr size_t kMaxBytes = 40;
  begin = std::min(begin, text.size());
  end = std::clamp(end, begin, text.size());
  std::string_view covered = text.substr(begin, end - begin);
  if (covered.size() <= kMaxBytes) return std::string(covered);
  size_t cut = 0;
  while (cut < covered.size()) {
    const size_t next = cut + DecodeUtf8(covered, cut).length;
    if (next > kMaxBytes) break;
    cut = next;
  }
  return std::string(covered.substr(0, cut)) + "\xE2\x80\xA6";  // "…"
}

uint64_t MeasureSequence(const Tokenizer& tokenizer, const VocabularyTables& tables,
                         std::string_view text, const std::vector<ByteSpan>& words,
                         std::vector<std::atomic<uint8_t>>* seen, Accumulator* accumulator) {
  const Encoding encoding = tokenizer.Encode(text, /*add_special_tokens=*/false);
  const size_t count = encoding.ids.size();
  accumulator->tokens += count;

  for (size_t i = 0; i < count; ++i) {
    const uint32_t id = encoding.ids[i];
    if (id < seen->size() && (*seen)[id].load(std::memory_order_relaxed) == 0) {
      (*seen)[id].store(1, std::memory_order_relaxed);
    }
    if (id < tables.byte_fallback.size() && tables.byte_fallback[id] != 0) {
      ++accumulator->byte_fallback_tokens;
    }
    if (tables.unk_id && id == *tables.unk_id) {
      // An unknown token stands for no fixed bytes, so it stays out of the
      // length histogram.
      ++accumulator->unk_tokens;
      const auto [begin, end] = encoding.offsets[i];
      ++accumulator->unknown_texts[UnknownText(text, begin, end)];
      continue;
    }
    const size_t length = id < tables.raw_length.size() ? tables.raw_length[id] : 0;
    ++accumulator->length_histogram[std::min(length, kLongTokenBytes)];
  }

  accumulator->continued_words += CountContinuedWords(words, encoding.offsets);
  const std::string decoded = tokenizer.Decode(encoding.ids, /*skip_special_tokens=*/false);
  accumulator->roundtrip_failed_lines += CountRoundtripFailedLines(text, decoded);
  return count;
}

}  // namespace tokforge::analysis
