// Pre-tokenizers that split at characters of a Unicode class: Whitespace,
// WhitespaceSplit, Digits and Punctuation.

#ifndef TOKFORGE_PRETOKENIZERS_CHAR_SPLIT_H_
#define TOKFORGE_PRETOKENIZERS_CHAR_SPLIT_H_

#include <memory>

#include "components.h"

namespace tokforge {

// Whitespace: keeps the matches of \w+|[^\w\s]+ and drops the rest.
absl::StatusOr<std::unique_ptr<internal::PreTokenizer>> CreateWhitespacePreTokenizer(
    const internal::Json& config, const internal::JsonLocation& where);
// WhitespaceSplit: splits at White_Space characters, which are dropped.
absl::StatusOr<std::unique_ptr<internal::PreTokenizer>> CreateWhitespaceSplitPreTokenizer(
    const internal::Json& config, const internal::JsonLocation& where);
// Digits: isolates runs of \p{N} characters, or each one with
// "individual_digits".
absl::StatusOr<std::unique_ptr<internal::PreTokenizer>> CreateDigitsPreTokenizer(
    const internal::Json& config, const internal::JsonLocation& where);
// Punctuation: splits at ASCII punctuation and \p{P} characters with the
// given "behavior" (default Isolated).
absl::StatusOr<std::unique_ptr<internal::PreTokenizer>> CreatePunctuationPreTokenizer(
    const internal::Json& config, const internal::JsonLocation& where);

}  // namespace tokforge

#endif  // TOKFORGE_PRETOKENIZERS_CHAR_SPLIT_H_
