#include "pipeline.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "models/bpe/bpe_model.h"
#include "pretokenizers/cl100k_split.h"
#include "pretokenizers/gpt2_split.h"
#include "pretokenizers/o200k_split.h"
#include "pretokenizers/regex.h"

namespace tokforge::internal {
namespace {

// Raw-byte encoders, one per kind of split. The scanners are templates, so
// each instance inlines the scanner and the model's whole-piece lookup.
template <void (*kSplit)(std::string_view, const BpeModel&, std::vector<uint32_t>*)>
void EncodeWithScanner(const BpeModel& model, const Regex* /*split*/, std::string_view text,
                       std::vector<uint32_t>* ids) {
  kSplit(text, model, ids);
}

void SplitGpt2Into(std::string_view text, const BpeModel& model, std::vector<uint32_t>* ids) {
  SplitGpt2(text, [&](size_t begin, size_t end) {
    model.EncodeBytes(text.substr(begin, end - begin), ids);
  });
}
void SplitCl100kInto(std::string_view text, const BpeModel& model, std::vector<uint32_t>* ids) {
  SplitCl100k(text, [&](size_t begin, size_t end) {
    model.EncodeBytes(text.substr(begin, end - begin), ids);
  });
}
void SplitO200kInto(std::string_view text, const BpeModel& model, std::vector<uint32_t>* ids) {
  SplitO200k(text, [&](size_t begin, size_t end) {
    model.EncodeBytes(text.substr(begin, end - begin), ids);
  });
}

void EncodeWithoutSplit(const BpeModel& model, const Regex* /*split*/, std::string_view text,
                        std::vector<uint32_t>* ids) {
  if (!text.empty()) model.EncodeBytes(text, ids);
}

// Any other regex, with the Isolated behavior: the matches and the gaps
// between them are the pieces.
void EncodeWithRegex(const BpeModel& model, const Regex* split, std::string_view text,
                     std::vector<uint32_t>* ids) {
  thread_local MatchList matches;
  matches.clear();
  split->FindAll(text, &matches);
  size_t previous = 0;
  for (const auto& [begin, end] : matches) {
    if (previous < begin) model.EncodeBytes(text.substr(previous, begin - previous), ids);
    if (begin < end) model.EncodeBytes(text.substr(begin, end - begin), ids);
    previous = end;
  }
  if (previous < text.size()) model.EncodeBytes(text.substr(previous), ids);
}

const Json* FindComponent(const Json& document, const char* key) {
  const auto it = document.find(key);
  if (it == document.end() || it->is_null()) return nullptr;
  return &*it;
}

}  // namespace

absl::StatusOr<std::shared_ptr<const Pipeline>> Pipeline::Create(Json document,
                                                                 std::string_view source_name) {
  const JsonLocation root{std::string(source_name), ""};
  if (!document.is_object()) return root.Error("expected a JSON object at the top level");
  auto pipeline = std::shared_ptr<Pipeline>(new Pipeline());

  if (const Json* config = FindComponent(document, "normalizer")) {
    auto normalizer = CreateNormalizer(*config, root.Child("normalizer"));
    if (!normalizer.ok()) return normalizer.status();
    pipeline->normalizer_ = *std::move(normalizer);
  }
  if (const Json* config = FindComponent(document, "pre_tokenizer")) {
    auto pre_tokenizer = CreatePreTokenizer(*config, root.Child("pre_tokenizer"));
    if (!pre_tokenizer.ok()) return pre_tokenizer.status();
    pipeline->pre_tokenizer_ = *std::move(pre_tokenizer);
  }
  const auto model_it = document.find("model");
  if (model_it == document.end() || !model_it->is_object()) {
    return root.Child("model").Error("missing model object");
  }
  Json* model = &*model_it;
  if (!model->contains("type") && model->contains("merges")) {
    // Files written before models carried a type: a model with merges is BPE.
    (*model)["type"] = "BPE";
  }
  if (!model->contains("type")) {
    // Hugging Face tries the untyped models in the order BPE, WordPiece,
    // WordLevel, Unigram, so a vocab object without merges reads as
    // WordPiece and only a list of [piece, score] pairs reads as Unigram.
    const auto vocab = model->find("vocab");
    const bool pairs = vocab != model->end() && vocab->is_array();
    (*model)["type"] = pairs ? "Unigram" : "WordPiece";
  }
  {
    auto created = CreateModel(*model, root.Child("model"));
    if (!created.ok()) return created.status();
    pipeline->model_ = *std::move(created);
  }
  if (const Json* config = FindComponent(document, "post_processor")) {
    auto post_processor = CreatePostProcessor(*config, root.Child("post_processor"));
    if (!post_processor.ok()) return post_processor.status();
    pipeline->post_processor_ = *std::move(post_processor);
  }
  if (const Json* config = FindComponent(document, "decoder")) {
    auto decoder = CreateDecoder(*config, root.Child("decoder"));
    if (!decoder.ok()) return decoder.status();
    pipeline->decoder_ = *std::move(decoder);
  }
  const auto added = document.find("added_tokens");
  auto vocabulary = AddedVocabulary::Create(added == document.end() ? Json() : *added,
                                            root.Child("added_tokens"),
                                            pipeline->normalizer_.get(), *pipeline->model_);
  if (!vocabulary.ok()) return vocabulary.status();
  pipeline->added_ = *std::move(vocabulary);

  const Regex* split = nullptr;
  if (pipeline->normalizer_ == nullptr && pipeline->pre_tokenizer_ != nullptr &&
      pipeline->pre_tokenizer_->ByteLevelSplit(&split)) {
    const auto* bpe = dynamic_cast<const BpeModel*>(pipeline->model_.get());
    if (bpe != nullptr && bpe->accepts_raw_bytes()) {
      pipeline->fast_model_ = bpe;
      pipeline->fast_split_ = split;
      const Regex::Scanner scanner = split == nullptr ? Regex::Scanner::kNone : split->scanner();
      switch (scanner) {
        case Regex::Scanner::kGpt2:
          pipeline->encode_raw_ = EncodeWithScanner<SplitGpt2Into>;
          break;
        case Regex::Scanner::kCl100k:
          pipeline->encode_raw_ = EncodeWithScanner<SplitCl100kInto>;
          break;
        case Regex::Scanner::kO200k:
          pipeline->encode_raw_ = EncodeWithScanner<SplitO200kInto>;
          break;
        case Regex::Scanner::kNone:
          pipeline->encode_raw_ = split == nullptr ? EncodeWithoutSplit : EncodeWithRegex;
          break;
      }
    }
  }

  pipeline->plain_ids_path_ =
      (pipeline->normalizer_ == nullptr || pipeline->normalizer_->HasPlainNormalize()) &&
      (pipeline->pre_tokenizer_ == nullptr || pipeline->pre_tokenizer_->HasTextSplit());

  pipeline->document_ = std::move(document);
  return std::shared_ptr<const Pipeline>(std::move(pipeline));
}

void Pipeline::EncodeText(const NormalizedString& text, Encoding* encoding,
                          bool with_details) const {
  if (!with_details && (pre_tokenizer_ == nullptr || pre_tokenizer_->HasTextSplit())) {
    EncodeTextIds(text.str(), &encoding->ids);
    return;
  }
  std::vector<NormalizedString> pieces;
  if (pre_tokenizer_ != nullptr) {
    pre_tokenizer_->PreTokenize(text, &pieces);
  } else if (!text.empty()) {
    pieces.push_back(text);
  }
  std::vector<ModelToken> tokens;
  for (const NormalizedString& piece : pieces) {
    tokens.clear();
    model_->TokenizeCached(piece.str(), &tokens);
    for (const ModelToken& token : tokens) {
      encoding->ids.push_back(token.id);
      if (!with_details) continue;
      const std::string* spelling = model_->IdToToken(token.id);
      encoding->tokens.push_back(spelling != nullptr ? *spelling : std::string());
      encoding->offsets.push_back(piece.ToOriginal(token.begin, token.end));
      encoding->special_tokens_mask.push_back(0);
    }
  }
}

void Pipeline::EncodeTextIds(std::string_view text, std::vector<uint32_t>* ids) const {
  // Encode is not reentrant on one thread, so these buffers can be reused.
  thread_local std::vector<std::string_view> pieces;
  thread_local std::deque<std::string> arena;
  thread_local std::vector<ModelToken> tokens;
  pieces.clear();
  arena.clear();
  if (pre_tokenizer_ == nullptr) {
    if (!text.empty()) pieces.push_back(text);
  } else {
    pre_tokenizer_->SplitText(text, &pieces, &arena);
  }
  for (const std::string_view piece : pieces) {
    tokens.clear();
    model_->TokenizeCached(piece, &tokens);
    for (const ModelToken& token : tokens) ids->push_back(token.id);
  }
}

bool Pipeline::ContainsAddedToken(std::string_view text) const {
  // Without a normalizer, tokens matched on normalized text match as written.
  return added_.OccursInOriginal(text) || added_.OccursInNormalized(text);
}

void Pipeline::EncodeIdsFast(std::string_view text, bool add_special_tokens,
                             std::vector<uint32_t>* ids) const {
  // GPT-2 averages 2.2 bytes per token on Python source and about 4 on
  // English prose, so room for one token per 3 bytes avoids most regrowth.
  // Growth stays geometric for callers that append many texts to one vector.
  const size_t required = ids->size() + text.size() / 3 + 4;
  if (required > ids->capacity()) ids->reserve(std::max(required, 2 * ids->capacity()));
  const auto encode = [&](std::vector<uint32_t>* out) {
    if (!ContainsAddedToken(text)) {
      encode_raw_(*fast_model_, fast_split_, text, out);
      return;
    }
    std::vector<AddedSplit> splits;
    added_.Split(NormalizedString(text), nullptr, &splits);
    for (const AddedSplit& split : splits) {
      if (split.token_index) {
        out->push_back(added_.tokens()[*split.token_index].id);
      } else {
        encode_raw_(*fast_model_, fast_split_, split.text.str(), out);
      }
    }
  };
  if (EncodeOnlyAppends(add_special_tokens)) {
    encode(ids);
    return;
  }
  Encoding result;
  result.ids = std::move(*ids);
  encode(&result.ids);
  post_processor_->Process(&result, add_special_tokens, false);
  *ids = std::move(result.ids);
}

void Pipeline::Encode(std::string_view text, bool add_special_tokens, std::vector<uint32_t>* ids,
                      Encoding* encoding) const {
  const bool with_details = encoding != nullptr;
  if (!with_details && fast_model_ != nullptr) {
    EncodeIdsFast(text, add_special_tokens, ids);
    return;
  }
  if (!with_details && plain_ids_path_ && !added_.OccursInOriginal(text)) {
    // Ids only, on plain strings: valid while no added token occurs, since
    // then the added-token split keeps the text whole.
    thread_local std::string normalized;
    normalized.assign(text);
    if (normalizer_ != nullptr) normalizer_->NormalizePlain(&normalized);
    if (!added_.OccursInNormalized(normalized)) {
      Encoding result;
      result.ids = std::move(*ids);
      EncodeTextIds(normalized, &result.ids);
      if (post_processor_ != nullptr) post_processor_->Process(&result, add_special_tokens, false);
      *ids = std::move(result.ids);
      return;
    }
  }
  Encoding local;
  Encoding& result = with_details ? *encoding : local;
  if (!with_details) result.ids = std::move(*ids);

  const NormalizedString input(text);
  std::vector<AddedSplit> splits;
  added_.Split(input, normalizer_.get(), &splits);
  for (const AddedSplit& split : splits) {
    if (!split.token_index) {
      EncodeText(split.text, &result, with_details);
      continue;
    }
    const AddedToken& token = added_.tokens()[*split.token_index];
    result.ids.push_back(token.id);
    if (!with_details) continue;
    // As in Hugging Face, the token is the matched text, with any whitespace
    // that lstrip or rstrip took.
    result.tokens.push_back(split.text.str());
    result.offsets.push_back(split.text.OriginalSpan());
    // Hugging Face marks only the tokens that the post-processor adds, not
    // special tokens found in the text.
    result.special_tokens_mask.push_back(0);
  }
  if (post_processor_ != nullptr) {
    post_processor_->Process(&result, add_special_tokens, with_details);
  }
  if (!with_details) *ids = std::move(result.ids);
}

std::string Pipeline::Decode(const uint32_t* ids, size_t count, bool skip_special_tokens) const {
  std::vector<std::string> tokens;
  tokens.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const AddedToken* added = added_.FindById(ids[i]);
    if (added != nullptr && skip_special_tokens && added->special) continue;
    const std::string* token = IdToToken(ids[i]);
    if (token == nullptr) continue;
    tokens.push_back(*token);
  }
  if (decoder_ == nullptr) return absl::StrJoin(tokens, " ");
  decoder_->DecodeChain(&tokens);
  return absl::StrJoin(tokens, "");
}

std::optional<uint32_t> Pipeline::TokenToId(std::string_view token) const {
  if (const std::optional<uint32_t> id = added_.FindByContent(token)) return id;
  return model_->TokenToId(token);
}

const std::string* Pipeline::IdToToken(uint32_t id) const {
  if (const AddedToken* token = added_.FindById(id)) return &token->content;
  return model_->IdToToken(id);
}

size_t Pipeline::vocab_size(bool with_added_tokens) const {
  if (!with_added_tokens) return model_->vocab_size();
  size_t size = model_->vocab_size();
  for (const AddedToken& token : added_.tokens()) {
    if (model_->IdToToken(token.id) == nullptr) ++size;
  }
  return size;
}

}  // namespace tokforge::internal
