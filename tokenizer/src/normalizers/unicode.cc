#include "normalizers/unicode.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include "absl/strings/str_cat.h"
#include "util/utf8.h"

namespace tokforge {

using internal::Json;
using internal::JsonLocation;
using internal::NormalizedString;
using internal::NormalizedStringBuilder;

namespace {

enum class Form { kNfc, kNfd, kNfkc, kNfkd };

class UnicodeNormalizer : public internal::Normalizer {
 public:
  explicit UnicodeNormalizer(const icu::Normalizer2* normalizer) : normalizer_(normalizer) {}

  void Normalize(NormalizedString* text) const override {
    UErrorCode status = U_ZERO_ERROR;
    const std::string& input = text->str();
    if (normalizer_->isNormalizedUTF8(icu::StringPiece(input.data(),
                                                       static_cast<int32_t>(input.size())),
                                      status) &&
        U_SUCCESS(status)) {
      return;
    }
    // Normalizes each segment between normalization boundaries on its own,
    // so that every output byte can be aligned with the segment it came from.
    NormalizedStringBuilder builder(*text);
    size_t segment_start = 0;
    auto flush = [&](size_t end) {
      if (end <= segment_start) return;
      const std::string_view segment(input.data() + segment_start, end - segment_start);
      UErrorCode segment_status = U_ZERO_ERROR;
      const icu::UnicodeString source = icu::UnicodeString::fromUTF8(
          icu::StringPiece(segment.data(), static_cast<int32_t>(segment.size())));
      const icu::UnicodeString normalized = normalizer_->normalize(source, segment_status);
      if (U_FAILURE(segment_status) || normalized == source) {
        builder.Copy(segment_start, end);
      } else {
        std::string output;
        normalized.toUTF8String(output);
        builder.Append(output, segment_start, end);
      }
      segment_start = end;
    };
    for (size_t pos = 0; pos < input.size();) {
      const DecodedChar c = DecodeUtf8(input, pos);
      if (c.code_point == kInvalidCodePoint) {
        // An invalid byte is kept as it is, in a segment of its own.
        flush(pos);
        builder.Copy(pos, pos + 1);
        segment_start = pos + 1;
      } else if (pos > segment_start &&
                 normalizer_->hasBoundaryBefore(static_cast<UChar32>(c.code_point))) {
        flush(pos);
      }
      pos += c.length;
    }
    flush(input.size());
    *text = std::move(builder).Finish();
  }

 private:
  const icu::Normalizer2* normalizer_;
};

absl::StatusOr<std::unique_ptr<internal::Normalizer>> Create(Form form, const JsonLocation& where) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer = nullptr;
  switch (form) {
    case Form::kNfc: normalizer = icu::Normalizer2::getNFCInstance(status); break;
    case Form::kNfd: normalizer = icu::Normalizer2::getNFDInstance(status); break;
    case Form::kNfkc: normalizer = icu::Normalizer2::getNFKCInstance(status); break;
    case Form::kNfkd: normalizer = icu::Normalizer2::getNFKDInstance(status); break;
  }
  if (U_FAILURE(status)) {
    return where.Error(absl::StrCat("ICU normalizer unavailable: ", u_errorName(status)));
  }
  return std::make_unique<UnicodeNormalizer>(normalizer);
}

}  // namespace

absl::StatusOr<std::unique_ptr<internal::Normalizer>> CreateNfcNormalizer(
    const Json&, const JsonLocation& where) {
  return Create(Form::kNfc, where);
}
absl::StatusOr<std::unique_ptr<internal::Normalizer>> CreateNfdNormalizer(
    const Json&, const JsonLocation& where) {
  return Create(Form::kNfd, where);
}
absl::StatusOr<std::unique_ptr<internal::Normalizer>> CreateNfkcNormalizer(
    const Json&, const JsonLocation& where) {
  return Create(Form::kNfkc, where);
}
absl::StatusOr<std::unique_ptr<internal::Normalizer>> CreateNfkdNormalizer(
    const Json&, const JsonLocation& where) {
  return Create(Form::kNfkd, where);
}

}  // namespace tokforge
