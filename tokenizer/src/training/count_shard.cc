// The count shard file format, version 1. All integers are little-endian.
//
//   offset 0    8 bytes   signature "\x89TOKCNT\n" (the high byte and the
//                         newline reveal transfers that alter text)
//   offset 8    uint32    format version, 1
//   offset 12   uint64    payload length N
//   offset 20   N bytes   payload
//   offset 20+N uint64    XXH3-64 (seed 0) of bytes [0, 20+N)
//
// The payload is a sequence of LEB128 varints and strings (a varint length,
// then the bytes):
//   string   settings, "key=value\n" lines: pre_tokenizer, normalizer and
//            byte_order_mark (keep or drop)
//   varint   number of statistics fields K, then K varints in the order of
//            CountStats (files, sequences, bytes, pieces, documents,
//            document_bytes, duplicate_documents, duplicate_bytes,
//            unremembered_documents, sampled_out_sequences, pruned_pieces);
//            a reader ignores fields past the ones it knows
//   varint   number of pieces P, then P entries in strictly increasing
//            order of piece bytes (so no piece repeats): varint prefix
//            length shared with the previous piece, string suffix, varint
//            count (at least 1)
//
// A reader also rejects a shard whose pieces decode to more than
// kMaxExpansion times the payload size plus kExpansionAllowance bytes. It
// rejects a sum of count * piece length (the bytes of text counted) above
// 2^63 - 1 too, because the trainer's 64-bit pair counts could overflow.

#include <xxhash.h>

#include <array>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "tokforge/counts.h"
#include "training/corpus_internal.h"
#include "training/piece_counts_impl.h"
#include "util/file_output.h"
#include "util/strings.h"

namespace tokforge {
namespace {

constexpr std::string_view kSignature = "\x89TOKCNT\n";
constexpr uint32_t kFormatVersion = 1;
constexpr size_t kHeaderBytes = 20;
constexpr size_t kChecksumBytes = 8;

// Each entry may repeat the whole previous piece in a few bytes, so the
// decoded size could otherwise grow with the square of the payload size
// (220 KB of entries that each add one byte decode to 800 MB). The limit
// keeps memory linear in the file size. Shards of real text decode to about
// 1.2 times their payload (measured on data/golden_corpus and on 10.8 MB of
// Python 3.11 standard library code).
// NOTE: a genuine shard exceeds the limit only if its text has thousands of
// long pieces that differ in their last bytes, such as every whitespace run
// length from 1 to 25,000. Counting such a corpus in smaller parts can bring
// each shard under the limit.
constexpr uint64_t kMaxExpansion = 64;
constexpr uint64_t kExpansionAllowance = uint64_t{256} << 20;

void PutFixed(std::string* out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

uint64_t GetFixed(std::string_view in, size_t offset, int bytes) {
  uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) {
    value |= uint64_t{static_cast<uint8_t>(in[offset + i])} << (8 * i);
  }
  return value;
}

void PutVarint(std::string* out, uint64_t value) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

void PutString(std::string* out, std::string_view text) {
  PutVarint(out, text.size());
  out->append(text);
}

std::string SettingsText(const CountSettings& settings) {
  return absl::StrCat("pre_tokenizer=", ToAbsl(kCountPreTokenizer), "\nnormalizer=",
                      ToAbsl(kCountNormalizer), "\nbyte_order_mark=",
                      settings.keep_byte_order_mark ? "keep" : "drop", "\n");
}

std::array<uint64_t*, 11> StatsFields(CountStats& stats) {
  return {&stats.files,
          &stats.sequences,
          &stats.bytes,
          &stats.pieces,
          &stats.documents,
          &stats.document_bytes,
          &stats.duplicate_documents,
          &stats.duplicate_bytes,
          &stats.unremembered_documents,
          &stats.sampled_out_sequences,
          &stats.pruned_pieces};
}

// Reads the payload with bounds checks. The checksum already passed, so a
// failure here means a writer bug or a collision, but it is still reported
// as corruption rather than trusted.
class PayloadReader {
 public:
  PayloadReader(std::string_view payload, std::string_view source)
      : rest_(payload), source_(source) {}

