#include "pretokenizers/sequence.h"

#include <vector>

namespace tokforge {
namespace {

using internal::NormalizedString;
using internal::PreTokenizer;

class SequencePreTokenizer : public PreTokenizer {
 public:
  explicit SequencePreTokenizer(std::vector<std::unique_ptr<PreTokenizer>> children)
      : children_(std::move(children)) {}

  void PreTokenize(const NormalizedString& piece, std::vector<NormalizedString>* out) const override {
    std::vector<NormalizedString> current{piece};
    std::vector<NormalizedString> next;
    for (const auto& child : children_) {
      next.clear();
      for (const NormalizedString& part : current) child->PreTokenize(part, &next);
      std::swap(current, next);
    }
    for (NormalizedString& part : current) out->push_back(std::move(part));
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
