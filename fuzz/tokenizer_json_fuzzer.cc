// Loads arbitrary bytes as a tokenizer.json. A document that loads must also
// encode, decode and serialize without crashing, and its serialization must
// load again.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tokforge/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<tokforge::Tokenizer> tokenizer = tokforge::Tokenizer::FromJson(json, "fuzz.json");
  if (!tokenizer.ok()) return 0;

  const tokforge::Encoding encoding = tokenizer->Encode("Hello, wörld! 123 \xff <s> [CLS]");
  if (encoding.ids.size() != encoding.tokens.size() ||
      encoding.ids.size() != encoding.offsets.size()) {
    std::abort();
  }
  tokenizer->Decode(encoding.ids);

  absl::StatusOr<tokforge::Tokenizer> reloaded =
      tokforge::Tokenizer::FromJson(tokenizer->ToJson(false), "fuzz.json (saved)");
  if (!reloaded.ok()) std::abort();
  return 0;
}
