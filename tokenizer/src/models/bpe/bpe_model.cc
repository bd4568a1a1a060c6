#include "models/bpe/bpe_model.h"

#include <algorithm>
#include <queue>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "util/byte_level.h"
#include "util/thread_cache.h"
#include "util/utf8.h"

namespace tokforge {

using internal::Json;
using internal::JsonLocation;
using internal::ModelToken;

namespace {

// SentencePiece's word marker, U+2581.
constexpr std::string_view kWordMarker = "\xE2\x96\x81";

// Ids above twice the vocabulary size plus this many are rejected on load.
constexpr size_t kMaxUnusedIds = size_t{1} << 20;

}  // namespace

absl::StatusOr<std::unique_ptr<BpeModel>> BpeModel::Create(
    std::vector<std::pair<std::string, uint32_t>> vocab, const std::vector<BpeMergeRule>& merges,
    Options options) {
  auto model = std::unique_ptr<BpeModel>(new BpeModel());
  model->options_ = std::move(options);
  uint32_t max_id = 0;
  for (const auto& [token, id] : vocab) max_id = std::max(max_id, id);
  // tokens_ is indexed by id, so a hostile file with a few entries and a huge
  // id would allocate gigabytes. Real vocabularies number their tokens from 0
  // with few gaps; this bound leaves room for a million unused ids.
  const size_t id_limit = 2 * vocab.size() + kMaxUnusedIds;
  if (!vocab.empty() && max_id >= id_limit) {
    const auto highest = std::find_if(vocab.begin(), vocab.end(),
                                      [&](const auto& entry) { return entry.second == max_id; });
    return absl::InvalidArgumentError(absl::StrCat(
        "vocab: id ", max_id, " of \"", highest->first, "\" is too large for a vocabulary of ",
        vocab.size(), " tokens; ids must be below ", id_limit,
        ", so number the tokens from 0 without large gaps"));
  }
  const size_t id_count = vocab.empty() ? 0 : static_cast<size_t>(max_id) + 1;
  model->tokens_.resize(id_count);
  model->has_token_.resize(id_count, false);
  model->ids_.reserve(vocab.size());
  for (auto& [token, id] : vocab) {
    if (model->has_token_[id]) {
      return absl::InvalidArgumentError(absl::StrCat("vocab: id ", id, " is used by both \"",
                                                     model->tokens_[id], "\" and \"", token,
                                                     "\""));
    }
    model->has_token_[id] = true;
    model->tokens_[id] = token;
    model->ids_.emplace(std::move(token), id);
  }

  if (model->options_.unk_token) {
    model->unk_id_ = model->TokenToId(*model->options_.unk_token);
    if (!model->unk_id_) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unk_token: token \"", *model->options_.unk_token, "\" is not in model.vocab"));
    }
  }

  model->char_ids_.fill(-1);
  for (int byte = 0; byte < 0x80; ++byte) {
    const auto it = model->ids_.find(std::string(1, static_cast<char>(byte)));
    if (it != model->ids_.end()) model->char_ids_[byte] = it->second;
  }
  model->byte_fallback_ids_.fill(-1);
  for (int byte = 0; byte < 256; ++byte) {
    const auto it = model->ids_.find(absl::StrFormat("<0x%02X>", byte));
    if (it != model->ids_.end()) model->byte_fallback_ids_[byte] = it->second;
  }

  const std::string& prefix = model->options_.continuing_subword_prefix;
  model->merges_.Reserve(merges.size());
  for (size_t rank = 0; rank < merges.size(); ++rank) {
    const BpeMergeRule& rule = merges[rank];
    std::string_view right_stem = rule.right;
    if (!prefix.empty() && right_stem.substr(0, prefix.size()) == prefix) {
      right_stem.remove_prefix(prefix.size());
    }
    const std::string merged = absl::StrCat(rule.left, ToAbsl(right_stem));
    const auto left = model->ids_.find(rule.left);
    const auto right = model->ids_.find(rule.right);
    const auto result = model->ids_.find(merged);
    if (left == model->ids_.end() || right == model->ids_.end() || result == model->ids_.end()) {
      const std::string missing = left == model->ids_.end()    ? rule.left
                                  : right == model->ids_.end() ? rule.right
                                                               : merged;
      return absl::InvalidArgumentError(absl::StrCat("merges[", rank, "] (\"", rule.left, "\", \"",
                                                     rule.right, "\"): token \"", missing,
                                                     "\" is not in model.vocab"));
    }
    // Hugging Face collects the merges into a hash map, so a repeated pair
    // takes the rank of its last occurrence.
    model->merges_.Insert(left->second, right->second,
                          {static_cast<uint32_t>(rank), result->second});
  }
  model->PrepareRawBytes();
  model->PrepareCuts();
  return model;
}

