#include "pretokenizers/byte_level.h"

#include "pretokenizers/regex.h"

#include "pretokenizers/gpt2_split.h"
#include "util/byte_level.h"

namespace tokforge {

using internal::NormalizedString;
using internal::NormalizedStringBuilder;

namespace {

NormalizedString MapToAlphabet(const NormalizedString& piece, size_t begin, size_t end) {
  const ByteLevelAlphabet& alphabet = ByteLevelAlphabet::Get();
  NormalizedStringBuilder builder(piece);
  for (size_t i = begin; i < end; ++i) {
    builder.Append(alphabet.Spelling(static_cast<uint8_t>(piece.str()[i])), i, i + 1);
  }
  return std::move(builder).Finish();
}

}  // namespace

void ByteLevelPreTokenizer::PreTokenize(const NormalizedString& input,
                                        std::vector<NormalizedString>* out) const {
  const NormalizedString* piece = &input;
  NormalizedString prefixed;
  if (add_prefix_space_ && !input.empty() && input.str().front() != ' ') {
    NormalizedStringBuilder builder(input);
    builder.Append(" ", 0, 0);
    builder.Copy(0, input.size());
    prefixed = std::move(builder).Finish();
    piece = &prefixed;
  }
  if (!use_regex_) {
    if (!piece->empty()) out->push_back(MapToAlphabet(*piece, 0, piece->size()));
    return;
  }
  SplitGpt2(piece->str(),
            [&](size_t begin, size_t end) { out->push_back(MapToAlphabet(*piece, begin, end)); });
}

bool ByteLevelPreTokenizer::ByteLevelSplit(const Regex** split) const {
  if (add_prefix_space_) return false;
  if (!use_regex_) {
    *split = nullptr;
    return true;
  }
  // The GPT-2 pattern compiles to its hand-written scanner, the same one
  // PreTokenize uses.
  static const Regex* const gpt2 = Regex::Compile(kGpt2Pattern)->release();
  *split = gpt2;
  return true;
}

absl::StatusOr<std::unique_ptr<internal::PreTokenizer>> CreateByteLevelPreTokenizer(
    const internal::Json& config, const internal::JsonLocation& where) {
  // Hugging Face's defaults: add_prefix_space true, use_regex true.
  absl::StatusOr<bool> add_prefix_space = internal::ReadBool(config, "add_prefix_space", true, where);
  if (!add_prefix_space.ok()) return add_prefix_space.status();
  absl::StatusOr<bool> use_regex = internal::ReadBool(config, "use_regex", true, where);
  if (!use_regex.ok()) return use_regex.status();
  absl::StatusOr<bool> trim_offsets = internal::ReadBool(config, "trim_offsets", true, where);
  if (!trim_offsets.ok()) return trim_offsets.status();
  return std::make_unique<ByteLevelPreTokenizer>(*add_prefix_space, *use_regex);
}

}  // namespace tokforge
