// Tokenizer-independent measures of a text: characters, lines and words.

#ifndef TOKFORGE_ANALYSIS_TEXT_STATS_H_
#define TOKFORGE_ANALYSIS_TEXT_STATS_H_

#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"

#include <unicode/uversion.h>

// ICU names its namespace icu_72 and aliases it as icu, so forward
// declarations go through its own macros.
U_NAMESPACE_BEGIN
class BreakIterator;
U_NAMESPACE_END

namespace tokforge::analysis {

// Byte range [begin, end) of one word in a text.
using ByteSpan = std::pair<uint32_t, uint32_t>;

// Number of code points, counting each invalid UTF-8 byte as one.
uint64_t CountCharacters(std::string_view text);

// Number of lines: newline characters, plus one for a last line without one.
uint64_t CountLines(std::string_view text);

// Finds words with ICU's word break rules (UAX #29 plus dictionaries for
// Thai, Chinese, Japanese and others). A word is a segment whose rule status
// is not UBRK_WORD_NONE, so spaces and punctuation are not words. Not
// thread-safe: use one WordSegmenter per thread.
class WordSegmenter {
 public:
  WordSegmenter();
  ~WordSegmenter();
  WordSegmenter(const WordSegmenter&) = delete;
  WordSegmenter& operator=(const WordSegmenter&) = delete;

  // Not OK when ICU could not build the iterator; Segment then finds no word.
  const absl::Status& status() const { return status_; }

  // Replaces `words` with the byte spans of the words of `text` (UTF-8; an
  // invalid byte reads as U+FFFD). Texts longer than 4 GiB are not supported.
  void Segment(std::string_view text, std::vector<ByteSpan>* words);

 private:
  std::unique_ptr<icu::BreakIterator> iterator_;
  absl::Status status_;
};

}  // namespace tokforge::analysis

#endif  // TOKFORGE_ANALYSIS_TEXT_STATS_H_
