#include "util/byte_level.h"

#include "util/utf8.h"

namespace tokforge {
namespace {

bool MapsToItself(int byte) {
  return (byte >= 0x21 && byte <= 0x7E) || (byte >= 0xA1 && byte <= 0xAC) ||
         (byte >= 0xAE && byte <= 0xFF);
}

}  // namespace

const ByteLevelAlphabet& ByteLevelAlphabet::Get() {
  static const ByteLevelAlphabet* const alphabet = new ByteLevelAlphabet();
  return *alphabet;
}

ByteLevelAlphabet::ByteLevelAlphabet() {
  bytes_by_code_point_.fill(-1);
  char32_t next_remapped = 0x100;
  for (int byte = 0; byte < 256; ++byte) {
    const char32_t cp = MapsToItself(byte) ? static_cast<char32_t>(byte) : next_remapped++;
    code_points_[byte] = cp;
    AppendUtf8(cp, &spellings_[byte]);
    bytes_by_code_point_[cp] = static_cast<int16_t>(byte);
  }
}

std::optional<uint8_t> ByteLevelAlphabet::Byte(char32_t code_point) const {
  if (code_point >= bytes_by_code_point_.size() || bytes_by_code_point_[code_point] < 0) {
    return std::nullopt;
  }
  return static_cast<uint8_t>(bytes_by_code_point_[code_point]);
}

void ByteLevelAlphabet::Encode(std::string_view bytes, std::string* out) const {
  for (const char b : bytes) out->append(spellings_[static_cast<uint8_t>(b)]);
}

bool ByteLevelAlphabet::Decode(std::string_view text, std::string* out) const {
  for (size_t pos = 0; pos < text.size();) {
    const DecodedChar c = DecodeUtf8(text, pos);
    const std::optional<uint8_t> byte = Byte(c.code_point);
    if (!byte) return false;
    out->push_back(static_cast<char>(*byte));
    pos += c.length;
  }
  return true;
}

}  // namespace tokforge
