#include "util/byte_level.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace tokforge {
namespace {

TEST(ByteLevelAlphabetTest, PrintableAsciiMapsToItself) {
  const ByteLevelAlphabet& alphabet = ByteLevelAlphabet::Get();
  EXPECT_EQ(alphabet.CodePoint('A'), U'A');
  EXPECT_EQ(alphabet.CodePoint('~'), U'~');
}

TEST(ByteLevelAlphabetTest, RemappedBytes) {
  const ByteLevelAlphabet& alphabet = ByteLevelAlphabet::Get();
  EXPECT_EQ(alphabet.CodePoint(0x00), 0x100u);
  EXPECT_EQ(alphabet.CodePoint(' '), 0x120u);   // 'Ġ'
  EXPECT_EQ(alphabet.CodePoint('\n'), 0x10Au);  // 'Ċ'
  EXPECT_EQ(alphabet.CodePoint(0xAD), 0x143u);  // the last remapped byte
}

TEST(ByteLevelAlphabetTest, MappingIsBijective) {
  const ByteLevelAlphabet& alphabet = ByteLevelAlphabet::Get();
  std::set<char32_t> seen;
  for (int byte = 0; byte < 256; ++byte) {
    const char32_t cp = alphabet.CodePoint(static_cast<uint8_t>(byte));
    EXPECT_TRUE(seen.insert(cp).second) << byte;
    ASSERT_TRUE(alphabet.Byte(cp).has_value());
    EXPECT_EQ(*alphabet.Byte(cp), byte);
  }
}

TEST(ByteLevelAlphabetTest, EncodeDecodeRoundTrip) {
  const ByteLevelAlphabet& alphabet = ByteLevelAlphabet::Get();
  std::string bytes;
  for (int byte = 0; byte < 256; ++byte) bytes.push_back(static_cast<char>(byte));
  std::string spelled;
  alphabet.Encode(bytes, &spelled);
  std::string decoded;
  ASSERT_TRUE(alphabet.Decode(spelled, &decoded));
  EXPECT_EQ(decoded, bytes);
}

TEST(ByteLevelAlphabetTest, DecodeRejectsForeignCharacter) {
  std::string decoded;
  EXPECT_FALSE(ByteLevelAlphabet::Get().Decode("a\xe2\x82\xac", &decoded));  // U+20AC
}

}  // namespace
}  // namespace tokforge
