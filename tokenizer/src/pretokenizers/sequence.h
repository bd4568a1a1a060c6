// The Sequence pre-tokenizer: runs its children in order on every piece.

#ifndef TOKFORGE_PRETOKENIZERS_SEQUENCE_H_
#define TOKFORGE_PRETOKENIZERS_SEQUENCE_H_

#include <memory>

#include "components.h"

namespace tokforge {

absl::StatusOr<std::unique_ptr<internal::PreTokenizer>> CreateSequencePreTokenizer(
    const internal::Json& config, const internal::JsonLocation& where);

}  // namespace tokforge

#endif  // TOKFORGE_PRETOKENIZERS_SEQUENCE_H_
