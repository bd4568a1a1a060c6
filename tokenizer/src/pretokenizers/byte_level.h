// The ByteLevel pre-tokenizer: optional prefix space, the GPT-2 split, and
// the mapping of every byte to the printable GPT-2 byte alphabet.

#ifndef TOKFORGE_PRETOKENIZERS_BYTE_LEVEL_H_
#define TOKFORGE_PRETOKENIZERS_BYTE_LEVEL_H_

#include <memory>
#include <vector>

#include "components.h"

namespace tokforge {

class ByteLevelPreTokenizer : public internal::PreTokenizer {
 public:
  ByteLevelPreTokenizer(bool add_prefix_space, bool use_regex)
      : add_prefix_space_(add_prefix_space), use_regex_(use_regex) {}
  void PreTokenize(const internal::NormalizedString& piece,
                   std::vector<internal::NormalizedString>* out) const override;
  bool ByteLevelSplit(const Regex** split) const override;

 private:
  bool add_prefix_space_;
  bool use_regex_;
};

absl::StatusOr<std::unique_ptr<internal::PreTokenizer>> CreateByteLevelPreTokenizer(
    const internal::Json& config, const internal::JsonLocation& where);

}  // namespace tokforge

#endif  // TOKFORGE_PRETOKENIZERS_BYTE_LEVEL_H_
