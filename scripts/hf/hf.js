#!/usr/bin/env node
// Command-line front end to Hugging Face tokenizers 0.23.2 (the Rust library behind the
// `tokenizers` npm package). tokforge uses its output as the reference in golden tests.
'use strict'

const fs = require('fs')
const path = require('path')

const EXPECTED_TOKENIZERS_VERSION = '0.23.2'

// Lines per encodeBatch or decodeBatch call, which bounds the memory used for large inputs.
const BATCH_SIZE = 4096

const USAGE = `Usage: hf.js COMMAND [OPTIONS] ARGS

Runs Hugging Face tokenizers ${EXPECTED_TOKENIZERS_VERSION} (install it with scripts/hf/install.sh).

Commands:
  train --output OUT.json [--pretty] FILE...
      Train a byte-level BPE tokenizer on FILE... with the default BpeTrainer of the Node
      binding (vocab_size 30000, min_frequency 0, no special tokens, no initial alphabet)
      and save it as OUT.json. HF reads each input line with its trailing newline.
      --pretty  save indented JSON, one vocab entry per line (default: a single line)

  encode --tokenizer T.json [--with-special] [--json] FILE
      Encode each line of FILE (UTF-8, split on "\\n", "\\r" kept) and print one line per
      input line: the space-separated token ids, or with --json an object
      {"ids":[...],"tokens":[...],"offsets":[[start,end],...]}. Offsets are as the Node
      binding reports them (Unicode code points into the line). NOTE: when the model drops
      a character (no unk_token, no byte_fallback), later offsets of that line are shifted.
      --with-special  add the special tokens of the post-processor (default: do not)

  decode --tokenizer T.json FILE
      Decode each line of FILE (space-separated token ids; an empty line is an empty
      sequence) with special tokens kept, and print each result as a JSON string. HF skips
      ids that are not in the vocabulary without an error.

  pretokenize --tokenizer T.json FILE
      Run only the tokenizer's pre-tokenizer on each line of FILE (no normalizer) and print
      the pieces of each line as a JSON array of strings.

A line is the text between two "\\n"; the empty string after a final "\\n" is not a line.
Exit status: 0 on success, 1 on failure, 2 on invalid usage.`

class UsageError extends Error {}
class CliError extends Error {}

function loadTokenizersPackage() {
  let packageJson
  try {
    packageJson = require('tokenizers/package.json')
  } catch (error) {
    if (error.code !== 'MODULE_NOT_FOUND') throw error
    throw new CliError(
      `npm package "tokenizers" not found from ${__dirname}; run ${path.join(__dirname, 'install.sh')}`,
    )
  }
  if (packageJson.version !== EXPECTED_TOKENIZERS_VERSION) {
    throw new CliError(
      `found tokenizers ${packageJson.version}, expected ${EXPECTED_TOKENIZERS_VERSION}; ` +
        `run ${path.join(__dirname, 'install.sh')}`,
    )
  }
  return require('tokenizers')
}

// Parses `args` against `spec` ({name: 'flag' | 'value'}) and returns {options, positional}.
function parseArguments(command, args, spec) {
  const options = {}
  const positional = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (arg === '--') {
      positional.push(...args.slice(i + 1))
      break
    }
    if (!arg.startsWith('--')) {
      positional.push(arg)
      continue
    }

    const name = arg.slice(2)
    if (!(name in spec)) throw new UsageError(`${command}: unknown option ${arg}`)
    if (spec[name] === 'flag') {
      options[name] = true
      continue
    }
    if (i + 1 >= args.length) throw new UsageError(`${command}: option ${arg} requires a value`)
    options[name] = args[++i]
  }
  return { options, positional }
}

function requireOption(command, options, name) {
  if (options[name] === undefined) throw new UsageError(`${command}: missing required option --${name}`)
  return options[name]
}

function requireOneFile(command, positional) {
  if (positional.length !== 1) {
    throw new UsageError(`${command}: expected exactly one input FILE, got ${positional.length}`)
  }
  return positional[0]
}

