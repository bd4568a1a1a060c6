#include "models/bpe/bpe_model.h"

#include <queue>

#include "absl/strings/str_cat.h"
#include "util/byte_level.h"

namespace tokforge {

absl::StatusOr<BpeModel> BpeModel::Create(std::vector<std::pair<std::string, uint32_t>> vocab,
                                          const std::vector<BpeMergeRule>& merges,
                                          Options options) {
  BpeModel model;
  model.options_ = options;
  uint32_t max_id = 0;
  for (const auto& [token, id] : vocab) max_id = std::max(max_id, id);
  model.tokens_.resize(vocab.empty() ? 0 : static_cast<size_t>(max_id) + 1);
  for (auto& [token, id] : vocab) {
    if (!model.tokens_[id].empty()) {
      return absl::InvalidArgumentError(absl::StrCat("model.vocab: id ", id, " is used by both \"",
                                                     model.tokens_[id], "\" and \"", token, "\""));
    }
    model.tokens_[id] = token;
    model.ids_.emplace(std::move(token), id);
  }

  model.byte_ids_.fill(-1);
  if (options.byte_level) {
    const ByteLevelAlphabet& alphabet = ByteLevelAlphabet::Get();
    for (int byte = 0; byte < 256; ++byte) {
      const auto it = model.ids_.find(alphabet.Spelling(static_cast<uint8_t>(byte)));
      if (it != model.ids_.end()) model.byte_ids_[byte] = it->second;
    }
  }

  model.merges_.reserve(merges.size());
  for (size_t rank = 0; rank < merges.size(); ++rank) {
    const BpeMergeRule& rule = merges[rank];
    const auto left = model.ids_.find(rule.left);
    const auto right = model.ids_.find(rule.right);
    const auto result = model.ids_.find(absl::StrCat(rule.left, rule.right));
    if (left == model.ids_.end() || right == model.ids_.end() || result == model.ids_.end()) {
      const std::string missing = left == model.ids_.end()    ? rule.left
                                  : right == model.ids_.end() ? rule.right
                                                              : absl::StrCat(rule.left, rule.right);
      return absl::InvalidArgumentError(absl::StrCat("model.merges[", rank, "] (\"", rule.left,
                                                     "\", \"", rule.right, "\"): token \"",
                                                     missing, "\" is not in model.vocab"));
    }
    // A repeated merge keeps its first (lowest) rank.
    model.merges_.try_emplace(PairKey(left->second, right->second),
                              MergeTarget{static_cast<uint32_t>(rank), result->second});
  }
  return model;
}

std::optional<uint32_t> BpeModel::TokenToId(std::string_view token) const {
  const auto it = ids_.find(token);
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

const std::string* BpeModel::IdToToken(uint32_t id) const {
  if (id >= tokens_.size() || tokens_[id].empty()) return nullptr;
  return &tokens_[id];
}

void BpeModel::EncodePiece(std::string_view piece, std::vector<uint32_t>* ids) const {
  if (options_.ignore_merges) {
    std::string spelled;
    ByteLevelAlphabet::Get().Encode(piece, &spelled);
    if (const auto it = ids_.find(spelled); it != ids_.end()) {
      ids->push_back(it->second);
      return;
    }
  }

  // Symbols form a doubly linked list over positions; a min-heap holds the
  // candidate merges ordered by (rank, position), so the lowest rank merges
  // first and the leftmost occurrence wins a tie, as in Hugging Face.
  struct Symbol {
    uint32_t id;
    int32_t prev;
    int32_t next;
    bool alive;
  };
  std::vector<Symbol> symbols;
  symbols.reserve(piece.size());
  for (const char c : piece) {
    const int64_t id = byte_ids_[static_cast<uint8_t>(c)];
    if (id < 0) continue;
    const int32_t index = static_cast<int32_t>(symbols.size());
    symbols.push_back({static_cast<uint32_t>(id), index - 1, index + 1, true});
  }
  if (symbols.empty()) return;
  symbols.back().next = -1;

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
    const auto it = merges_.find(PairKey(symbols[position].id, symbols[next].id));
    if (it != merges_.end()) queue.push({it->second.rank, position, it->second.result});
  };
  for (int32_t i = 0; i + 1 < static_cast<int32_t>(symbols.size()); ++i) push_candidate(i);

  while (!queue.empty()) {
    const Candidate top = queue.top();
    queue.pop();
    Symbol& left = symbols[top.position];
    if (!left.alive || left.next < 0) continue;
    Symbol& right = symbols[left.next];
    // Skip entries made stale by an earlier merge of either symbol.
    const auto it = merges_.find(PairKey(left.id, right.id));
    if (it == merges_.end() || it->second.rank != top.rank) continue;
    left.id = top.result;
    right.alive = false;
    left.next = right.next;
    if (left.next >= 0) symbols[left.next].prev = top.position;
    if (left.prev >= 0) push_candidate(left.prev);
    push_candidate(top.position);
  }

  for (int32_t i = 0; i >= 0; i = symbols[i].next) ids->push_back(symbols[i].id);
}

}  // namespace tokforge
