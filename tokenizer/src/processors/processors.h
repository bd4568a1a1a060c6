// Post-processors: ByteLevel (offset trimming), TemplateProcessing,
// RobertaProcessing, BertProcessing and Sequence. Only single sequences are
// encoded, so the "pair" templates are checked but not used.

#ifndef TOKFORGE_PROCESSORS_PROCESSORS_H_
#define TOKFORGE_PROCESSORS_PROCESSORS_H_

#include <memory>

#include "components.h"

namespace tokforge {

absl::StatusOr<std::unique_ptr<internal::PostProcessor>> CreateByteLevelProcessor(
    const internal::Json& config, const internal::JsonLocation& where);
absl::StatusOr<std::unique_ptr<internal::PostProcessor>> CreateTemplateProcessor(
    const internal::Json& config, const internal::JsonLocation& where);
absl::StatusOr<std::unique_ptr<internal::PostProcessor>> CreateRobertaProcessor(
    const internal::Json& config, const internal::JsonLocation& where);
absl::StatusOr<std::unique_ptr<internal::PostProcessor>> CreateBertProcessor(
    const internal::Json& config, const internal::JsonLocation& where);
absl::StatusOr<std::unique_ptr<internal::PostProcessor>> CreateSequenceProcessor(
    const internal::Json& config, const internal::JsonLocation& where);

}  // namespace tokforge

#endif  // TOKFORGE_PROCESSORS_PROCESSORS_H_