namespace {

using bpe_internal::Merge;
using bpe_internal::MergeTable;

// Pieces up to this many bytes merge in a stack buffer by rescanning the
// pair ranks; longer ones use a heap.
constexpr size_t kMaxShortPieceBytes = 64;
static_assert(bpe_internal::PieceCache::kMaxPieceBytes <= kMaxShortPieceBytes);

// Merges symbols[0, count) in place and returns the new count. Each round
// merges the pair of lowest rank, the leftmost on a tie, as Hugging Face's
// queue does. Only the two pairs around the merged symbol need a new lookup.
// on_merge(i) runs after symbol i absorbed symbol i + 1, before the symbols
// after it move down. Requires count <= kMaxShortPieceBytes.
template <typename OnMerge>
size_t MergeInPlace(const MergeTable& merges, uint32_t* symbols, size_t count, OnMerge on_merge) {
  if (count < 2) return count;
  // pairs[i] is the merge of symbols[i] and symbols[i + 1].
  Merge pairs[kMaxShortPieceBytes];
  for (size_t i = 0; i + 1 < count; ++i) pairs[i] = merges.Find(symbols[i], symbols[i + 1]);
  while (count > 1) {
    size_t best = 0;
    for (size_t i = 1; i + 1 < count; ++i) {
      if (pairs[i].rank < pairs[best].rank) best = i;
    }
    if (pairs[best].rank == MergeTable::kNoMerge) break;
    symbols[best] = pairs[best].result;
    on_merge(best);
    std::copy(symbols + best + 2, symbols + count, symbols + best + 1);
    if (best + 2 < count) std::copy(pairs + best + 2, pairs + count - 1, pairs + best + 1);
    --count;
    if (best > 0) pairs[best - 1] = merges.Find(symbols[best - 1], symbols[best]);
    if (best + 1 < count) pairs[best] = merges.Find(symbols[best], symbols[best + 1]);
  }
  return count;
}

}  // namespace

void BpeModel::PrepareRawBytes() {
  accepts_raw_bytes_ =
      options_.continuing_subword_prefix.empty() && options_.end_of_word_suffix.empty();
  const ByteLevelAlphabet& alphabet = ByteLevelAlphabet::Get();
  for (int byte = 0; byte < 256 && accepts_raw_bytes_; ++byte) {
    const auto it = ids_.find(alphabet.Spelling(static_cast<uint8_t>(byte)));
    if (it == ids_.end()) {
      accepts_raw_bytes_ = false;
    } else {
      byte_symbol_ids_[byte] = it->second;
    }
  }
  if (!accepts_raw_bytes_) return;

  std::vector<std::pair<std::string, uint32_t>> raw_tokens;
  raw_tokens.reserve(ids_.size());
  std::string bytes;
  for (const auto& [token, id] : ids_) {
    bytes.clear();
    if (alphabet.Decode(token, &bytes)) raw_tokens.emplace_back(bytes, id);
  }
  // Sorted by id so that, of two tokens with the same bytes, the table keeps
  // the same one on every load.
  std::sort(raw_tokens.begin(), raw_tokens.end(),
            [](const auto& a, const auto& b) { return a.second < b.second; });
  if (options_.ignore_merges) {
    whole_tokens_.Build(raw_tokens);
  } else {
    // One BPE run per token, about 5 ms for GPT-2's 50,257 tokens.
    std::vector<std::pair<std::string, uint32_t>> whole;
    whole.reserve(raw_tokens.size());
    for (const auto& [raw, id] : raw_tokens) {
      if (MergesToItself(id, raw)) whole.emplace_back(raw, id);
    }
    whole_tokens_.Build(whole);
  }
  if (options_.ignore_merges && !whole_tokens_.complete()) {
    raw_ids_.reserve(raw_tokens.size());
    for (auto& [raw, id] : raw_tokens) raw_ids_.emplace(std::move(raw), id);
  }
}

