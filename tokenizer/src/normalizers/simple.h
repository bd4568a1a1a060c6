// Small normalizers: Lowercase, Strip, Replace, Prepend and Sequence.

#ifndef TOKFORGE_NORMALIZERS_SIMPLE_H_
#define TOKFORGE_NORMALIZERS_SIMPLE_H_

#include <memory>

#include "components.h"

namespace tokforge {

// Lowercase: the full lower-case mapping of each character on its own, so
// no context-dependent rule (final sigma) applies, as in Rust's
// char::to_lowercase.
absl::StatusOr<std::unique_ptr<internal::Normalizer>> CreateLowercaseNormalizer(
    const internal::Json& config, const internal::JsonLocation& where);
// Strip: removes White_Space characters at the start ("left") and end ("right").
absl::StatusOr<std::unique_ptr<internal::Normalizer>> CreateStripNormalizer(
    const internal::Json& config, const internal::JsonLocation& where);
// Replace: replaces every match of "pattern" with "content".
absl::StatusOr<std::unique_ptr<internal::Normalizer>> CreateReplaceNormalizer(
    const internal::Json& config, const internal::JsonLocation& where);
// Prepend: puts "prepend" in front of a non-empty text.
absl::StatusOr<std::unique_ptr<internal::Normalizer>> CreatePrependNormalizer(
    const internal::Json& config, const internal::JsonLocation& where);
// Sequence: runs "normalizers" in order.
absl::StatusOr<std::unique_ptr<internal::Normalizer>> CreateSequenceNormalizer(
    const internal::Json& config, const internal::JsonLocation& where);

}  // namespace tokforge

#endif  // TOKFORGE_NORMALIZERS_SIMPLE_H_
