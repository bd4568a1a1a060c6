#include "pretokenizers/sequence.h"

#include <vector>

#include "pretokenizers/split.h"

namespace tokforge {
namespace {

using internal::NormalizedString;
using internal::PreTokenizer;

class SequencePreTokenizer : public PreTokenizer {
 public:
  explicit SequencePreTokenizer(std::vector<std::unique_ptr<PreTokenizer>> children)
      : children_(std::move(children)) {}

  void PreTokenize(const NormalizedString& piece, std::vector<NormalizedString>* out) const override {
    if (children_.empty()) {
      out->push_back(piece);
      return;
    }
    // The first child reads `piece` itself, which saves a copy of it.
    std::vector<NormalizedString> current;
    children_[0]->PreTokenize(piece, &current);
    std::vector<NormalizedString> next;
    for (size_t i = 1; i < children_.size(); ++i) {
      next.clear();
      for (const NormalizedString& part : current) children_[i]->PreTokenize(part, &next);
      std::swap(current, next);
    }
    for (NormalizedString& part : current) out->push_back(std::move(part));
  }

  bool HasTextSplit() const override {
    for (const auto& child : children_) {
      if (!child->HasTextSplit()) return false;
    }
    return true;
  }
  void SplitText(std::string_view text, std::vector<std::string_view>* pieces,
                 std::deque<std::string>* arena) const override {
    if (children_.empty()) {
      pieces->push_back(text);
      return;
    }
    // Pre-tokenizers may nest, so these buffers cannot be per thread.
    std::vector<std::string_view> current;
    current.reserve(64);
    children_[0]->SplitText(text, &current, arena);
    std::vector<std::string_view> next;
    next.reserve(current.size());
    for (size_t i = 1; i < children_.size(); ++i) {
      next.clear();
      for (const std::string_view part : current) children_[i]->SplitText(part, &next, arena);
      std::swap(current, next);
    }
    pieces->insert(pieces->end(), current.begin(), current.end());
  }

  // The layout that Hugging Face's converters write for tiktoken-style
  // tokenizers: Split(pattern, Isolated) then ByteLevel without its regex.
  bool ByteLevelSplit(const Regex** split) const override {
    if (children_.size() == 1) return children_[0]->ByteLevelSplit(split);
    if (children_.size() != 2) return false;
    const auto* splitter = dynamic_cast<const SplitPreTokenizer*>(children_[0].get());
    const Regex* byte_level_split = nullptr;
    if (splitter == nullptr || splitter->behavior() != SplitBehavior::kIsolated ||
        splitter->invert() || !children_[1]->ByteLevelSplit(&byte_level_split) ||
        byte_level_split != nullptr) {
      return false;
    }
    *split = &splitter->regex();
    return true;
  }

 private:
  std::vector<std::unique_ptr<PreTokenizer>> children_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<PreTokenizer>> CreateSequencePreTokenizer(
    const internal::Json& config, const internal::JsonLocation& where) {
  absl::StatusOr<const internal::Json*> list = internal::ReadArray(config, "pretokenizers", where);
  if (!list.ok()) return list.status();
  std::vector<std::unique_ptr<PreTokenizer>> children;
  for (size_t i = 0; i < (*list)->size(); ++i) {
    auto child = internal::CreatePreTokenizer((**list)[i], where.Child("pretokenizers").Index(i));
    if (!child.ok()) return child.status();
    children.push_back(*std::move(child));
  }
  return std::make_unique<SequencePreTokenizer>(std::move(children));
}

}  // namespace tokforge