void BpeModel::MergeBytes(std::string_view bytes, std::vector<uint32_t>* symbols) const {
  symbols->clear();
  symbols->reserve(bytes.size());
  for (const char byte : bytes) symbols->push_back(byte_symbol_ids_[static_cast<uint8_t>(byte)]);
  if (symbols->size() <= kMaxShortPieceBytes) {
    symbols->resize(MergeShort(symbols->data(), symbols->data() + symbols->size()) -
                    symbols->data());
  } else {
    MergeLong(symbols);
  }
}

bool BpeModel::MergesToItself(uint32_t id, std::string_view bytes) const {
  std::vector<uint32_t> symbols;
  MergeBytes(bytes, &symbols);
  return symbols.size() == 1 && symbols[0] == id;
}

uint32_t* BpeModel::MergeShort(uint32_t* symbols, uint32_t* end) const {
  const size_t count =
      MergeInPlace(merges_, symbols, static_cast<size_t>(end - symbols), [](size_t) {});
  return symbols + count;
}

void BpeModel::MergeLong(std::vector<uint32_t>* symbols) const {
  std::vector<uint32_t>& ids = *symbols;
  // A linked list and a heap of (rank, position): O(n log n).
  struct Candidate {
    uint32_t rank;
    uint32_t position;
    bool operator>(const Candidate& other) const {
      return rank != other.rank ? rank > other.rank : position > other.position;
    }
  };
  const auto n = static_cast<int64_t>(ids.size());
  std::vector<int64_t> next(n);
  std::vector<int64_t> prev(n);
  std::vector<bool> alive(n, true);
  for (int64_t i = 0; i < n; ++i) {
    next[i] = i + 1 < n ? i + 1 : -1;
    prev[i] = i - 1;
  }
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<Candidate>> queue;
  auto push_candidate = [&](int64_t position) {
    if (position < 0 || next[position] < 0) return;
    const Merge merge = merges_.Find(ids[position], ids[next[position]]);
    if (merge.rank != MergeTable::kNoMerge) {
      queue.push({merge.rank, static_cast<uint32_t>(position)});
    }
  };
  for (int64_t i = 0; i + 1 < n; ++i) push_candidate(i);
  while (!queue.empty()) {
    const Candidate top = queue.top();
    queue.pop();
    const int64_t left = top.position;
    if (!alive[left] || next[left] < 0) continue;
    const int64_t right = next[left];
    const Merge merge = merges_.Find(ids[left], ids[right]);
    if (merge.rank != top.rank) continue;
    ids[left] = merge.result;
    alive[right] = false;
    next[left] = next[right];
    if (next[left] >= 0) prev[next[left]] = left;
    push_candidate(prev[left]);
    push_candidate(left);
  }
  size_t out = 0;
  for (int64_t i = 0; i >= 0; i = next[i]) ids[out++] = ids[i];
  ids.resize(out);
}

void BpeModel::EncodeBytesSlow(std::string_view piece, std::vector<uint32_t>* ids) const {
  if (piece.empty()) return;
  if (options_.ignore_merges && !whole_tokens_.complete()) {
    if (const auto it = raw_ids_.find(piece); it != raw_ids_.end()) {
      ids->push_back(it->second);
      return;
    }
  }
  if (piece.size() <= bpe_internal::PieceCache::kMaxPieceBytes) {
    bpe_internal::PieceCache& cache = ThreadCacheFor<bpe_internal::PieceCache>(cache_key());
    const uint64_t hash = bpe_internal::PieceCache::HashPiece(piece);
    if (cache.Lookup(piece, hash, ids)) return;
    uint32_t symbols[bpe_internal::PieceCache::kMaxPieceBytes];
    for (size_t i = 0; i < piece.size(); ++i) {
      symbols[i] = byte_symbol_ids_[static_cast<uint8_t>(piece[i])];
    }
    uint32_t* end = MergeShort(symbols, symbols + piece.size());
    cache.Insert(piece, hash, symbols, static_cast<size_t>(end - symbols));
    ids->insert(ids->end(), symbols, end);
    return;
  }
  std::vector<uint32_t> symbols;
  MergeBytes(piece, &symbols);
  ids->insert(ids->end(), symbols.begin(), symbols.end());
}

