// Encodes arbitrary bytes with one real tokenizer, chosen at build time by
// TOKFORGE_FUZZ_TOKENIZER, and checks the invariants every encoding must keep.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "tokforge/tokenizer.h"

namespace {

const tokforge::Tokenizer& LoadTokenizer() {
  static const tokforge::Tokenizer* tokenizer = [] {
    absl::StatusOr<tokforge::Tokenizer> loaded =
        tokforge::Tokenizer::FromFile(TOKFORGE_FUZZ_TOKENIZER);
    if (!loaded.ok()) {
      std::fprintf(stderr, "cannot load %s: %s\n", TOKFORGE_FUZZ_TOKENIZER,
                   loaded.status().ToString().c_str());
      std::abort();
    }
    return new tokforge::Tokenizer(*std::move(loaded));
  }();
  return *tokenizer;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const tokforge::Tokenizer& tokenizer = LoadTokenizer();
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  const tokforge::Encoding encoding = tokenizer.Encode(text, /*add_special_tokens=*/false);
  if (encoding.ids.size() != encoding.tokens.size() ||
      encoding.ids.size() != encoding.offsets.size()) {
    std::abort();
  }
  for (const auto& [begin, end] : encoding.offsets) {
    if (begin > end || end > text.size()) std::abort();
  }
  for (uint32_t id : encoding.ids) {
    if (!tokenizer.IdToToken(id)) std::abort();
  }
  if (tokenizer.EncodeIds(text, false) != encoding.ids) std::abort();

  const std::string decoded = tokenizer.Decode(encoding.ids);
  // A byte-level tokenizer must give back exactly the input bytes.
  if (TOKFORGE_FUZZ_BYTE_LEVEL && decoded != text) std::abort();
  return 0;
}
