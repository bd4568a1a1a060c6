// Parts of the corpus reader that counting uses to read plain files itself,
// in chunks claimed by its worker threads, instead of through CorpusReader.

#ifndef TOKFORGE_TRAINING_CORPUS_INTERNAL_H_
#define TOKFORGE_TRAINING_CORPUS_INTERNAL_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "tokforge/corpus.h"

namespace tokforge::corpus_internal {

// Maximum length of a line (or JSON Lines record), in bytes.
inline constexpr size_t kMaxLineBytes = size_t{256} << 20;

inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Returns `requested`, or for kAuto the format that the file name implies.
CorpusFormat ResolveFormat(CorpusFormat requested, const std::string& path);

// Whether `path` names standard input or a .gz or .zst file, which only
// CorpusReader can read.
bool NeedsCorpusReader(const std::string& path);

// The error for line `line_number` of `path` being longer than kMaxLineBytes.
absl::Status LineTooLongError(const std::string& path, uint64_t line_number);

// The error for a NUL byte at `offset` (0-based, in the uncompressed
// content) on line `line_number` of `path`. Setting
// CorpusOptions::allow_nul_bytes turns the check off.
absl::Status NulByteError(const std::string& path, uint64_t offset, uint64_t line_number);

// Calls `visit` with every sequence of `bytes`, whole lines of `path` whose
// first line is `first_line`, as ForEachSequence does for a block (no byte
// order mark handling).
absl::Status ForEachSequenceIn(
    std::string_view bytes, const std::string& path, uint64_t first_line, CorpusFormat format,
    std::string_view text_field,
    const std::function<void(std::string_view sequence, uint64_t line_number)>& visit);

}  // namespace tokforge::corpus_internal

#endif  // TOKFORGE_TRAINING_CORPUS_INTERNAL_H_
