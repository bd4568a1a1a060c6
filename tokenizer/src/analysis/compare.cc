// Compare(): streams each corpus in batches of sequences, measures every
// batch with every tokenizer on a thread pool, and turns the counts into a
// ComparisonReport.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "analysis/measure.h"
#include "analysis/text_stats.h"
#include "analysis/vocabulary.h"
#include "tokforge/analysis.h"
#include "util/strings.h"
#include "util/thread_pool.h"
#include "util/utf8.h"

namespace tokforge {
namespace {

using analysis::Accumulator;
using analysis::ByteSpan;
using analysis::VocabularyTables;
using analysis::WordSegmenter;
using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double Ratio(uint64_t numerator, uint64_t denominator) {
  return denominator == 0 ? 0.0 : static_cast<double>(numerator) / static_cast<double>(denominator);
}

// Nearest-rank percentiles of the tokens per sequence.
LengthPercentiles Percentiles(std::vector<uint32_t> lengths) {
  LengthPercentiles result;
  if (lengths.empty()) return result;
  std::sort(lengths.begin(), lengths.end());
  auto rank = [&](double q) {
    const size_t index = static_cast<size_t>(std::ceil(q * static_cast<double>(lengths.size())));
    return lengths[std::clamp<size_t>(index, 1, lengths.size()) - 1];
  };
  result.p50 = rank(0.50);
  result.p90 = rank(0.90);
  result.p99 = rank(0.99);
  result.max = lengths.back();
  return result;
}

std::string_view StripLineEnding(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// State of one tokenizer on the current corpus.
struct TokenizerRun {
  Accumulator totals;
  std::vector<std::atomic<uint8_t>> seen;
  std::vector<uint32_t> sequence_tokens;
  double seconds = 0;
};

// Measures one corpus with every tokenizer, batch by batch.
class CorpusRun {
 public:
  CorpusRun(const std::vector<NamedTokenizer>& tokenizers,
            const std::vector<VocabularyTables>& tables, const CompareOptions& options,
            ThreadPool* pool, std::vector<std::unique_ptr<WordSegmenter>>* segmenters)
      : tokenizers_(tokenizers),
        tables_(tables),
        options_(options),
        pool_(pool),
        segmenters_(segmenters),
        runs_(tokenizers.size()) {
    for (size_t t = 0; t < tokenizers.size(); ++t) {
      runs_[t].seen = std::vector<std::atomic<uint8_t>>(tables[t].vocab_size);
    }
  }

  absl::Status Run(const NamedCorpus& corpus, CorpusInfo* info) {
    info->name = corpus.name;
    info->paths = corpus.options.paths;
    // Comparing encodes the corpora, and encoding accepts NUL bytes as
    // Hugging Face's encoder does. Only training rejects them.
    CorpusOptions reader_options = corpus.options;
    reader_options.allow_nul_bytes = true;
    absl::StatusOr<std::unique_ptr<CorpusReader>> reader = CorpusReader::Open(reader_options);
    if (!reader.ok()) {
      return absl::Status(reader.status().code(), absl::StrCat("corpus \"", corpus.name, "\": ",
                                                               reader.status().message()));
    }
    info->files = (*reader)->files().size();

    CorpusBlock block;
    std::string document;
    std::string document_path;
    // Blocks come in file order, so a new file_index is a new file.
    std::optional<size_t> last_file;
    while (true) {
      absl::StatusOr<bool> more = (*reader)->Next(&block);
      if (!more.ok()) return more.status();
      if (!*more) break;
      if (!block.bytes.empty() && last_file != block.file_index) {
        ++info->files_read;
        last_file = block.file_index;
      }
      if (block.format == CorpusFormat::kJsonl || options_.by_line) {
        absl::Status status = ForEachSequence(block, corpus.options.text_field, [&](std::string_view text) {
          if (block.format == CorpusFormat::kText) text = StripLineEnding(text);
          if (!text.empty()) AddSequence(std::string(text));
        });
        if (!status.ok()) return status;
      } else {
        if (block.path != document_path) {
          if (!document.empty()) AddSequence(std::move(document));
          document.clear();
          document_path = block.path;
        }
        std::string_view bytes = block.bytes;
        if (block.first_line == 1 && bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
        document.append(bytes);
      }
      if (batch_bytes_ >= options_.batch_bytes) ProcessBatch(info);
    }
    if (!document.empty()) AddSequence(std::move(document));
    ProcessBatch(info);
    return absl::OkStatus();
  }

  std::vector<TokenizerRun>& runs() { return runs_; }
  std::vector<SampleLine>& samples() { return samples_; }

 private:
  void AddSequence(std::string text) {
    batch_bytes_ += text.size();
    batch_.push_back(std::move(text));
  }

  // Contiguous ranges of the batch with about equal bytes, one per task.
  std::vector<std::pair<size_t, size_t>> SplitBatch() const {
    const size_t tasks = segmenters_->size();
    const size_t target = std::max<size_t>(1, batch_bytes_ / tasks);
    std::vector<std::pair<size_t, size_t>> ranges;
    size_t begin = 0;
    size_t bytes = 0;
    for (size_t i = 0; i < batch_.size(); ++i) {
      bytes += batch_[i].size();
      if (bytes >= target || i + 1 == batch_.size()) {
        ranges.emplace_back(begin, i + 1);
        begin = i + 1;
        bytes = 0;
      }
    }
    return ranges;
  }

  void ProcessBatch(CorpusInfo* info) {
    if (batch_.empty()) return;
    const std::vector<std::pair<size_t, size_t>> ranges = SplitBatch();

    // Tokenizer-independent figures, computed once per batch.
    words_.resize(batch_.size());
    std::vector<uint64_t> characters(ranges.size(), 0);
    std::vector<uint64_t> lines(ranges.size(), 0);
    pool_->ParallelFor(ranges.size(), [&](size_t task) {
      WordSegmenter& segmenter = *(*segmenters_)[task];
      for (size_t i = ranges[task].first; i < ranges[task].second; ++i) {
        segmenter.Segment(batch_[i], &words_[i]);
        characters[task] += analysis::CountCharacters(batch_[i]);
        lines[task] += analysis::CountLines(batch_[i]);
      }
    });
    info->sequences += batch_.size();
    info->bytes += batch_bytes_;
    for (size_t task = 0; task < ranges.size(); ++task) {
      info->characters += characters[task];
      info->lines += lines[task];
    }
    for (const std::vector<ByteSpan>& words : words_) info->words += words.size();

    for (size_t t = 0; t < tokenizers_.size(); ++t) {
      const Clock::time_point start = Clock::now();
      TokenizerRun& run = runs_[t];
      const size_t first = run.sequence_tokens.size();
      run.sequence_tokens.resize(first + batch_.size());
      std::vector<Accumulator> accumulators(ranges.size());
      pool_->ParallelFor(ranges.size(), [&](size_t task) {
        for (size_t i = ranges[task].first; i < ranges[task].second; ++i) {
          const uint64_t count = analysis::MeasureSequence(tokenizers_[t].tokenizer, tables_[t],
                                                           batch_[i], words_[i], &run.seen,
                                                           &accumulators[task]);
          run.sequence_tokens[first + i] = static_cast<uint32_t>(std::min<uint64_t>(count, UINT32_MAX));
        }
      });
      for (const Accumulator& accumulator : accumulators) run.totals.Merge(accumulator);
      run.seconds += SecondsSince(start);
    }

    if (first_batch_) CollectSamples(info->name);
    first_batch_ = false;
    batch_.clear();
    batch_bytes_ = 0;
  }

  // Picks evenly spaced lines of the first batch that are valid UTF-8 and
  // between 16 and 200 bytes long, and encodes them with every tokenizer.
  void CollectSamples(const std::string& corpus) {
    if (options_.sample_lines <= 0) return;
    std::vector<std::string_view> candidates;
    for (const std::string& sequence : batch_) {
      std::string_view rest = sequence;
      while (!rest.empty()) {
        const size_t newline = rest.find('\n');
        const std::string_view line = StripLineEnding(rest.substr(0, newline));
        rest = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
        const bool blank = line.find_first_not_of(" \t") == std::string_view::npos;
        if (!blank && line.size() >= 16 && line.size() <= 200 && IsValidUtf8(line)) {
          candidates.push_back(line);
        }
      }
    }
    const size_t wanted = std::min<size_t>(options_.sample_lines, candidates.size());
    for (size_t k = 0; k < wanted; ++k) {
      SampleLine sample;
      sample.corpus = corpus;
      sample.text = std::string(candidates[(2 * k + 1) * candidates.size() / (2 * wanted)]);
      for (size_t t = 0; t < tokenizers_.size(); ++t) {
        const Encoding encoding = tokenizers_[t].tokenizer.Encode(sample.text, false);
        std::vector<TokenSpan> spans;
        for (size_t i = 0; i < encoding.ids.size(); ++i) {
          const uint32_t id = encoding.ids[i];
          TokenSpan span;
          span.begin = static_cast<uint32_t>(std::min(encoding.offsets[i].first, sample.text.size()));
          span.end = static_cast<uint32_t>(
              std::clamp<size_t>(encoding.offsets[i].second, span.begin, sample.text.size()));
          if (tables_[t].unk_id && id == *tables_[t].unk_id) {
            span.kind = TokenKind::kUnknown;
          } else if (id < tables_[t].byte_fallback.size() && tables_[t].byte_fallback[id] != 0) {
            span.kind = TokenKind::kByteFallback;
          }
          spans.push_back(span);
        }
        sample.tokens.push_back(std::move(spans));
      }
      samples_.push_back(std::move(sample));
    }
  }

  const std::vector<NamedTokenizer>& tokenizers_;
  const std::vector<VocabularyTables>& tables_;
  const CompareOptions& options_;
  ThreadPool* pool_;
  std::vector<std::unique_ptr<WordSegmenter>>* segmenters_;

  std::vector<TokenizerRun> runs_;
  std::vector<std::string> batch_;
  size_t batch_bytes_ = 0;
  std::vector<std::vector<ByteSpan>> words_;
  std::vector<SampleLine> samples_;
  bool first_batch_ = true;
};

ComparisonResult MakeResult(const NamedTokenizer& tokenizer, const CorpusInfo& corpus,
                            TokenizerRun& run, uint64_t vocab_size, int max_unknown_texts) {
  const Accumulator& totals = run.totals;
  ComparisonResult result;
  result.tokenizer = tokenizer.name;
  result.corpus = corpus.name;
  result.sequences = corpus.sequences;
  result.lines = corpus.lines;
  result.tokens = totals.tokens;
  result.bytes = corpus.bytes;
  result.characters = corpus.characters;
  result.words = corpus.words;
  result.continued_words = totals.continued_words;
  result.unk_tokens = totals.unk_tokens;
  result.byte_fallback_tokens = totals.byte_fallback_tokens;
  result.roundtrip_failed_lines = totals.roundtrip_failed_lines;
  result.vocab_size = vocab_size;
  for (const std::atomic<uint8_t>& flag : run.seen) result.vocab_used += flag.load() != 0 ? 1 : 0;

  result.bytes_per_token = Ratio(result.bytes, result.tokens);
  result.characters_per_token = Ratio(result.characters, result.tokens);
  result.tokens_per_word = Ratio(result.tokens, result.words);
  result.continued_word_share = Ratio(result.continued_words, result.words);
  result.unk_rate = Ratio(result.unk_tokens, result.tokens);
  result.byte_fallback_rate = Ratio(result.byte_fallback_tokens, result.tokens);
  result.roundtrip_failure_share = Ratio(result.roundtrip_failed_lines, result.lines);
  result.vocab_utilization = Ratio(result.vocab_used, result.vocab_size);

  for (const auto& [text, count] : totals.unknown_texts) result.unknown_texts.push_back({text, count});
  std::sort(result.unknown_texts.begin(), result.unknown_texts.end(),
            [](const TextCount& a, const TextCount& b) {
              return a.count != b.count ? a.count > b.count : a.text < b.text;
            });
  if (result.unknown_texts.size() > static_cast<size_t>(std::max(0, max_unknown_texts))) {
    result.unknown_texts.resize(static_cast<size_t>(std::max(0, max_unknown_texts)));
  }
  result.token_length_histogram = totals.length_histogram;
  result.tokens_per_sequence = Percentiles(std::move(run.sequence_tokens));
  result.seconds = run.seconds;
  return result;
}

// Tokens of `word` as it appears in running text, after another word and a
// space: byte-level vocabularies spell that form "Ġword", and SentencePiece
// models that prepend "▁" to the input would otherwise add a second "▁".
// The tokens kept are those that start inside " word"; a token that merges
// the context word with the space is left out.
std::vector<std::string> SplitWord(const Tokenizer& tokenizer, const std::string& word) {
  constexpr std::string_view kContext = "a";
  const Encoding encoding = tokenizer.Encode(absl::StrCat(ToAbsl(kContext), " ", word), false);
  std::vector<std::string> tokens;
  for (size_t i = 0; i < encoding.tokens.size(); ++i) {
    if (encoding.offsets[i].first >= kContext.size()) tokens.push_back(encoding.tokens[i]);
  }
  return tokens;
}

absl::Status CheckInputs(const std::vector<NamedTokenizer>& tokenizers,
                         const std::vector<NamedCorpus>& corpora, const CompareOptions& options) {
  if (tokenizers.empty()) return absl::InvalidArgumentError("no tokenizer to compare");
  if (corpora.empty()) return absl::InvalidArgumentError("no corpus to compare on");
  absl::flat_hash_set<std::string> names;
  for (const NamedTokenizer& tokenizer : tokenizers) {
    if (tokenizer.name.empty()) return absl::InvalidArgumentError("a tokenizer has an empty name");
    if (!names.insert(tokenizer.name).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "two tokenizers are named \"", tokenizer.name, "\"; give each a unique NAME=PATH"));
    }
  }
  if (!options.baseline.empty() && !names.contains(options.baseline)) {
    return absl::InvalidArgumentError(absl::StrCat("baseline \"", options.baseline,
                                                   "\" is not one of the tokenizers"));
  }
  names.clear();
  for (const NamedCorpus& corpus : corpora) {
    if (corpus.name.empty()) return absl::InvalidArgumentError("a corpus has an empty name");
    if (!names.insert(corpus.name).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "two corpora are named \"", corpus.name, "\"; give each a unique NAME=PATH"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ComparisonReport> Compare(const std::vector<NamedTokenizer>& tokenizers,
                                         const std::vector<NamedCorpus>& corpora,
                                         const CompareOptions& options) {
  if (absl::Status status = CheckInputs(tokenizers, corpora, options); !status.ok()) return status;
  const Clock::time_point start = Clock::now();

  ComparisonReport report;
  report.baseline = options.baseline.empty() ? tokenizers.front().name : options.baseline;
  report.by_line = options.by_line;
  report.max_bytes = corpora.front().options.max_bytes;
  report.threads = ResolveThreadCount(options.threads);

  std::vector<VocabularyTables> tables;
  std::vector<TokenSpelling> spellings;
  for (const NamedTokenizer& named : tokenizers) {
    tables.push_back(analysis::BuildVocabularyTables(named.tokenizer));
    spellings.push_back(tables.back().spelling);
    TokenizerInfo info;
    info.name = named.name;
    info.path = named.path;
    info.vocab_size = tables.back().vocab_size;
    info.spelling = tables.back().spelling;
    if (tables.back().unk_id) info.unk_token = named.tokenizer.IdToToken(*tables.back().unk_id).value_or("");
    report.tokenizers.push_back(std::move(info));
  }

  ThreadPool pool(report.threads);
  // Four tasks per thread even out sequences of unequal length.
  std::vector<std::unique_ptr<WordSegmenter>> segmenters;
  for (int i = 0; i < 4 * pool.size(); ++i) {
    segmenters.push_back(std::make_unique<WordSegmenter>());
    if (!segmenters.back()->status().ok()) return segmenters.back()->status();
  }

  for (const NamedCorpus& corpus : corpora) {
    CorpusRun run(tokenizers, tables, options, &pool, &segmenters);
    CorpusInfo info;
    if (absl::Status status = run.Run(corpus, &info); !status.ok()) return status;
    for (size_t t = 0; t < tokenizers.size(); ++t) {
      report.results.push_back(MakeResult(tokenizers[t], info, run.runs()[t], tables[t].vocab_size,
                                          options.max_unknown_texts));
    }
    for (SampleLine& sample : run.samples()) report.samples.push_back(std::move(sample));
    report.corpora.push_back(std::move(info));
  }

  size_t baseline = 0;
  while (tokenizers[baseline].name != report.baseline) ++baseline;
  for (size_t c = 0; c < report.corpora.size(); ++c) {
    const uint64_t baseline_tokens = report.at(c, baseline).tokens;
    for (size_t t = 0; t < tokenizers.size(); ++t) {
      ComparisonResult& result = report.results[c * tokenizers.size() + t];
      result.relative_length = Ratio(result.tokens, baseline_tokens);
    }
  }

  for (const std::string& word : options.words) {
    WordSplit split;
    split.word = word;
    for (const NamedTokenizer& named : tokenizers) split.tokens.push_back(SplitWord(named.tokenizer, word));
    report.word_splits.push_back(std::move(split));
  }

  report.overlaps = analysis::ComputeOverlaps(tokenizers, spellings);
  report.seconds = SecondsSince(start);
  return report;
}

std::string_view TokenSpellingName(TokenSpelling spelling) {
  switch (spelling) {
    case TokenSpelling::kPlain:
      return "plain";
    case TokenSpelling::kByteLevel:
      return "byte_level";
    case TokenSpelling::kMetaspace:
      return "metaspace";
    case TokenSpelling::kWordPiece:
      return "wordpiece";
  }
  return "plain";
}

}  // namespace tokforge