function checkReadableFile(filePath, role) {
  let stat
  try {
    stat = fs.statSync(filePath)
  } catch (error) {
    throw new CliError(`${role} ${filePath} not found (${error.code})`)
  }
  if (stat.isDirectory()) throw new CliError(`${role} ${filePath} is a directory`)
}

// Finds the 1-based number of the first line of `bytes` that is not valid UTF-8.
function findInvalidUtf8Line(bytes) {
  const decoder = new TextDecoder('utf-8', { fatal: true })
  let lineNumber = 1
  let start = 0
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start)
    if (end === -1) end = bytes.length
    try {
      decoder.decode(bytes.subarray(start, end))
    } catch {
      return lineNumber
    }
    start = end + 1
    lineNumber++
  }
  return null
}

// Reads `filePath` as strict UTF-8 and splits it into lines as described in USAGE. A byte
// order mark is kept as U+FEFF so that it reaches the tokenizer like any other character.
function readLines(filePath) {
  checkReadableFile(filePath, 'input file')
  const bytes = fs.readFileSync(filePath)

  let text
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
  } catch {
    const lineNumber = findInvalidUtf8Line(bytes)
    throw new CliError(`${filePath}:${lineNumber}: invalid UTF-8; convert the file to UTF-8 first`)
  }

  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return lines
}

function loadTokenizer(Tokenizer, filePath) {
  checkReadableFile(filePath, 'tokenizer file')
  try {
    return Tokenizer.fromFile(filePath)
  } catch (error) {
    throw new CliError(`failed to load tokenizer ${filePath}: ${error.message}`)
  }
}

function writeLines(lines) {
  if (lines.length > 0) process.stdout.write(lines.join('\n') + '\n')
}

// Returns a tokenizer.json with an empty BPE model and GPT-2 style byte-level components,
// in the field order that tokenizers 0.23.2 serializes.
function emptyByteLevelBpeConfig() {
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: {},
      merges: [],
    },
  }
}

function runTrain(args) {
  const { options, positional } = parseArguments('train', args, { output: 'value', pretty: 'flag' })
  const outputPath = requireOption('train', options, 'output')
  if (positional.length === 0) throw new UsageError('train: expected at least one input FILE')
  for (const filePath of positional) checkReadableFile(filePath, 'training file')

  const { Tokenizer } = loadTokenizersPackage()
  const tokenizer = Tokenizer.fromString(JSON.stringify(emptyByteLevelBpeConfig()))

  // In 0.23.2 the Node binding's train() blocks until training ends and returns undefined,
  // so the model is complete when save() runs. It prints progress as blank lines on stdout.
  try {
    tokenizer.train(positional)
  } catch (error) {
    throw new CliError(`training failed on ${positional.join(' ')}: ${error.message}`)
  }
  try {
    tokenizer.save(outputPath, options.pretty === true)
  } catch (error) {
    throw new CliError(`failed to save tokenizer to ${outputPath}: ${error.message}`)
  }

  const saved = JSON.parse(fs.readFileSync(outputPath, 'utf8'))
  const merges = saved.model && saved.model.merges
  if (!Array.isArray(merges) || merges.length === 0) {
    fs.unlinkSync(outputPath)
    throw new CliError(`training on ${positional.join(' ')} produced no merges; check that the files are not empty`)
  }
  const vocabSize = Object.keys(saved.model.vocab).length
  process.stderr.write(`hf.js train: wrote ${outputPath} (vocab ${vocabSize}, merges ${merges.length})\n`)
}

async function runEncode(args) {
  const { options, positional } = parseArguments('encode', args, {
    tokenizer: 'value',
    'with-special': 'flag',
    json: 'flag',
  })
  const tokenizerPath = requireOption('encode', options, 'tokenizer')
  const inputPath = requireOneFile('encode', positional)

  const { Tokenizer } = loadTokenizersPackage()
  const tokenizer = loadTokenizer(Tokenizer, tokenizerPath)
  const lines = readLines(inputPath)
  const encodeOptions = { addSpecialTokens: options['with-special'] === true }

  for (let start = 0; start < lines.length; start += BATCH_SIZE) {
    const batch = lines.slice(start, start + BATCH_SIZE)
    let encodings
    try {
      encodings = await tokenizer.encodeBatch(batch, encodeOptions)
    } catch (error) {
      throw new CliError(`encoding lines ${start + 1}-${start + batch.length} of ${inputPath} failed: ${error.message}`)
    }

    const output = encodings.map((encoding) => {
      if (!options.json) return encoding.getIds().join(' ')
      return JSON.stringify({
        ids: encoding.getIds(),
        tokens: encoding.getTokens(),
        offsets: encoding.getOffsets(),
      })
    })
    writeLines(output)
  }
}

