#include "models/unigram/unigram_model.h"

#include <algorithm>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "util/utf8.h"

namespace tokforge::internal {
namespace {

// Score penalty of an unknown character below the lowest piece score
// (K_UNK_PENALTY in Hugging Face, kUnkPenalty in SentencePiece).
constexpr double kUnknownPenalty = 10.0;

// One position of the forward pass: the best path that ends here.
struct BestPath {
  double score = 0;
  uint32_t start = 0;
  uint32_t id = 0;
  bool reached = false;
  bool dropped = false;  // an unknown character without an unknown id
};

}  // namespace

absl::StatusOr<std::unique_ptr<UnigramModel>> UnigramModel::Create(std::vector<UnigramPiece> vocab,
                                                                   std::optional<uint32_t> unk_id,
                                                                   bool byte_fallback) {
  if (unk_id) {
    if (vocab.empty()) {
      return absl::InvalidArgumentError("the vocabulary is empty but unk_id is set");
    }
    if (*unk_id >= vocab.size()) {
      return absl::InvalidArgumentError(absl::StrCat("unk_id ", *unk_id,
                                                     " is outside the vocabulary of ",
                                                     vocab.size(), " pieces"));
    }
  }
  if (vocab.size() >= kNoNode) return absl::InvalidArgumentError("vocabulary too large");

  auto model = std::unique_ptr<UnigramModel>(new UnigramModel());
  model->vocab_ = std::move(vocab);
  model->unk_id_ = unk_id;
  model->byte_fallback_ = byte_fallback;
  model->min_score_ = std::numeric_limits<double>::infinity();
  model->node_piece_.push_back(kNoNode);  // the root
  model->token_to_id_.reserve(model->vocab_.size());
  for (uint32_t id = 0; id < model->vocab_.size(); ++id) {
    const UnigramPiece& entry = model->vocab_[id];
    model->token_to_id_[entry.piece] = id;
    model->min_score_ = std::min(model->min_score_, entry.score);
  }
  // The trie stores the id that token_to_id_ returns, so duplicates resolve
  // to the later id everywhere.
  for (const auto& [piece, id] : model->token_to_id_) {
    if (piece.empty()) continue;
    uint32_t node = 0;
    for (const char c : piece) {
      const uint64_t key = (static_cast<uint64_t>(node) << 8) | static_cast<uint8_t>(c);
      auto [it, inserted] = model->edges_.try_emplace(key, 0);
      if (inserted) {
        it->second = static_cast<uint32_t>(model->node_piece_.size());
        model->node_piece_.push_back(kNoNode);
      }
      node = it->second;
    }
    model->node_piece_[node] = id;
  }
  if (byte_fallback) {
    for (int byte = 0; byte < 256; ++byte) {
      const auto it = model->token_to_id_.find(absl::StrFormat("<0x%02X>", byte));
      if (it != model->token_to_id_.end()) model->byte_ids_[byte] = it->second;
    }
  }
  return model;
}

uint32_t UnigramModel::Child(uint32_t node, uint8_t byte) const {
  const auto it = edges_.find((static_cast<uint64_t>(node) << 8) | byte);
  return it == edges_.end() ? kNoNode : it->second;
}

void UnigramModel::Tokenize(std::string_view piece, std::vector<ModelToken>* out) const {
  if (piece.empty()) return;
  const size_t size = piece.size();
  const double unknown_score = min_score_ - kUnknownPenalty;
  std::vector<BestPath> best(size + 1);
  best[0].reached = true;

  auto relax = [&](size_t start, size_t end, double score, uint32_t id, bool dropped) {
    BestPath& target = best[end];
    const double candidate = best[start].score + score;
    if (!target.reached || candidate > target.score) {
      target = {candidate, static_cast<uint32_t>(start), id, true, dropped};
    }
  };

  for (size_t start = 0; start < size;) {
    const size_t char_length = DecodeUtf8(piece, start).length;
    bool has_single_char_piece = false;
    uint32_t node = 0;
    for (size_t end = start; end < size;) {
      node = Child(node, static_cast<uint8_t>(piece[end]));
      if (node == kNoNode) break;
      ++end;
      const uint32_t id = node_piece_[node];
      if (id == kNoNode) continue;
      relax(start, end, vocab_[id].score, id, false);
      if (end - start == char_length) has_single_char_piece = true;
    }
    if (!has_single_char_piece) {
      relax(start, start + char_length, unknown_score, unk_id_.value_or(0), !unk_id_.has_value());
    }
    start += char_length;
  }

  // Walk back along the best path. Spans are collected end to start, with
  // runs of unknown nodes fused into one span.
  struct Span {
    uint32_t begin;
    uint32_t end;
    bool dropped;
  };
  std::vector<Span> spans;
  bool in_unknown_run = false;
  for (size_t end = size; end > 0;) {
    const BestPath& node = best[end];
    const bool unknown = node.dropped || (unk_id_ && node.id == *unk_id_);
    if (unknown && in_unknown_run && spans.back().dropped == node.dropped) {
      spans.back().begin = node.start;
    } else {
      spans.push_back({node.start, static_cast<uint32_t>(end), node.dropped});
    }
    in_unknown_run = unknown;
    end = node.start;
  }

  for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
    if (it->dropped) continue;
    const std::string_view text = piece.substr(it->begin, it->end - it->begin);
    if (const auto found = token_to_id_.find(text); found != token_to_id_.end()) {
      out->push_back({found->second, it->begin, it->end});
      continue;
    }
    if (byte_fallback_) {
      bool all_bytes_known = true;
      for (const char c : text) all_bytes_known = all_bytes_known && byte_ids_[static_cast<uint8_t>(c)];
      if (all_bytes_known) {
        for (const char c : text) {
          out->push_back({*byte_ids_[static_cast<uint8_t>(c)], it->begin, it->end});
        }
        continue;
      }
    }
    if (unk_id_) out->push_back({*unk_id_, it->begin, it->end});
  }
}

