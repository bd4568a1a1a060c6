// Decoders: ByteLevel, Metaspace, ByteFallback, Fuse, Strip, Replace and
// Sequence, with Hugging Face's decode_chain semantics.

#ifndef TOKFORGE_DECODERS_DECODERS_H_
#define TOKFORGE_DECODERS_DECODERS_H_

#include <memory>

#include "components.h"

namespace tokforge {

// ByteLevel maps characters of the GPT-2 byte alphabet back to bytes and
// joins the tokens. NOTE: the result stays raw bytes; Hugging Face replaces
// invalid UTF-8 with U+FFFD at this step.
absl::StatusOr<std::unique_ptr<internal::Decoder>> CreateByteLevelDecoder(
    const internal::Json& config, const internal::JsonLocation& where);
absl::StatusOr<std::unique_ptr<internal::Decoder>> CreateMetaspaceDecoder(
    const internal::Json& config, const internal::JsonLocation& where);
absl::StatusOr<std::unique_ptr<internal::Decoder>> CreateByteFallbackDecoder(
    const internal::Json& config, const internal::JsonLocation& where);
absl::StatusOr<std::unique_ptr<internal::Decoder>> CreateFuseDecoder(
    const internal::Json& config, const internal::JsonLocation& where);
absl::StatusOr<std::unique_ptr<internal::Decoder>> CreateStripDecoder(
    const internal::Json& config, const internal::JsonLocation& where);
absl::StatusOr<std::unique_ptr<internal::Decoder>> CreateReplaceDecoder(
    const internal::Json& config, const internal::JsonLocation& where);
absl::StatusOr<std::unique_ptr<internal::Decoder>> CreateSequenceDecoder(
    const internal::Json& config, const internal::JsonLocation& where);

}  // namespace tokforge

#endif  // TOKFORGE_DECODERS_DECODERS_H_
