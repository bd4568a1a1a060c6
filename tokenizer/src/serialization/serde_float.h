// JSON number parsing that reproduces Rust's serde_json, which Hugging Face
// tokenizers uses to read tokenizer.json.
//
// serde_json (without its "float_roundtrip" feature, the default and the
// configuration of tokenizers 0.23) converts a decimal number as
// (significand as f64) * 10^exp or / 10^-exp, rounding twice, so about a
// quarter of the scores in a typical Unigram vocabulary come out one unit in
// the last place away from the correctly rounded value that nlohmann::json
// (strtod) returns. Viterbi ties between segmentations with the same pieces
// in another order are decided by those last bits, so exact parity needs the
// same values.

#ifndef TOKFORGE_SERIALIZATION_SERDE_FLOAT_H_
#define TOKFORGE_SERIALIZATION_SERDE_FLOAT_H_

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

namespace tokforge::internal {

// Converts a JSON number literal as serde_json's f64 parser does. Returns
// nullopt where serde_json reports an error (malformed text, or a magnitude
// that overflows to infinity).
std::optional<double> ParseSerdeJsonFloat(std::string_view literal);

// Parses JSON like nlohmann::json::parse without exceptions, except that
// floating-point numbers take the value ParseSerdeJsonFloat gives their text.
// Returns a discarded value (is_discarded()) on a syntax error.
nlohmann::json ParseJsonWithSerdeFloats(std::string_view text);

}  // namespace tokforge::internal

#endif  // TOKFORGE_SERIALIZATION_SERDE_FLOAT_H_
