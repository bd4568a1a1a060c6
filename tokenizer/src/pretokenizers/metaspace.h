// The Metaspace pre-tokenizer of SentencePiece-style tokenizers: spaces
// become the replacement character (U+2581 by default), an optional one is
// prepended, and pieces start at each replacement character.

#ifndef TOKFORGE_PRETOKENIZERS_METASPACE_H_
#define TOKFORGE_PRETOKENIZERS_METASPACE_H_

#include <memory>
#include <string>
#include <vector>

#include "components.h"

namespace tokforge {

enum class PrependScheme { kAlways, kFirst, kNever };

// Reads "prepend_scheme", or the legacy boolean "add_prefix_space" of files
// written before the scheme existed.
absl::StatusOr<PrependScheme> ReadPrependScheme(const internal::Json& config,
                                                const internal::JsonLocation& where);
// Reads the one-character "replacement" as UTF-8.
absl::StatusOr<std::string> ReadReplacement(const internal::Json& config,
                                            const internal::JsonLocation& where);

class MetaspacePreTokenizer : public internal::PreTokenizer {
 public:
  MetaspacePreTokenizer(std::string replacement, PrependScheme scheme, bool split)
      : replacement_(std::move(replacement)), scheme_(scheme), split_(split) {}
  void PreTokenize(const internal::NormalizedString& piece,
                   std::vector<internal::NormalizedString>* out) const override;
  // With prepend_scheme "first", pieces depend on where they sit in the input.
  bool HasTextSplit() const override { return scheme_ != PrependScheme::kFirst; }
  void SplitText(std::string_view text, std::vector<std::string_view>* pieces,
                 std::deque<std::string>* arena) const override;

 private:
  std::string replacement_;
  PrependScheme scheme_;
  bool split_;
};

absl::StatusOr<std::unique_ptr<internal::PreTokenizer>> CreateMetaspacePreTokenizer(
    const internal::Json& config, const internal::JsonLocation& where);

}  // namespace tokforge

#endif  // TOKFORGE_PRETOKENIZERS_METASPACE_H_
