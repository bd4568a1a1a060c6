// JSON writer. The field names are the documented schema (docs/analysis.md);
// add fields rather than rename them.

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "tokforge/analysis.h"

namespace tokforge {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kSchemaVersion = 1;

std::string_view TokenKindName(TokenKind kind) {
  switch (kind) {
    case TokenKind::kNormal:
      return "normal";
    case TokenKind::kUnknown:
      return "unknown";
    case TokenKind::kByteFallback:
      return "byte_fallback";
  }
  return "normal";
}

Json ResultJson(const ComparisonResult& r) {
  Json json;
  json["tokenizer"] = r.tokenizer;
  json["corpus"] = r.corpus;
  json["sequences"] = r.sequences;
  json["lines"] = r.lines;
  json["tokens"] = r.tokens;
  json["bytes"] = r.bytes;
  json["characters"] = r.characters;
  json["words"] = r.words;
  json["continued_words"] = r.continued_words;
  json["bytes_per_token"] = r.bytes_per_token;
  json["characters_per_token"] = r.characters_per_token;
  json["tokens_per_word"] = r.tokens_per_word;
  json["continued_word_share"] = r.continued_word_share;
  json["relative_length"] = r.relative_length;

  json["unk_tokens"] = r.unk_tokens;
  json["unk_rate"] = r.unk_rate;
  Json unknown = Json::array();
  for (const TextCount& text : r.unknown_texts) unknown.push_back({{"text", text.text}, {"count", text.count}});
  json["unknown_texts"] = std::move(unknown);
  json["byte_fallback_tokens"] = r.byte_fallback_tokens;
  json["byte_fallback_rate"] = r.byte_fallback_rate;
  json["roundtrip_failed_lines"] = r.roundtrip_failed_lines;
  json["roundtrip_failure_share"] = r.roundtrip_failure_share;

  json["vocab_size"] = r.vocab_size;
  json["vocab_used"] = r.vocab_used;
  json["unused_ids"] = r.vocab_size >= r.vocab_used ? r.vocab_size - r.vocab_used : 0;
  json["vocab_utilization"] = r.vocab_utilization;
  json["tokens_per_sequence"] = {{"p50", r.tokens_per_sequence.p50},
                                 {"p90", r.tokens_per_sequence.p90},
                                 {"p99", r.tokens_per_sequence.p99},
                                 {"max", r.tokens_per_sequence.max}};
  json["token_length_histogram"] = r.token_length_histogram;
  json["seconds"] = r.seconds;
  return json;
}

}  // namespace

void WriteJsonReport(const ComparisonReport& report, std::ostream& out) {
  Json json;
  json["schema_version"] = kSchemaVersion;
  json["baseline"] = report.baseline;
  json["by_line"] = report.by_line;
  json["max_bytes"] = report.max_bytes;
  json["threads"] = report.threads;
  json["seconds"] = report.seconds;

  Json tokenizers = Json::array();
  for (const TokenizerInfo& info : report.tokenizers) {
    Json entry;
    entry["name"] = info.name;
    entry["path"] = info.path;
    entry["vocab_size"] = info.vocab_size;
    entry["spelling"] = std::string(TokenSpellingName(info.spelling));
    entry["unk_token"] = info.unk_token.empty() ? Json(nullptr) : Json(info.unk_token);
    tokenizers.push_back(std::move(entry));
  }
  json["tokenizers"] = std::move(tokenizers);

  Json corpora = Json::array();
  for (const CorpusInfo& info : report.corpora) {
    corpora.push_back({{"name", info.name},
                       {"paths", info.paths},
                       {"files", info.files},
                       {"files_read", info.files_read},
                       {"sequences", info.sequences},
                       {"lines", info.lines},
                       {"bytes", info.bytes},
                       {"characters", info.characters},
                       {"words", info.words}});
  }
  json["corpora"] = std::move(corpora);

  Json results = Json::array();
  for (const ComparisonResult& result : report.results) results.push_back(ResultJson(result));
  json["results"] = std::move(results);

  Json splits = Json::array();
  for (const WordSplit& split : report.word_splits) {
    Json per_tokenizer = Json::array();
    for (size_t t = 0; t < split.tokens.size() && t < report.tokenizers.size(); ++t) {
      per_tokenizer.push_back({{"tokenizer", report.tokenizers[t].name},
                               {"tokens", split.tokens[t]},
                               {"single_token", split.tokens[t].size() == 1}});
    }
    splits.push_back({{"word", split.word}, {"splits", std::move(per_tokenizer)}});
  }
  json["word_splits"] = std::move(splits);

  Json overlaps = Json::array();
  for (const VocabularyOverlap& overlap : report.overlaps) {
    overlaps.push_back({{"tokenizer", overlap.first},
                        {"other", overlap.second},
                        {"size", overlap.first_size},
                        {"other_size", overlap.second_size},
                        {"shared", overlap.shared},
                        {"jaccard", overlap.jaccard}});
  }
  json["vocabulary_overlap"] = std::move(overlaps);

  Json samples = Json::array();
  for (const SampleLine& sample : report.samples) {
    Json tokenizations = Json::array();
    for (size_t t = 0; t < sample.tokens.size() && t < report.tokenizers.size(); ++t) {
      Json spans = Json::array();
      for (const TokenSpan& span : sample.tokens[t]) {
        spans.push_back({{"begin", span.begin}, {"end", span.end}, {"kind", TokenKindName(span.kind)}});
      }
      tokenizations.push_back({{"tokenizer", report.tokenizers[t].name}, {"tokens", std::move(spans)}});
    }
    samples.push_back({{"corpus", sample.corpus}, {"text", sample.text}, {"tokenizations", std::move(tokenizations)}});
  }
  json["samples"] = std::move(samples);

  // Invalid UTF-8 in a corpus text becomes U+FFFD instead of an exception.
  out << json.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
}

}  // namespace tokforge
