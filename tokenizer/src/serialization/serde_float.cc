#include "serialization/serde_float.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace tokforge::internal {
namespace {

// 10^0 .. 10^308, each the correctly rounded double, like serde_json's POW10
// table of f64 literals.
const double* PowersOfTen() {
  static const auto* table = [] {
    auto* powers = new double[309];
    for (int i = 0; i <= 308; ++i) powers[i] = std::stod("1e" + std::to_string(i));
    return powers;
  }();
  return table;
}

// serde_json's f64_from_parts: one rounding when the significand becomes a
// double, one for the scaling.
std::optional<double> FromParts(bool positive, uint64_t significand, int64_t exponent) {
  const double* powers = PowersOfTen();
  double value = static_cast<double>(significand);
  while (true) {
    const uint64_t magnitude = exponent < 0 ? static_cast<uint64_t>(-exponent)
                                            : static_cast<uint64_t>(exponent);
    if (magnitude <= 308) {
      if (exponent >= 0) {
        value *= powers[magnitude];
        if (std::isinf(value)) return std::nullopt;
      } else {
        value /= powers[magnitude];
      }
      break;
    }
    if (value == 0.0) break;
    if (exponent >= 0) return std::nullopt;
    value /= 1e308;
    exponent += 308;
  }
  return positive ? value : -value;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// True when significand * 10 + digit does not fit in a uint64_t.
bool WouldOverflow(uint64_t significand, uint64_t digit) {
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  return significand > kMax / 10 || (significand == kMax / 10 && digit > kMax % 10);
}

// Wraps nlohmann's DOM builder and replaces each float by its serde value.
class SerdeFloatDomParser : public nlohmann::detail::json_sax_dom_parser<nlohmann::json> {
 public:
  explicit SerdeFloatDomParser(nlohmann::json& result)
      : nlohmann::detail::json_sax_dom_parser<nlohmann::json>(result, false) {}

  bool number_float(double value, const std::string& literal) {
    const std::optional<double> serde = ParseSerdeJsonFloat(literal);
    return nlohmann::detail::json_sax_dom_parser<nlohmann::json>::number_float(
        serde.value_or(value), literal);
  }
};

}  // namespace

std::optional<double> ParseSerdeJsonFloat(std::string_view literal) {
  size_t pos = 0;
  const bool positive = !(pos < literal.size() && literal[pos] == '-');
  if (!positive) ++pos;
  if (pos >= literal.size() || !IsDigit(literal[pos])) return std::nullopt;

  uint64_t significand = 0;
  int64_t exponent = 0;
  // Integer part. Digits past the uint64_t range only scale the exponent.
  if (literal[pos] == '0') {
    ++pos;
  } else {
    bool overflowed = false;
    while (pos < literal.size() && IsDigit(literal[pos])) {
      const uint64_t digit = static_cast<uint64_t>(literal[pos] - '0');
      overflowed = overflowed || WouldOverflow(significand, digit);
      if (overflowed) {
        ++exponent;
      } else {
        significand = significand * 10 + digit;
      }
      ++pos;
    }
  }
  // Fraction. Digits past the uint64_t range are ignored.
  if (pos < literal.size() && literal[pos] == '.') {
    ++pos;
    if (pos >= literal.size() || !IsDigit(literal[pos])) return std::nullopt;
    bool overflowed = false;
    while (pos < literal.size() && IsDigit(literal[pos])) {
      const uint64_t digit = static_cast<uint64_t>(literal[pos] - '0');
      overflowed = overflowed || WouldOverflow(significand, digit);
      if (!overflowed) {
        significand = significand * 10 + digit;
        --exponent;
      }
      ++pos;
    }
  }
  if (pos < literal.size() && (literal[pos] == 'e' || literal[pos] == 'E')) {
    ++pos;
    bool positive_exponent = true;
    if (pos < literal.size() && (literal[pos] == '+' || literal[pos] == '-')) {
      positive_exponent = literal[pos] == '+';
      ++pos;
    }
    if (pos >= literal.size() || !IsDigit(literal[pos])) return std::nullopt;
    int64_t written_exponent = 0;
    while (pos < literal.size() && IsDigit(literal[pos])) {
      written_exponent = written_exponent * 10 + (literal[pos] - '0');
      if (written_exponent > std::numeric_limits<int32_t>::max()) {
        // serde_json: a huge negative exponent (or a zero significand) gives
        // zero, a huge positive one is an error.
        if (significand != 0 && positive_exponent) return std::nullopt;
        return positive ? 0.0 : -0.0;
      }
      ++pos;
    }
    exponent += positive_exponent ? written_exponent : -written_exponent;
  }
  if (pos != literal.size()) return std::nullopt;
  return FromParts(positive, significand, exponent);
}

nlohmann::json ParseJsonWithSerdeFloats(std::string_view text) {
  nlohmann::json result;
  SerdeFloatDomParser parser(result);
  const bool ok = nlohmann::json::sax_parse(text, &parser, nlohmann::json::input_format_t::json,
                                            /*strict=*/true);
  if (!ok || parser.is_errored()) return nlohmann::json(nlohmann::json::value_t::discarded);
  return result;
}

}  // namespace tokforge::internal
