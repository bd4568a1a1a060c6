#!/usr/bin/env python3
"""Writes data/parity/adversarial.txt, the hand-made edge cases on which
tokforge's encoders are compared with Hugging Face tokenizers.

One test case per line (lines are split on "\\n" only, so "\\r" stays in a
line). The output is deterministic: the random lines use a fixed seed.
"""
import random
import sys
import unicodedata

rng = random.Random(20240601)
lines = []
add = lines.append

# Emoji, ZWJ sequences, flags, skin tones, variation selectors.
add("family 👨‍👩‍👧‍👦 and 👩🏽‍💻 coder, flag 🇫🇷🇰🇷, heart ❤️ ❤︎ keycap 1️⃣")
add("👍👍👍👍👍👍👍👍 🏳️‍🌈🏴‍☠️ zwj\u200djoin zwnj\u200cnon bom\ufeffinside")
# Combining marks and decomposed accents.
add("e\u0301te\u0301 cafe\u0301 na\u0308ive Zalgo: Z\u0351\u0358\u0360a\u0344\u0347l\u0329g\u0315o\u0336")
add("\u0301leading combining mark, a\u0300\u0301\u0302\u0303\u0304\u0305\u0306 stacked")
# Hangul in NFC and NFD, Korean spacing.
korean = "안녕하세요 세계, 한국어 토크나이저 테스트입니다."
add(unicodedata.normalize("NFC", korean))
add(unicodedata.normalize("NFD", korean))
add("ᄒᆞᆫ글 옛한글 ㅋㅋㅋㅋ ㅠㅠ 가나다ABC123")
# Fullwidth and compatibility forms.
add("ＦＵＬＬＷＩＤＴＨ ｆｏｒｍｓ １２３４５ ！？ ﬁ ﬂ ﬃ ㎏ ℃ Ⅻ ½ ² ₃")
add("ｶﾀｶﾅ 半角 カタカナ 日本語のテキスト。中文文本，标点！")
# CRLF, CR, tabs, vertical tab, form feed, unusual spaces.
add("windows line\r")
add("\r")
add("tab\t\t\truns\t\there\t")
add("\t\t\t\t\t\t\t\t")
add("mixed \t \t  \u00a0\u00a0 nbsp\u2003em\u3000ideographic\u2028ls\u2029ps\u0085nel\x0bvt\x0cff")
add("trailing spaces      ")
add("      leading spaces")
add("   ")
add(" ")
# Long runs of one character.
for ch in "a -.0\t!é한😀":
    add(ch * 257)
# Digits.
add("1 12 123 1234 12345 123456 1234567 3.14159 1,000,000 0x1F 1e-10 ١٢٣٤ ४२ ①②")
add("".join(str(i) for i in range(400)))
# Contractions in every case.
add("don't DON'T Don'T I'm I'M we're WE'RE you've YOU'VE he'll HE'LL she'd SHE'D it's IT'S")
add("'s 'S 'ſ 'T 'Re 'rE 'LL 'lL 'D 'M ''s ' s '")
add("rock'n'roll o'clock y'all 'tis '90s ’s curly ‘quotes’")
# Code and punctuation.
add("def f(x):\treturn x**2 // 3 != {'a': [1, 2]}  # comment ;;; <<>> ->=> ::")
add("https://example.com/path?q=1&r=2#frag user@example.org C:\\Windows\\System32")
add("...!!!???---___***///\\\\|||~~~```'''\"\"\"")
# NUL and control characters.
add("nul\x00inside\x00\x00 and \x01\x02\x1f\x7f controls")
add("\x00")
# Special tokens of the tokenizers under test, whole, partial and adjacent.
add("<|endoftext|>")
add("text<|endoftext|>more text <|endoftext|> spaced <|endoftext|><|endoftext|>")
add("partial <|endoftext| and <|endof and |endoftext|> and <|ENDOFTEXT|>")
add("<|begin_of_text|>Hello<|eot_id|><|start_header_id|>user<|end_header_id|>\n".rstrip("\n"))
add("<|reserved_special_token_0|><|reserved_special_token_250|><|reserved_special_token_99")
add("<s>hello</s> <s> spaced </s><unk> x<s>y </ s> <s")
add("a<s>b<|endoftext|>c<|eot_id|>d")
# Mixed scripts.
add("Ελληνικά кириллица עברית العربية हिन्दी ไทย ქართული Հայերեն ܣܘܪܝܝܐ")
add("Mixed日本語English한국어123Русский!")
add("UPPER lower Title camelCase snake_case SCREAMING_CASE kebab-case")
# Random lines of mixed characters.
alphabet = ("abcXYZ019 \t\r!?'\".,;:-_()[]{}<>/\\@#$%^&*+=~`|" "éàüßøœæçñ" "가나다" "日本語"
            "😀👍🏽‍" "\u0301\u0308" "\u00a0\u3000" "ÅΩЖ")
for n in (50, 200, 1000):
    add("".join(rng.choice(alphabet) for _ in range(n)))
# 100,000-character lines.
add("a" * 100_000)
add(" " * 100_000)
add("".join(rng.choice("0123456789") for _ in range(100_000)))
add("".join(rng.choice(alphabet) for _ in range(100_000)))
words = ["the", "quick", "brown", "fox", "jumps", "über", "façade", "naïve", "'s", "don't", "한국", "😀"]
add(" ".join(rng.choice(words) for _ in range(16_000))[:100_000])
add("")

sys.stdout.buffer.write("\n".join(lines).encode("utf-8") + b"\n")
