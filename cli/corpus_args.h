// Corpus and counting options shared by `tokforge train` and `tokforge count`.

#ifndef TOKFORGE_CLI_CORPUS_ARGS_H_
#define TOKFORGE_CLI_CORPUS_ARGS_H_

#include <cstdint>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "args.h"
#include "tokforge/corpus.h"
#include "tokforge/counts.h"

namespace tokforge::cli {

// Options that take a value and flags, to add to a command's option sets.
extern const std::set<std::string> kCorpusValueOptions;
extern const std::set<std::string> kCorpusBoolOptions;

// The help text of those options, indented like the commands' usage.
extern const char kCorpusOptionsHelp[];

// Fills `corpus` (paths are the positional arguments) and `counting` from
// the parsed arguments. Errors name the option and the accepted values.
absl::Status ParseCorpusArgs(const Args& args, CorpusOptions* corpus, CountingOptions* counting);

// Formats a byte count with a binary unit, such as "1.25 GB".
std::string HumanBytes(uint64_t bytes);

// One line on duplicates: "duplicates: 12 of 100 documents (12.0%), 8.1% of
// bytes, skipped". Empty when no document was seen.
std::string DescribeDuplicates(const CountStats& stats, bool skipped);

}  // namespace tokforge::cli

#endif  // TOKFORGE_CLI_CORPUS_ARGS_H_
