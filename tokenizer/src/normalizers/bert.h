// Hugging Face's BertNormalizer, NMT and StripAccents normalizers.

#ifndef TOKFORGE_NORMALIZERS_BERT_H_
#define TOKFORGE_NORMALIZERS_BERT_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "components.h"

namespace tokforge::internal {

// BertNormalizer, applied in this order:
//   clean_text: drops NUL, U+FFFD and control characters (general category
//     Cc, Cf, Co except tab, LF and CR), then maps whitespace to ' ';
//   handle_chinese_chars: surrounds each CJK ideograph with spaces;
//   strip_accents (null means "same as lowercase"): NFD, then drops Mn marks;
//   lowercase: Unicode full lowercase mapping, character by character.
class BertNormalizer : public Normalizer {
 public:
  struct Options {
    bool clean_text = true;
    bool handle_chinese_chars = true;
    std::optional<bool> strip_accents;
    bool lowercase = true;
  };

  explicit BertNormalizer(Options options);
  void Normalize(NormalizedString* text) const override;
  // ASCII text is rewritten through a table built from the same rules. Other
  // text goes through Normalize, because NFD reorders combining marks across
  // characters.
  bool HasPlainNormalize() const override { return true; }
  void NormalizePlain(std::string* text) const override;

 private:
  Options options_;
  // The output of each ASCII character: an ASCII character, or -1 when
  // clean_text drops it.
  std::array<int16_t, 128> ascii_output_;
};

// Drops ASCII control characters except tab, LF, CR and form feed (and U+008F,
// U+009F), and maps several space-like and invisible characters (tab, LF, FF,
// CR, U+1680, U+200B-U+200F, U+2028, U+2029, U+2581, U+FEFF, U+FFFD) to ' ',
// as SentencePiece's nmt_nfkc rules do before NFKC.
class NmtNormalizer : public Normalizer {
 public:
  void Normalize(NormalizedString* text) const override;
};

// Removes combining marks (general category Mn, Mc and Me). Usually follows
// an NFD or NFKD normalizer.
class StripAccentsNormalizer : public Normalizer {
 public:
  void Normalize(NormalizedString* text) const override;
};

// NFD with Hugging Face's alignment: each character of a decomposition takes
// the range of the character it came from.
NormalizedString NfdWithAlignment(const NormalizedString& text);

absl::StatusOr<std::unique_ptr<Normalizer>> CreateBertNormalizer(const Json& config,
                                                                 const JsonLocation& where);
absl::StatusOr<std::unique_ptr<Normalizer>> CreateNmtNormalizer(const Json& config,
                                                                const JsonLocation& where);
absl::StatusOr<std::unique_ptr<Normalizer>> CreateStripAccentsNormalizer(
    const Json& config, const JsonLocation& where);

}  // namespace tokforge::internal

#endif  // TOKFORGE_NORMALIZERS_BERT_H_
