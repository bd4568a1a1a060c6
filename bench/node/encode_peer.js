#!/usr/bin/env node
// Encodes every line of a file with a peer tokenizer and reports the time of
// the encoding alone, for bench/compare_encoding.sh.
//
// Usage: encode_peer.js hf TOKENIZER.json INPUT IDS_OUT
//        encode_peer.js tiktoken ENCODING_NAME INPUT IDS_OUT
// Prints one JSON line {"tool","bytes","tokens","seconds","mb_per_second"} and
// writes the ids of each line, space-separated, to IDS_OUT.
'use strict'

const fs = require('fs')

async function main() {
  const [tool, model, input, idsOut] = process.argv.slice(2)
  if (!tool || !model || !input || !idsOut) {
    console.error('usage: encode_peer.js hf|tiktoken MODEL INPUT IDS_OUT')
    process.exit(2)
  }
  const text = fs.readFileSync(input, 'utf8')
  const lines = text.split('\n')
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  const bytes = Buffer.byteLength(text, 'utf8') - lines.length + (text.endsWith('\n') ? 0 : 1)

  let results
  let seconds
  if (tool === 'hf') {
    const { Tokenizer } = require('tokenizers')
    const tokenizer = Tokenizer.fromFile(model)
    // encodeBatch amortizes the cost of crossing into native code per call.
    const batch = 4096
    const start = process.hrtime.bigint()
    results = []
    for (let i = 0; i < lines.length; i += batch) {
      const encodings = await tokenizer.encodeBatch(lines.slice(i, i + batch), { addSpecialTokens: false })
      for (const encoding of encodings) results.push(encoding.getIds())
    }
    seconds = Number(process.hrtime.bigint() - start) / 1e9
  } else if (tool === 'tiktoken') {
    const { get_encoding } = require('tiktoken')
    const encoding = get_encoding(model)
    const start = process.hrtime.bigint()
    results = lines.map((line) => encoding.encode_ordinary(line))
    seconds = Number(process.hrtime.bigint() - start) / 1e9
    encoding.free()
  } else {
    console.error(`unknown tool ${tool}`)
    process.exit(2)
  }
  let tokens = 0
  const out = results.map((ids) => {
    tokens += ids.length
    return Array.from(ids).join(' ')
  })
  fs.writeFileSync(idsOut, out.join('\n') + (out.length ? '\n' : ''))
  console.log(JSON.stringify({ tool, bytes, tokens, seconds, mb_per_second: bytes / 1e6 / seconds }))
}

main().catch((error) => {
  console.error(`encode_peer.js: ${error.message}`)
  process.exit(1)
})