// Parses one line of space-separated token ids into numbers that fit the binding's u32.
function parseIdLine(line, filePath, lineNumber) {
  const trimmed = line.trim()
  if (trimmed === '') return []
  return trimmed.split(/\s+/).map((field) => {
    const id = Number(field)
    if (!/^[0-9]+$/.test(field) || id > 0xffffffff) {
      throw new CliError(`${filePath}:${lineNumber}: invalid token id "${field}"; expected an integer in [0, 2^32)`)
    }
    return id
  })
}

async function runDecode(args) {
  const { options, positional } = parseArguments('decode', args, { tokenizer: 'value' })
  const tokenizerPath = requireOption('decode', options, 'tokenizer')
  const inputPath = requireOneFile('decode', positional)

  const { Tokenizer } = loadTokenizersPackage()
  const tokenizer = loadTokenizer(Tokenizer, tokenizerPath)
  const idLines = readLines(inputPath).map((line, index) => parseIdLine(line, inputPath, index + 1))

  for (let start = 0; start < idLines.length; start += BATCH_SIZE) {
    const batch = idLines.slice(start, start + BATCH_SIZE)
    let texts
    try {
      texts = await tokenizer.decodeBatch(batch, false)
    } catch (error) {
      throw new CliError(`decoding lines ${start + 1}-${start + batch.length} of ${inputPath} failed: ${error.message}`)
    }
    writeLines(texts.map((text) => JSON.stringify(text)))
  }
}

function runPretokenize(args) {
  const { options, positional } = parseArguments('pretokenize', args, { tokenizer: 'value' })
  const tokenizerPath = requireOption('pretokenize', options, 'tokenizer')
  const inputPath = requireOneFile('pretokenize', positional)

  const { Tokenizer } = loadTokenizersPackage()
  const tokenizer = loadTokenizer(Tokenizer, tokenizerPath)
  const preTokenizer = tokenizer.getPreTokenizer()
  if (preTokenizer === null) throw new CliError(`tokenizer ${tokenizerPath} has no pre_tokenizer`)
  if (tokenizer.getNormalizer() !== null) {
    process.stderr.write(
      `hf.js pretokenize: warning: ${tokenizerPath} has a normalizer, which is not applied to the input\n`,
    )
  }

  const output = readLines(inputPath).map((line) => {
    const pieces = preTokenizer.preTokenizeString(line).map(([piece]) => piece)
    return JSON.stringify(pieces)
  })
  writeLines(output)
}

const COMMANDS = {
  train: runTrain,
  encode: runEncode,
  decode: runDecode,
  pretokenize: runPretokenize,
}

async function main(argv) {
  const [command, ...args] = argv
  if (command === undefined) {
    process.stderr.write(USAGE + '\n')
    return 2
  }
  if (command === '--help' || command === '-h' || args.includes('--help')) {
    process.stdout.write(USAGE + '\n')
    return 0
  }
  const run = COMMANDS[command]
  if (run === undefined) throw new UsageError(`unknown command "${command}"`)
  await run(args)
  return 0
}

// A closed pipe (for example `hf.js encode ... | head`) ends the output without an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0)
  process.stderr.write(`hf.js: error: writing to stdout failed: ${error.message}\n`)
  process.exit(1)
})

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status
  },
  (error) => {
    if (error instanceof UsageError) {
      process.stderr.write(`hf.js: ${error.message}\nRun "hf.js --help" for usage.\n`)
      process.exitCode = 2
    } else if (error instanceof CliError) {
      process.stderr.write(`hf.js: error: ${error.message}\n`)
      process.exitCode = 1
    } else {
      process.stderr.write(`hf.js: internal error: ${error.stack || error}\n`)
      process.exitCode = 1
    }
  },
)
