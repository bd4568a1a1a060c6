#include "analysis/text_stats.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "util/utf8.h"

namespace tokforge::analysis {

uint64_t CountCharacters(std::string_view text) {
  uint64_t characters = 0;
  for (size_t pos = 0; pos < text.size();) {
    pos += DecodeUtf8(text, pos).length;
    ++characters;
  }
  return characters;
}

uint64_t CountLines(std::string_view text) {
  const uint64_t newlines = static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n'));
  return newlines + (!text.empty() && text.back() != '\n' ? 1 : 0);
}

WordSegmenter::WordSegmenter() {
  UErrorCode status = U_ZERO_ERROR;
  // The root locale uses the language-neutral rules and ICU's dictionaries.
  iterator_.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status) || iterator_ == nullptr) {
    iterator_.reset();
    status_ = absl::InternalError(absl::StrCat(
        "cannot create ICU's word break iterator (", u_errorName(status),
        "); check that the ICU data library is installed"));
  }
}

WordSegmenter::~WordSegmenter() = default;

void WordSegmenter::Segment(std::string_view text, std::vector<ByteSpan>* words) {
  words->clear();
  if (text.empty() || iterator_ == nullptr) return;
  UErrorCode status = U_ZERO_ERROR;
  UText* utext = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
  if (U_FAILURE(status)) return;
  iterator_->setText(utext, status);
  if (U_SUCCESS(status)) {
    // Indexes of a UTF-8 UText are byte offsets.
    int32_t begin = iterator_->first();
    for (int32_t end = iterator_->next(); end != icu::BreakIterator::DONE;
         begin = end, end = iterator_->next()) {
      if (iterator_->getRuleStatus() >= UBRK_WORD_NONE_LIMIT) {
        words->emplace_back(static_cast<uint32_t>(begin), static_cast<uint32_t>(end));
      }
    }
  }
  utext_close(utext);
}

}  // namespace tokforge::analysis