  bool ok() const { return status_.ok(); }
  absl::Status status() const { return status_; }
  bool empty() const { return rest_.empty(); }

  uint64_t Varint(std::string_view what) {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (rest_.empty()) {
        Fail(absl::StrCat("the payload ends inside ", ToAbsl(what)));
        return 0;
      }
      const uint8_t byte = static_cast<uint8_t>(rest_.front());
      rest_.remove_prefix(1);
      value |= uint64_t{byte & 0x7Fu} << shift;
      if ((byte & 0x80) == 0) return value;
    }
    Fail(absl::StrCat("varint longer than 64 bits in ", ToAbsl(what)));
    return 0;
  }

  std::string_view String(std::string_view what) {
    const uint64_t length = Varint(what);
    if (!ok()) return {};
    if (length > rest_.size()) {
      Fail(absl::StrCat(ToAbsl(what), " of ", length, " bytes runs past the payload end"));
      return {};
    }
    const std::string_view text = rest_.substr(0, length);
    rest_.remove_prefix(length);
    return text;
  }

  void Fail(std::string_view detail) {
    if (status_.ok()) {
      status_ = absl::DataLossError(absl::StrCat("count shard ", ToAbsl(source_),
                                                 " is corrupt: ", ToAbsl(detail),
                                                 "; write it again with tokforge count"));
    }
  }

 private:
  std::string_view rest_;
  std::string_view source_;
  absl::Status status_;
};

absl::Status ParseSettings(std::string_view text, std::string_view source,
                           CountSettings* settings) {
  bool has_pre_tokenizer = false;
  bool has_normalizer = false;
  bool has_byte_order_mark = false;
  for (absl::string_view line : absl::StrSplit(ToAbsl(text), '\n', absl::SkipEmpty())) {
    const size_t equals = line.find('=');
    const absl::string_view key = line.substr(0, equals);
    const absl::string_view value =
        equals == absl::string_view::npos ? absl::string_view() : line.substr(equals + 1);
    if (key == "pre_tokenizer") {
      if (value != ToAbsl(kCountPreTokenizer)) {
        return absl::FailedPreconditionError(absl::StrCat(
            "count shard ", ToAbsl(source), " was counted with pre-tokenizer \"", value,
            "\", but this build counts with \"", ToAbsl(kCountPreTokenizer),
            "\"; count the corpus again with this tokforge"));
      }
      has_pre_tokenizer = true;
    } else if (key == "normalizer") {
      if (value != ToAbsl(kCountNormalizer)) {
        return absl::FailedPreconditionError(absl::StrCat(
            "count shard ", ToAbsl(source), " was counted with normalizer \"", value,
            "\", but this build counts with \"", ToAbsl(kCountNormalizer),
            "\"; count the corpus again with this tokforge"));
      }
      has_normalizer = true;
    } else if (key == "byte_order_mark") {
      if (value != "keep" && value != "drop") {
        return absl::DataLossError(absl::StrCat("count shard ", ToAbsl(source),
                                                " is corrupt: byte_order_mark is \"", value,
                                                "\", expected keep or drop"));
      }
      settings->keep_byte_order_mark = value == "keep";
      has_byte_order_mark = true;
    } else {
      return absl::FailedPreconditionError(
          absl::StrCat("count shard ", ToAbsl(source), " has the unknown setting \"", line,
                       "\"; it was written by another tokforge version, so count the corpus "
                       "again with this one"));
    }
  }
  if (!has_pre_tokenizer || !has_normalizer || !has_byte_order_mark) {
    return absl::DataLossError(absl::StrCat(
        "count shard ", ToAbsl(source),
        " is corrupt: its settings lack pre_tokenizer, normalizer or byte_order_mark"));
  }
  return absl::OkStatus();
}

}  // namespace

