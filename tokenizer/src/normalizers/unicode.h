// Unicode normalization forms (NFC, NFD, NFKC, NFKD) through ICU, keeping
// the alignment to the original text.

#ifndef TOKFORGE_NORMALIZERS_UNICODE_H_
#define TOKFORGE_NORMALIZERS_UNICODE_H_

#include <memory>

#include "components.h"

namespace tokforge {

absl::StatusOr<std::unique_ptr<internal::Normalizer>> CreateNfcNormalizer(
    const internal::Json& config, const internal::JsonLocation& where);
absl::StatusOr<std::unique_ptr<internal::Normalizer>> CreateNfdNormalizer(
    const internal::Json& config, const internal::JsonLocation& where);
absl::StatusOr<std::unique_ptr<internal::Normalizer>> CreateNfkcNormalizer(
    const internal::Json& config, const internal::JsonLocation& where);
absl::StatusOr<std::unique_ptr<internal::Normalizer>> CreateNfkdNormalizer(
    const internal::Json& config, const internal::JsonLocation& where);

}  // namespace tokforge

#endif  // TOKFORGE_NORMALIZERS_UNICODE_H_
