// The Split pre-tokenizer and the delimiter behaviours it shares with the
// other splitting pre-tokenizers.

#ifndef TOKFORGE_PRETOKENIZERS_SPLIT_H_
#define TOKFORGE_PRETOKENIZERS_SPLIT_H_

#include <memory>
#include <string_view>
#include <vector>

#include "components.h"
#include "pretokenizers/regex.h"

namespace tokforge {

// What happens to the matched delimiters, named as in tokenizer.json.
enum class SplitBehavior { kRemoved, kIsolated, kMergedWithPrevious, kMergedWithNext, kContiguous };

absl::StatusOr<SplitBehavior> ParseSplitBehavior(const internal::Json& config,
                                                 const internal::JsonLocation& where);

// Splits `piece` at `matches` (byte ranges of delimiters, in order) as
// Hugging Face's NormalizedString::split does; `invert` swaps the roles of
// matches and the text between them. Empty pieces are dropped.
void SplitAtMatches(const internal::NormalizedString& piece, const MatchList& matches,
                    SplitBehavior behavior, bool invert,
                    std::vector<internal::NormalizedString>* out);

// The byte ranges of the pieces that SplitAtMatches gives for a text of
// `size` bytes, appended to `ranges`.
void SplitRanges(size_t size, const MatchList& matches, SplitBehavior behavior, bool invert,
                 MatchList* ranges);
// SplitAtMatches on plain text: appends views of `text`.
void SplitTextAtMatches(std::string_view text, const MatchList& matches, SplitBehavior behavior,
                        bool invert, std::vector<std::string_view>* out);

class SplitPreTokenizer : public internal::PreTokenizer {
 public:
  SplitPreTokenizer(std::unique_ptr<Regex> regex, SplitBehavior behavior, bool invert)
      : regex_(std::move(regex)), behavior_(behavior), invert_(invert) {}
  void PreTokenize(const internal::NormalizedString& piece,
                   std::vector<internal::NormalizedString>* out) const override;
  bool HasTextSplit() const override { return true; }
  void SplitText(std::string_view text, std::vector<std::string_view>* pieces,
                 std::deque<std::string>* arena) const override;
  const Regex& regex() const { return *regex_; }
  SplitBehavior behavior() const { return behavior_; }
  bool invert() const { return invert_; }

 private:
  std::unique_ptr<Regex> regex_;
  SplitBehavior behavior_;
  bool invert_;
};

// Reads a {"String": s} or {"Regex": r} pattern object.
absl::StatusOr<std::unique_ptr<Regex>> ReadPattern(const internal::Json& config,
                                                   const internal::JsonLocation& where);

absl::StatusOr<std::unique_ptr<internal::PreTokenizer>> CreateSplitPreTokenizer(
    const internal::Json& config, const internal::JsonLocation& where);

}  // namespace tokforge

#endif  // TOKFORGE_PRETOKENIZERS_SPLIT_H_
