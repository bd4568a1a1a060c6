// Writes tokenizer.json text in the field order Hugging Face uses.

#ifndef TOKFORGE_SERIALIZATION_JSON_WRITER_H_
#define TOKFORGE_SERIALIZATION_JSON_WRITER_H_

#include <string>

#include <nlohmann/json.hpp>

namespace tokforge {

// Serializes a tokenizer.json document. Top-level fields come in Hugging
// Face's order (version, truncation, padding, added_tokens, normalizer,
// pre_tokenizer, post_processor, decoder, model), "type" leads every
// component, and model.vocab is written in id order; other objects keep the
// sorted key order of nlohmann::json. With `indent` < 0 the output is one line.
std::string WriteTokenizerJson(const nlohmann::json& document, int indent);

}  // namespace tokforge

#endif  // TOKFORGE_SERIALIZATION_JSON_WRITER_H_