std::string PieceCounts::Serialize() const {
  std::string payload;
  PutString(&payload, SettingsText(impl_->settings));
  CountStats stats = impl_->stats;
  const auto fields = StatsFields(stats);
  PutVarint(&payload, fields.size());
  for (const uint64_t* field : fields) PutVarint(&payload, *field);

  const std::vector<std::pair<std::string, int64_t>> pieces = impl_->counter.SortedCounts();
  PutVarint(&payload, pieces.size());
  std::string_view previous;
  for (const auto& [piece, count] : pieces) {
    size_t shared = 0;
    while (shared < previous.size() && shared < piece.size() && previous[shared] == piece[shared]) {
      ++shared;
    }
    PutVarint(&payload, shared);
    PutString(&payload, std::string_view(piece).substr(shared));
    PutVarint(&payload, static_cast<uint64_t>(count));
    previous = piece;
  }

  std::string out;
  out.reserve(kHeaderBytes + payload.size() + kChecksumBytes);
  out.append(kSignature);
  PutFixed(&out, kFormatVersion, 4);
  PutFixed(&out, payload.size(), 8);
  out.append(payload);
  PutFixed(&out, XXH3_64bits(out.data(), out.size()), 8);
  return out;
}

absl::StatusOr<PieceCounts> PieceCounts::Parse(std::string_view bytes, std::string_view source) {
  const absl::string_view name = ToAbsl(source);
  const size_t signature_bytes = std::min(bytes.size(), kSignature.size());
  if (bytes.substr(0, signature_bytes) != kSignature.substr(0, signature_bytes) ||
      bytes.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, " is not a count shard: it does not start with the count shard "
                           "signature; pass files written by tokforge count"));
  }
  if (bytes.size() < kHeaderBytes) {
    return absl::DataLossError(absl::StrCat("count shard ", name, " is truncated: ", bytes.size(),
                                            " bytes, shorter than the ", kHeaderBytes,
                                            "-byte header; write it again with tokforge count"));
  }
  const uint64_t version = GetFixed(bytes, 8, 4);
  if (version != kFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "count shard ", name, " has format version ", version, ", but this build reads version ",
        kFormatVersion, "; count the corpus again with this tokforge"));
  }
  const uint64_t payload_bytes = GetFixed(bytes, 12, 8);
  const uint64_t available = bytes.size() - kHeaderBytes;
  if (payload_bytes > available || available - payload_bytes < kChecksumBytes) {
    return absl::DataLossError(absl::StrCat(
        "count shard ", name, " is truncated: its header announces ",
        kHeaderBytes + payload_bytes + kChecksumBytes, " bytes but the file has ", bytes.size(),
        "; copy or write it again"));
  }
  if (available - payload_bytes > kChecksumBytes) {
    return absl::DataLossError(absl::StrCat(
        "count shard ", name, " is corrupt: ", available - payload_bytes - kChecksumBytes,
        " unexpected bytes follow the checksum; write it again with tokforge count"));
  }
  const size_t checked_bytes = kHeaderBytes + payload_bytes;
  const uint64_t stored = GetFixed(bytes, checked_bytes, 8);
  const uint64_t computed = XXH3_64bits(bytes.data(), checked_bytes);
  if (stored != computed) {
    return absl::DataLossError(absl::StrFormat(
        "count shard %s is corrupt: checksum mismatch (stored %016x, computed %016x); copy or "
        "write it again",
        name, stored, computed));
  }

  PayloadReader reader(bytes.substr(kHeaderBytes, payload_bytes), source);
  const std::string_view settings_text = reader.String("the settings");
  if (!reader.ok()) return reader.status();
  CountSettings settings;
  if (absl::Status status = ParseSettings(settings_text, source, &settings); !status.ok()) {
    return status;
  }
  PieceCounts counts(settings);

  const auto fields = StatsFields(counts.impl_->stats);
  const uint64_t field_count = reader.Varint("the statistics count");
  for (uint64_t i = 0; i < field_count && reader.ok(); ++i) {
    const uint64_t value = reader.Varint("the statistics");
    if (i < fields.size()) *fields[i] = value;
  }

  const uint64_t piece_count = reader.Varint("the piece count");
  const uint64_t max_piece_bytes = kMaxExpansion * payload_bytes + kExpansionAllowance;
  uint64_t piece_bytes = 0;
  uint64_t text_bytes = 0;
  std::string piece;
  std::string previous;
  for (uint64_t i = 0; i < piece_count && reader.ok(); ++i) {
    const uint64_t shared = reader.Varint("a piece prefix length");
    const std::string_view suffix = reader.String("a piece");
    const uint64_t count = reader.Varint("a piece count");
    if (!reader.ok()) break;
    if (shared > previous.size()) {
      reader.Fail(absl::StrCat("piece ", i, " shares ", shared, " bytes with a ",
                               previous.size(), "-byte predecessor"));
      break;
    }
    if (count == 0 || count > static_cast<uint64_t>(INT64_MAX)) {
      reader.Fail(absl::StrCat("piece ", i, " has the count ", count));
      break;
    }
    // shared is at most max_piece_bytes and the suffix at most the payload
    // size, so neither this sum nor piece_bytes can wrap.
    const uint64_t length = shared + suffix.size();
    // Counting never yields a piece longer than a corpus line, and the
    // counter stores piece lengths in 32 bits.
    if (length > corpus_internal::kMaxLineBytes) {
      reader.Fail(absl::StrCat("piece ", i, " is ", length,
                               " bytes long, more than the longest corpus line (",
                               corpus_internal::kMaxLineBytes,
                               " bytes)"));
      break;
    }
    piece_bytes += length;
    if (piece_bytes > max_piece_bytes) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "count shard ", name, " is rejected: its pieces decode to more than ", max_piece_bytes,
          " bytes (", kMaxExpansion, " times its ", payload_bytes, "-byte payload plus ",
          kExpansionAllowance >> 20, " MiB), a limit that stops damaged or crafted shards from "
          "exhausting memory; if the shard is genuine, count the corpus in smaller parts"));
    }
    piece.assign(previous, 0, shared);
    piece.append(suffix);
    if (i > 0 && piece <= previous) {
      reader.Fail(absl::StrCat("piece ", i, " is not greater than the piece before it"));
      break;
    }
    uint64_t piece_text_bytes = 0;
    if (__builtin_mul_overflow(count, length, &piece_text_bytes) ||
        __builtin_add_overflow(text_bytes, piece_text_bytes, &text_bytes) ||
        text_bytes > static_cast<uint64_t>(INT64_MAX)) {
      reader.Fail(absl::StrCat("the counts up to piece ", i,
                               " add up to more than 2^63 - 1 bytes of text"));
      break;
    }
    counts.impl_->counter.AddPiece(piece, static_cast<int64_t>(count));
    std::swap(piece, previous);
  }
  if (reader.ok() && !reader.empty()) reader.Fail("bytes follow the last piece");
  if (!reader.ok()) return reader.status();
  return counts;
}

absl::Status PieceCounts::WriteFile(const std::string& path) const {
  return WriteFileAtomically(path, Serialize());
}

absl::StatusOr<PieceCounts> PieceCounts::ReadFile(const std::string& path) {
  // Checking the signature first rejects a large file that is not a shard,
  // such as a corpus passed by mistake, without reading all of it.
  absl::StatusOr<std::string> signature = ReadFilePrefix(path, kSignature.size());
  if (!signature.ok()) return signature.status();
  if (*signature != kSignature) return Parse(*signature, path);
  absl::StatusOr<std::string> bytes = tokforge::ReadFile(path);
  if (!bytes.ok()) return bytes.status();
  return Parse(*bytes, path);
}

}  // namespace tokforge
