// Hugging Face's BertPreTokenizer.

#ifndef TOKFORGE_PRETOKENIZERS_BERT_H_
#define TOKFORGE_PRETOKENIZERS_BERT_H_

#include <memory>

#include "absl/status/statusor.h"
#include "components.h"

namespace tokforge::internal {

// Splits on whitespace (the Unicode White_Space property), dropping it, then makes every punctuation character
// (ASCII punctuation, which includes symbols such as '$' and '+', or Unicode
// category P*) a piece of its own.
class BertPreTokenizer : public PreTokenizer {
 public:
  void PreTokenize(const NormalizedString& piece,
                   std::vector<NormalizedString>* out) const override;
  bool HasTextSplit() const override { return true; }
  void SplitText(std::string_view text, std::vector<std::string_view>* pieces,
                 std::deque<std::string>* arena) const override;
};

absl::StatusOr<std::unique_ptr<PreTokenizer>> CreateBertPreTokenizer(const Json& config,
                                                                     const JsonLocation& where);

}  // namespace tokforge::internal

#endif  // TOKFORGE_PRETOKENIZERS_BERT_H_
