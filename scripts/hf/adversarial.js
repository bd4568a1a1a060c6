#!/usr/bin/env node
// Writes data/golden_corpus/adversarial.txt to stdout: hand-picked lines that stress byte-level
// pre-tokenization and BPE. Invisible or ambiguous characters are written as escapes here so
// that reviewers can see them. A "\r" at the end of an entry makes that line end in CRLF.
'use strict'

const LINES = [
  'Plain ASCII: The quick brown fox jumps over the lazy dog.',
  '',
  'Korean: 안녕하세요, 세계! 토크나이저는 한국어를 잘 처리하나요?',
  'Korean with digits: 3박4일 여행, 12시 땡! 1지망 학교',
  'Korean as conjoining jamo (NFD): \u1112\u1161\u11ab\u1100\u1173\u11af vs 한글',
  'Emoji ZWJ family: 👩\u200d👩\u200d👧\u200d👦 and 👨\u200d💻 at work',
  'Emoji skin tones: 👍🏽👋🏿 🤝',
  'Flags: 🇫🇷🇰🇷🇺🇸 🇯🇵 and a tag sequence 🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}',
  'Keycaps and variation selectors: 1\ufe0f\u20e3 #\ufe0f\u20e3 \u2764\ufe0f \u2764\ufe0e',
  'CRLF line\r',
  'CRLF line with trailing spaces   \r',
  '\r',
  'Lone CR in the middle: a\rb',
  'Tabs:\tone\t\ttwo\t',
  '\t\t',
  'Two spaces:a  b',
  'Three spaces:a   b',
  'Eight spaces:a        b',
  'Twenty spaces:a' + ' '.repeat(20) + 'b',
  'Spaces before digits and punctuation:  42   !!    ?',
  'Trailing three spaces   ',
  'Trailing one space ',
  ' ',
  '   ',
  ' '.repeat(8),
  '    Four leading spaces',
  "Contractions: it's don't we're I've I'm you'll he'd",
  "Uppercase contractions: IT'S DON'T WE'RE I'VE I'M YOU'LL HE'D",
  "Mixed case contractions: It'S Don'T we'Re",
  'Curly apostrophes: it\u2019s don\u2019t we\u2019re I\u2019ll',
  "Bare contraction suffixes: 's 't 're 've 'm 'll 'd ''s ' '' x'sy",
  'Digits with letters: abc123def 4ever x86_64 v0.23.2 3.14159 1,000,000 2024-01-01T12:00:00Z',
  'Long number: 12345678901234567890',
  'Other digits: \u0663\u0664\u0665 \u096b\u096c \u00b2\u00b3 \u216b \u00bd \uff11\uff12\uff13',
  'Fullwidth: \uff21\uff22\uff23\u3000\uff44\uff45\uff46\uff01\uff34\uff2f\uff2b\uff39\uff2f\uff08東京\uff09',
  'Combining accents: cafe\u0301 re\u0301sume\u0301 n\u0303 a\u0308\u0304 e\u0301\u0301',
  'Precomposed accents: café résumé ñ ǟ',
  'NUL bytes: a\u0000b \u0000 end\u0000',
  '\u0000',
  'ZWJ alone: \u200d and a\u200db',
  'Zero-width non-joiner and space: a\u200cb a\u200bb',
  'No-break space: a\u00a0b \u00a0\u00a0lead and trail\u00a0',
  'Ideographic space: 東京\u3000大阪\u3000\u3000x',
  'Line and paragraph separators: before\u2028after, one\u2029two',
  '\u2028',
  'Other whitespace: a\u000bb a\u000cb a\u0085b a\u2009b a\u202fb a\u205fb',
  '\ufeffByte order mark at the start of this line',
  'Control characters: bell\u0007 escape\u001b[0m delete\u007f',
  'Rust: fn main() -> Result<(), Box<dyn Error>> { if a != b { return Ok(()); } }',
  'C: for (int i = 0; i < n; ++i) { p->next = q; if (x <= y && y >= z) {} }',
  '#include <stdio.h>',
  'HTML: <div class="note">a &amp; b</div>',
  'JSON: {"key": [1, 2.5e-3, null], "k2": {"nested": true}}',
  'Punctuation runs: ... !!! ??? --- *** ==> <=> ::: ;;; ~~~ {{{ }}}',
  'URL: https://example.com/path?query=1&x=%20y#frag someone@example.org',
  'Private use and noncharacters: \ue000 \ufffd \uffff \u{10ffff}',
  'Astral letters: \u{1d400}\u{1d401}\u{1d402} \u{13000} \u{10348}',
  'Right to left: مرحبا بالعالم שלום עולם',
  'Mixed scripts: Ünïcödé ΑΒΓ αβγ Кириллица ไทย 中文',
  longLetterRun(2000),
  longSentence(2000),
  'Last line, without a final newline',
]

// Returns `length` lowercase letters from a fixed 32-bit linear congruential generator, so the
// line is one long pre-token in which each letter pair is rare.
function longLetterRun(length) {
  let state = 12345
  let text = ''
  while (text.length < length) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0
    text += String.fromCharCode(97 + ((state >>> 16) % 26))
  }
  return text
}

// Returns a line of exactly `length` characters built from ordinary words and punctuation.
function longSentence(length) {
  const words = 'a long line keeps going, with words; numbers 123 and 4567; and no newline for a while.'
  let text = ''
  while (text.length < length) text += words + ' '
  return text.slice(0, length)
}

process.stdout.write(LINES.join('\n'))