std::optional<uint32_t> BpeModel::TokenToId(std::string_view token) const {
  const auto it = ids_.find(token);
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

const std::string* BpeModel::IdToToken(uint32_t id) const {
  if (id >= tokens_.size() || !has_token_[id]) return nullptr;
  return &tokens_[id];
}

std::vector<std::pair<std::string, uint32_t>> BpeModel::GetVocab() const {
  return {ids_.begin(), ids_.end()};
}

std::optional<uint32_t> BpeModel::SymbolId(std::string_view text, bool first, bool last) const {
  const std::string& prefix = options_.continuing_subword_prefix;
  const std::string& suffix = options_.end_of_word_suffix;
  if ((first || prefix.empty()) && (!last || suffix.empty())) {
    if (text.size() == 1) {
      const int64_t id = char_ids_[static_cast<uint8_t>(text[0])];
      if (id < 0) return std::nullopt;
      return static_cast<uint32_t>(id);
    }
    return TokenToId(text);
  }
  std::string spelled;
  if (!first) spelled.append(prefix);
  spelled.append(text);
  if (last) spelled.append(suffix);
  return TokenToId(spelled);
}

void BpeModel::PrepareCuts() {
  // A prefix or suffix depends on where a symbol sits in the piece, and
  // ignore_merges looks up the piece whole, so cutting would change both.
  if (!options_.continuing_subword_prefix.empty() || !options_.end_of_word_suffix.empty() ||
      options_.ignore_merges) {
    return;
  }
  cut_at_word_marker_ = ids_.contains(kWordMarker);
  std::vector<bool> joined(128 * 128, false);
  for (const auto& [token, id] : ids_) {
    for (size_t pos = token.find(kWordMarker, 1); pos != std::string::npos && cut_at_word_marker_;
         pos = token.find(kWordMarker, pos + 1)) {
      if (pos < kWordMarker.size() ||
          token.compare(pos - kWordMarker.size(), kWordMarker.size(), kWordMarker) != 0) {
        cut_at_word_marker_ = false;
      }
    }
    for (size_t i = 1; i < token.size(); ++i) {
      const auto a = static_cast<unsigned char>(token[i - 1]);
      const auto b = static_cast<unsigned char>(token[i]);
      if (a < 128 && b < 128) joined[a * 128 + b] = true;
    }
  }
  ascii_pair_cuts_.assign(128 * 128, false);
  for (int a = 0; a < 128; ++a) {
    for (int b = 0; b < 128; ++b) {
      if (joined[a * 128 + b]) continue;
      // Two unknown characters in a row become one unk token under fuse_unk.
      if (options_.fuse_unk && unk_id_ && char_ids_[a] < 0 && char_ids_[b] < 0) continue;
      ascii_pair_cuts_[a * 128 + b] = true;
      cut_ascii_pairs_ = true;
    }
  }
}

bool BpeModel::IsCut(std::string_view piece, size_t pos) const {
  const auto a = static_cast<unsigned char>(piece[pos - 1]);
  const auto b = static_cast<unsigned char>(piece[pos]);
  if (a < 128 && b < 128) return cut_ascii_pairs_ && ascii_pair_cuts_[a * 128 + b];
  return cut_at_word_marker_ && piece.compare(pos, kWordMarker.size(), kWordMarker) == 0 &&
         !(pos >= kWordMarker.size() &&
           piece.compare(pos - kWordMarker.size(), kWordMarker.size(), kWordMarker) == 0);
}

void BpeModel::TokenizeSegment(std::string_view piece, size_t begin, size_t end,
                               std::vector<ModelToken>* out) const {
  const size_t first = out->size();
  TokenizeCached(piece.substr(begin, end - begin), out);
  for (size_t i = first; i < out->size(); ++i) {
    (*out)[i].begin += static_cast<uint32_t>(begin);
    (*out)[i].end += static_cast<uint32_t>(begin);
  }
}

void BpeModel::Tokenize(std::string_view piece, std::vector<ModelToken>* out) const {
  if (piece.empty()) return;
  if (cut_at_word_marker_ || cut_ascii_pairs_) {
    // Encode the parts one by one through the cache, as parts repeat where
    // whole sentences do not.
    size_t part_begin = 0;
    for (size_t pos = 1; pos < piece.size(); ++pos) {
      if (!IsCut(piece, pos)) continue;
      TokenizeSegment(piece, part_begin, pos, out);
      part_begin = pos;
    }
    if (part_begin > 0) {
      TokenizeSegment(piece, part_begin, piece.size(), out);
      return;
    }
  }
  if (options_.ignore_merges) {
    if (const auto it = ids_.find(piece); it != ids_.end()) {
      out->push_back({it->second, 0, static_cast<uint32_t>(piece.size())});
      return;
    }
  }

  // Symbols form a doubly linked list, and a min-heap orders the candidate
  // merges by (rank, position). So the lowest rank merges first and the
  // leftmost occurrence wins a tie, as in Hugging Face.
  struct Symbol {
    uint32_t id;
    uint32_t begin;
    uint32_t end;
    int32_t prev;
    int32_t next;
    bool alive;
  };
  std::vector<Symbol> symbols;
  symbols.reserve(piece.size());
  auto push_symbol = [&](uint32_t id, size_t begin, size_t end) {
    const auto index = static_cast<int32_t>(symbols.size());
    symbols.push_back({id, static_cast<uint32_t>(begin), static_cast<uint32_t>(end), index - 1,
                       index + 1, true});
  };

  std::optional<std::pair<size_t, size_t>> pending_unk;
  auto flush_unk = [&] {
    if (pending_unk) push_symbol(*unk_id_, pending_unk->first, pending_unk->second);
    pending_unk.reset();
  };
  for (size_t pos = 0; pos < piece.size();) {
    const size_t length = DecodeUtf8(piece, pos).length;
    const size_t end = pos + length;
    const std::optional<uint32_t> id = SymbolId(piece.substr(pos, length), pos == 0,
                                                end == piece.size());
    if (id) {
      flush_unk();
      push_symbol(*id, pos, end);
    } else if (options_.byte_fallback &&
               std::all_of(piece.begin() + static_cast<ptrdiff_t>(pos),
                           piece.begin() + static_cast<ptrdiff_t>(end), [&](char byte) {
                             return byte_fallback_ids_[static_cast<uint8_t>(byte)] >= 0;
                           })) {
      flush_unk();
      for (size_t i = pos; i < end; ++i) {
        push_symbol(static_cast<uint32_t>(byte_fallback_ids_[static_cast<uint8_t>(piece[i])]), i,
                    i + 1);
      }
    } else if (unk_id_) {
      if (pending_unk && options_.fuse_unk) {
        pending_unk->second = end;
      } else {
        flush_unk();
        pending_unk.emplace(pos, end);
      }
    }
    pos = end;
  }
  flush_unk();
  if (symbols.empty()) return;
  symbols.back().next = -1;

  if (symbols.size() <= kMaxShortPieceBytes) {
    uint32_t ids[kMaxShortPieceBytes];
    for (size_t i = 0; i < symbols.size(); ++i) ids[i] = symbols[i].id;
    // symbols[i] keeps the span of ids[i]: a merge extends the left span and
    // drops the right one.
    const size_t count = MergeInPlace(merges_, ids, symbols.size(), [&](size_t i) {
      symbols[i].end = symbols[i + 1].end;
      symbols.erase(symbols.begin() + static_cast<ptrdiff_t>(i) + 1);
    });
    for (size_t i = 0; i < count; ++i) out->push_back({ids[i], symbols[i].begin, symbols[i].end});
    return;
  }

  struct Candidate {
    uint32_t rank;
    int32_t position;
    uint32_t result;
    bool operator>(const Candidate& other) const {
      return rank != other.rank ? rank > other.rank : position > other.position;
    }
  };
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<Candidate>> queue;
  auto push_candidate = [&](int32_t position) {
    const int32_t next = symbols[position].next;
    if (next < 0) return;
    const Merge merge = merges_.Find(symbols[position].id, symbols[next].id);
    if (merge.rank != MergeTable::kNoMerge) queue.push({merge.rank, position, merge.result});
  };
  for (int32_t i = 0; i + 1 < static_cast<int32_t>(symbols.size()); ++i) push_candidate(i);

  while (!queue.empty()) {
    const Candidate top = queue.top();
    queue.pop();
    Symbol& left = symbols[top.position];
    if (!left.alive || left.next < 0) continue;
    Symbol& right = symbols[left.next];
    // Skip entries made stale by an earlier merge of either symbol.
    if (merges_.Find(left.id, right.id).rank != top.rank) continue;
    left.id = top.result;
    left.end = right.end;
    right.alive = false;
    left.next = right.next;
    if (left.next >= 0) symbols[left.next].prev = top.position;
    if (left.prev >= 0) push_candidate(left.prev);
    push_candidate(top.position);
  }

  for (int32_t i = 0; i >= 0; i = symbols[i].next) {
    out->push_back({symbols[i].id, symbols[i].begin, symbols[i].end});
  }
}

namespace {

absl::StatusOr<std::vector<BpeMergeRule>> ReadMerges(const Json& model, const JsonLocation& where) {
  std::vector<BpeMergeRule> merges;
  const auto it = model.find("merges");
  if (it == model.end() || it->is_null()) return merges;
  const JsonLocation merges_where = where.Child("merges");
  if (!it->is_array()) return merges_where.Error("expected an array of merges");
  merges.reserve(it->size());
  for (size_t i = 0; i < it->size(); ++i) {
    const Json& merge = (*it)[i];
    if (merge.is_string()) {
      // The legacy form "left right": exactly one space.
      const std::string text = merge.get<std::string>();
      const size_t space = text.find(' ');
      if (space == std::string::npos || text.find(' ', space + 1) != std::string::npos) {
        return merges_where.Index(i).Error(
            absl::StrCat("expected \"left right\" with exactly one space, found \"", text, "\""));
      }
      merges.push_back({text.substr(0, space), text.substr(space + 1)});
    } else if (merge.is_array() && merge.size() == 2 && merge[0].is_string() &&
               merge[1].is_string()) {
      merges.push_back({merge[0].get<std::string>(), merge[1].get<std::string>()});
    } else {
      return merges_where.Index(i).Error(
          absl::StrCat("expected a pair of strings or \"left right\", found ", merge.dump()));
    }
  }
  return merges;
}

}  // namespace

absl::StatusOr<std::unique_ptr<internal::Model>> CreateBpeModel(const Json& config,
                                                                const JsonLocation& where) {
  const auto vocab = config.find("vocab");
  if (vocab == config.end() || !vocab->is_object()) {
    return where.Child("vocab").Error("expected an object mapping tokens to ids");
  }
  std::vector<std::pair<std::string, uint32_t>> entries;
  entries.reserve(vocab->size());
  for (const auto& [token, id] : vocab->items()) {
    if (!id.is_number_unsigned() || id.get<uint64_t>() > 0x7FFFFFFF) {
      return where.Child("vocab").Error(absl::StrCat(
          "expected a non-negative integer id for \"", token, "\", found ", id.dump()));
    }
    entries.emplace_back(token, id.get<uint32_t>());
  }
  absl::StatusOr<std::vector<BpeMergeRule>> merges = ReadMerges(config, where);
  if (!merges.ok()) return merges.status();

  if (const auto dropout = config.find("dropout"); dropout != config.end() && !dropout->is_null()) {
    if (!dropout->is_number() || dropout->get<double>() < 0 || dropout->get<double>() > 1) {
      return where.Child("dropout").Error(
          absl::StrCat("expected null or a number from 0 to 1, found ", dropout->dump()));
    }
    // Dropout makes encoding random, so no output could match a reference.
    if (dropout->get<double>() != 0) {
      return absl::UnimplementedError(absl::StrCat(
          where.source, ": ", where.path, ".dropout: BPE dropout ", dropout->dump(),
          " is not supported; set it to null for deterministic encoding"));
    }
  }

  BpeModel::Options options;
  auto unk = internal::ReadOptionalString(config, "unk_token", where);
  auto prefix = internal::ReadOptionalString(config, "continuing_subword_prefix", where);
  auto suffix = internal::ReadOptionalString(config, "end_of_word_suffix", where);
  auto fuse_unk = internal::ReadBool(config, "fuse_unk", false, where);
  auto byte_fallback = internal::ReadBool(config, "byte_fallback", false, where);
  auto ignore_merges = internal::ReadBool(config, "ignore_merges", false, where);
  for (const absl::Status& status : {unk.status(), prefix.status(), suffix.status(),
                                     fuse_unk.status(), byte_fallback.status(),
                                     ignore_merges.status()}) {
    if (!status.ok()) return status;
  }
  options.unk_token = *unk;
  options.continuing_subword_prefix = prefix->value_or("");
  options.end_of_word_suffix = suffix->value_or("");
  options.fuse_unk = *fuse_unk;
  options.byte_fallback = *byte_fallback;
  options.ignore_merges = *ignore_merges;

  auto model = BpeModel::Create(std::move(entries), *merges, std::move(options));
  if (!model.ok()) return where.Error(ToStd(model.status().message()));
  return std::unique_ptr<internal::Model>(*std::move(model));
}

}  // namespace tokforge
