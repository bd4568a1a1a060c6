// Reads arbitrary bytes as a corpus file. The first input byte picks the
// file name suffix (plain, gzip or zstd; text or JSON Lines) and the block
// size, so one target covers every reader; the rest is the file contents.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "tokforge/corpus.h"

namespace {

const std::string& TempDirectory() {
  static const std::string* directory = [] {
    std::string pattern = "/tmp/tokforge_corpus_fuzzer.XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    return new std::string(pattern);
  }();
  return *directory;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const char* const kSuffixes[] = {".txt", ".jsonl", ".txt.gz", ".jsonl.gz",
                                          ".txt.zst", ".jsonl.zst", ".json", ".gz"};
  const uint8_t selector = data[0];
  const std::string path = TempDirectory() + "/input" + kSuffixes[selector % 8];
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data + 1), static_cast<std::streamsize>(size - 1));
  }

  tokforge::CorpusOptions options;
  options.paths = {path};
  // Small blocks make lines cross block boundaries.
  options.block_bytes = 1 + (selector >> 3) * 8;
  options.max_bytes = (selector & 0x80) ? 4096 : 0;
  // The selector has no bit left, so the input length picks the NUL setting.
  options.allow_nul_bytes = size % 2 == 0;
  absl::StatusOr<std::unique_ptr<tokforge::CorpusReader>> reader =
      tokforge::CorpusReader::Open(options);
  if (!reader.ok()) return 0;

  tokforge::CorpusBlock block;
  uint64_t text_bytes = 0;
  while (true) {
    absl::StatusOr<bool> more = (*reader)->Next(&block);
    if (!more.ok() || !*more) break;
    text_bytes += block.bytes.size();
    // A returned block never contains a NUL byte that the options reject.
    if (!options.allow_nul_bytes && block.bytes.find('\0') != std::string::npos) std::abort();
    size_t sequence_bytes = 0;
    const absl::Status status = tokforge::ForEachSequence(
        block, "text", [&](std::string_view sequence) { sequence_bytes += sequence.size(); });
    // A text sequence is a line of the block, so together they cannot be longer.
    if (block.format == tokforge::CorpusFormat::kText && sequence_bytes > block.bytes.size()) {
      std::abort();
    }
    if (!status.ok()) break;
  }
  if (text_bytes != (*reader)->bytes_read()) std::abort();
  if (options.max_bytes != 0 && text_bytes > options.max_bytes) std::abort();
  return 0;
}