std::optional<uint32_t> UnigramModel::TokenToId(std::string_view token) const {
  const auto it = token_to_id_.find(token);
  if (it == token_to_id_.end()) return std::nullopt;
  return it->second;
}

const std::string* UnigramModel::IdToToken(uint32_t id) const {
  return id < vocab_.size() ? &vocab_[id].piece : nullptr;
}

std::vector<std::pair<std::string, uint32_t>> UnigramModel::GetVocab() const {
  return {token_to_id_.begin(), token_to_id_.end()};
}

absl::StatusOr<std::unique_ptr<Model>> CreateUnigramModel(const Json& config,
                                                          const JsonLocation& where) {
  absl::StatusOr<const Json*> vocab_json = ReadArray(config, "vocab", where);
  if (!vocab_json.ok()) return vocab_json.status();
  std::vector<UnigramPiece> vocab;
  vocab.reserve((*vocab_json)->size());
  const JsonLocation vocab_where = where.Child("vocab");
  for (size_t i = 0; i < (*vocab_json)->size(); ++i) {
    const Json& entry = (**vocab_json)[i];
    if (!entry.is_array() || entry.size() != 2 || !entry[0].is_string() || !entry[1].is_number()) {
      return vocab_where.Index(i).Error(
          absl::StrCat("expected [piece, score], found ", entry.dump().substr(0, 60)));
    }
    vocab.push_back({entry[0].get<std::string>(), entry[1].get<double>()});
  }
  std::optional<uint32_t> unk_id;
  if (const auto it = config.find("unk_id"); it != config.end() && !it->is_null()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 0 || it->get<int64_t>() > 0x7FFFFFFF) {
      return where.Child("unk_id").Error(
          absl::StrCat("expected null or a non-negative integer, found ", it->dump()));
    }
    unk_id = it->get<uint32_t>();
  }
  absl::StatusOr<bool> byte_fallback = ReadBool(config, "byte_fallback", false, where);
  if (!byte_fallback.ok()) return byte_fallback.status();
  auto model = UnigramModel::Create(std::move(vocab), unk_id, *byte_fallback);
  if (!model.ok()) return where.Error(ToStd(model.status().message()));
  return std::unique_ptr<Model>(*std::move(model));
}

}  // namespace tokforge::internal
