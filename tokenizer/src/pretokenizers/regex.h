// Regular expressions for Split pre-tokenizers and Replace normalizers, with
// the semantics of Oniguruma as Hugging Face tokenizers uses it: Unicode
// classes, leftmost-first alternation, non-overlapping matches scanned left
// to right.

#ifndef TOKFORGE_PRETOKENIZERS_REGEX_H_
#define TOKFORGE_PRETOKENIZERS_REGEX_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace tokforge {

// Byte ranges [begin, end) of matches, in order and not overlapping.
using MatchList = std::vector<std::pair<size_t, size_t>>;

class Regex {
 public:
  virtual ~Regex() = default;

  // Compiles `pattern`. The split patterns of GPT-2, cl100k and o200k get
  // hand-written scanners; any other pattern runs on ICU's regex engine.
  static absl::StatusOr<std::unique_ptr<Regex>> Compile(std::string_view pattern);
  // A regex that matches `literal` exactly.
  static std::unique_ptr<Regex> Literal(std::string_view literal);
  // Compiles `pattern` with ICU even when a scanner exists, so that tests
  // can compare the two.
  static absl::StatusOr<std::unique_ptr<Regex>> CompileWithIcu(std::string_view pattern);

  // Appends every match in `text` to `matches`. Invalid UTF-8 bytes are
  // single characters that only a negated class or "." matches.
  virtual void FindAll(std::string_view text, MatchList* matches) const = 0;
  // Short name of the engine, for `tokforge inspect` and tests.
  virtual std::string_view engine() const = 0;

  // The hand-written scanner behind this regex, if any, so that hot loops can
  // call the scanner's template directly and skip the list of matches.
  enum class Scanner { kNone, kGpt2, kCl100k, kO200k };
  virtual Scanner scanner() const { return Scanner::kNone; }
};

// The split patterns with hand-written scanners, exactly as they appear in
// tokenizer.json files and in tiktoken.
inline constexpr std::string_view kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";
inline constexpr std::string_view kCl100kPattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
inline constexpr std::string_view kO200kPattern =
    R"([^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

}  // namespace tokforge

#endif  // TOKFORGE_PRETOKENIZERS_REGEX_H_
