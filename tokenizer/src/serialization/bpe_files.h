// Readers for BPE vocabularies stored outside tokenizer.json: GPT-2's
// vocab.json + merges.txt pair and tiktoken's .tiktoken rank files. Each
// builds the equivalent tokenizer.json document.

#ifndef TOKFORGE_SERIALIZATION_BPE_FILES_H_
#define TOKFORGE_SERIALIZATION_BPE_FILES_H_

#include <string>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"

namespace tokforge {

// Builds a GPT-2 style tokenizer.json (ByteLevel pre-tokenizer, decoder and
// post-processor) from vocab.json and merges.txt; "<|endoftext|>" becomes a
// special added token when the vocabulary has it.
absl::StatusOr<nlohmann::json> ReadVocabAndMerges(const std::string& vocab_path,
                                                  const std::string& merges_path);

// Builds a tokenizer.json from a tiktoken rank file ("base64 rank" per line).
// The split pattern and special tokens are not in the file, so they come
// from the encoding named by the file name: r50k_base, p50k_base,
// cl100k_base or o200k_base (as published in tiktoken 0.7).
absl::StatusOr<nlohmann::json> ReadTiktoken(const std::string& path);

}  // namespace tokforge

#endif  // TOKFORGE_SERIALIZATION_BPE_FILES_H_
