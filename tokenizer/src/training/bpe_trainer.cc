#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "pipeline.h"
#include "tokforge/trainer.h"
#include "training/bpe_learner.h"
#include "util/byte_level.h"
#include "util/thread_pool.h"
#include "util/utf8.h"

namespace tokforge {
namespace {

using internal::Json;

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Number of characters in a UTF-8 string (invalid bytes count one each).
uint32_t CharLength(std::string_view text) {
  uint32_t length = 0;
  for (size_t pos = 0; pos < text.size(); pos += DecodeUtf8(text, pos).length) ++length;
  return length;
}

// The byte-level tokenizer.json layout that Hugging Face writes for a
// ByteLevelBPETokenizer: ByteLevel pre-tokenizer without prefix space,
// ByteLevel post-processor and decoder.
Json ByteLevelComponent(bool add_prefix_space, bool trim_offsets) {
  Json component = Json::object();
  component["type"] = "ByteLevel";
  component["add_prefix_space"] = add_prefix_space;
  component["trim_offsets"] = trim_offsets;
  component["use_regex"] = true;
  return component;
}

}  // namespace

struct BpeTrainer::State {
  BpeTrainerOptions options;
  std::function<void(const TrainingProgress&)> progress;
  PieceCounts counts;
  TrainingStats stats;
  // Corpus paths as given to CountCorpus, and path list files, for errors.
  std::vector<std::string> corpus_inputs;
};

BpeTrainer::BpeTrainer(BpeTrainerOptions options) : state_(std::make_unique<State>()) {
  state_->options = std::move(options);
  // Hugging Face counts a byte order mark as text; so must its twin mode.
  CountSettings settings;
  settings.keep_byte_order_mark = state_->options.hf_compatible;
  state_->counts = PieceCounts(settings);
}

BpeTrainer::~BpeTrainer() = default;

void BpeTrainer::set_progress_callback(std::function<void(const TrainingProgress&)> callback) {
  state_->progress = std::move(callback);
}

const TrainingStats& BpeTrainer::stats() const { return state_->stats; }
const BpeTrainerOptions& BpeTrainer::options() const { return state_->options; }

absl::Status BpeTrainer::CountCorpus(const CorpusOptions& corpus) {
  return CountCorpus(corpus, CountingOptions());
}

absl::Status BpeTrainer::CountCorpus(const CorpusOptions& corpus, const CountingOptions& counting) {
  const auto start = std::chrono::steady_clock::now();
  CountingOptions options = counting;
  options.threads = state_->options.threads;
  std::function<void(const CountingProgress&)> forward;
  if (state_->progress) {
    forward = [this](const CountingProgress& progress) {
      TrainingProgress report{TrainingProgress::Stage::kCounting, progress.bytes_read,
                              progress.total_file_bytes};
      report.documents = progress.documents;
      report.duplicate_documents = progress.duplicate_documents;
      report.document_bytes = progress.document_bytes;
      report.duplicate_bytes = progress.duplicate_bytes;
      state_->progress(report);
    };
  }
  std::vector<std::string>& inputs = state_->corpus_inputs;
  inputs.insert(inputs.end(), corpus.paths.begin(), corpus.paths.end());
  inputs.insert(inputs.end(), corpus.path_list_files.begin(), corpus.path_list_files.end());
  absl::Status status = tokforge::CountCorpus(corpus, options, &state_->counts, forward);
  state_->stats.counting_seconds += SecondsSince(start);
  state_->stats.files = state_->counts.stats().files;
  return status;
}

void BpeTrainer::CountSequences(absl::Span<const std::string_view> sequences) {
  const auto start = std::chrono::steady_clock::now();
  state_->counts.CountSequences(sequences, state_->options.threads);
  state_->stats.counting_seconds += SecondsSince(start);
}

absl::Status BpeTrainer::AddCounts(const PieceCounts& counts, std::string_view source) {
  absl::Status status = state_->counts.Merge(counts, source);
  state_->stats.files = state_->counts.stats().files;
  return status;
}

CountSettings BpeTrainer::count_settings() const { return state_->counts.settings(); }
const PieceCounts& BpeTrainer::counts() const { return state_->counts; }

absl::StatusOr<Tokenizer> BpeTrainer::Train() {
  const BpeTrainerOptions& options = state_->options;
  TrainingStats& stats = state_->stats;
  const CountStats& counted = state_->counts.stats();
  stats.files = counted.files;
  stats.corpus_bytes = counted.bytes;
  stats.sequences = counted.sequences;
  stats.pieces = counted.pieces;
  stats.distinct_pieces = state_->counts.distinct_pieces();
  stats.documents = counted.documents;
  stats.document_bytes = counted.document_bytes;
  stats.duplicate_documents = counted.duplicate_documents;
  stats.duplicate_bytes = counted.duplicate_bytes;
  stats.unremembered_documents = counted.unremembered_documents;
  stats.sampled_out_sequences = counted.sampled_out_sequences;
  stats.pruned_pieces = counted.pruned_pieces;
  if (state_->counts.distinct_pieces() == 0) {
    // Name at most a few inputs, so that a long file list stays readable.
    constexpr size_t kNamedInputs = 3;
    const std::vector<std::string>& inputs = state_->corpus_inputs;
    std::string named = "the corpus";
    if (!inputs.empty()) {
      const size_t shown = std::min(inputs.size(), kNamedInputs);
      named = absl::StrCat("the corpus read from ",
                           absl::StrJoin(inputs.begin(), inputs.begin() + shown, ", "));
      if (inputs.size() > shown) absl::StrAppend(&named, " and ", inputs.size() - shown, " more");
      absl::StrAppend(&named, " (", counted.files, counted.files == 1 ? " file)" : " files)");
    }
    return absl::InvalidArgumentError(absl::StrCat(
        named, " contains no text to train on; check that the inputs are not empty and that "
        "the include globs and the JSON Lines text field select text"));
  }
  const auto start = std::chrono::steady_clock::now();
  const std::vector<std::pair<std::string, int64_t>> pieces = state_->counts.Sorted();

  // 1. Special tokens, then the alphabet sorted by code point of the byte's
  // character (Hugging Face sorts its alphabet by code point).
  LearnerVocabulary vocabulary;
  for (const std::string& token : options.special_tokens) {
    if (token.empty()) return absl::InvalidArgumentError("special tokens must not be empty");
    vocabulary.Add(token, CharLength(token));
  }
  std::array<bool, 256> seen{};
  if (options.hf_compatible) {
    for (const auto& [piece, count] : pieces) {
      for (const char c : piece) seen[static_cast<uint8_t>(c)] = true;
    }
  } else {
    seen.fill(true);
  }
  const ByteLevelAlphabet& alphabet = ByteLevelAlphabet::Get();
  std::vector<uint8_t> alphabet_bytes;
  for (int byte = 0; byte < 256; ++byte) {
    if (seen[byte]) alphabet_bytes.push_back(static_cast<uint8_t>(byte));
  }
  std::sort(alphabet_bytes.begin(), alphabet_bytes.end(), [&](uint8_t a, uint8_t b) {
    return alphabet.CodePoint(a) < alphabet.CodePoint(b);
  });
  std::array<uint32_t, 256> byte_ids{};
  for (const uint8_t byte : alphabet_bytes) {
    byte_ids[byte] = vocabulary.Add(std::string(alphabet.Spelling(byte)), 1);
  }
  if (options.vocab_size < vocabulary.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "vocab size ", options.vocab_size, " is smaller than the ", alphabet_bytes.size(),
        " byte symbols plus ", vocabulary.size() - alphabet_bytes.size(),
        " special tokens; use a vocab size of at least ", vocabulary.size()));
  }

  // 2. Words as symbol ids. A pair count is at most the sum of count *
  // length over the pieces, so that sum must fit the learner's int64_t pair
  // counts. Counting real text cannot reach it, but merged count shards can.
  LearnerWords words;
  words.begin.reserve(pieces.size());
  std::vector<uint32_t> symbols;
  int64_t text_bytes = 0;
  for (const auto& [piece, count] : pieces) {
    int64_t piece_bytes = 0;
    if (__builtin_mul_overflow(count, static_cast<int64_t>(piece.size()), &piece_bytes) ||
        __builtin_add_overflow(text_bytes, piece_bytes, &text_bytes)) {
      return absl::InvalidArgumentError(
          "the piece counts add up to more than 2^63 - 1 bytes of text, beyond the trainer's "
          "64-bit pair counts; check that the count shards are intact");
    }
    symbols.clear();
    for (const char c : piece) symbols.push_back(byte_ids[static_cast<uint8_t>(c)]);
    words.AddWord(symbols, count);
  }

  // 3. Merges.
  MergeLearnerOptions learner_options;
  learner_options.vocab_size = options.vocab_size;
  learner_options.min_frequency = options.min_frequency;
  if (options.max_token_length > 0) learner_options.max_token_length = options.max_token_length;
  learner_options.hf_compatible = options.hf_compatible;
  if (state_->progress) {
    learner_options.progress = [&](size_t size) {
      state_->progress({TrainingProgress::Stage::kMerging, size, options.vocab_size});
    };
  }
  ThreadPool pool(ResolveThreadCount(options.threads));
  const std::vector<LearnedMerge> merges = LearnMerges(learner_options, &words, &vocabulary, &pool);
  stats.merges = merges.size();
  stats.vocab_size = vocabulary.size();
  stats.merging_seconds = SecondsSince(start);

  // 4. tokenizer.json, in Hugging Face's field order.
  Json document = Json::object();
  document["version"] = "1.0";
  document["truncation"] = nullptr;
  document["padding"] = nullptr;
  Json added_tokens = Json::array();
  for (const std::string& token : options.special_tokens) {
    Json entry = Json::object();
    entry["id"] = vocabulary.Find(token);
    entry["content"] = token;
    entry["single_word"] = false;
    entry["lstrip"] = false;
    entry["rstrip"] = false;
    entry["normalized"] = false;
    entry["special"] = true;
    bool duplicate = false;
    for (const Json& existing : added_tokens) duplicate |= existing["content"] == token;
    if (!duplicate) added_tokens.push_back(std::move(entry));
  }
  document["added_tokens"] = std::move(added_tokens);
  document["normalizer"] = nullptr;
  document["pre_tokenizer"] = ByteLevelComponent(false, true);
  document["post_processor"] = ByteLevelComponent(true, false);
  document["decoder"] = ByteLevelComponent(true, true);
  Json model = Json::object();
  model["type"] = "BPE";
  model["dropout"] = nullptr;
  model["unk_token"] = nullptr;
  model["continuing_subword_prefix"] = nullptr;
  model["end_of_word_suffix"] = nullptr;
  model["fuse_unk"] = false;
  model["byte_fallback"] = false;
  model["ignore_merges"] = false;
  Json vocab = Json::object();
  for (uint32_t id = 0; id < vocabulary.size(); ++id) vocab[vocabulary.token(id)] = id;
  model["vocab"] = std::move(vocab);
  Json merge_list = Json::array();
  for (const LearnedMerge& merge : merges) {
    merge_list.push_back(Json::array({vocabulary.token(merge.left), vocabulary.token(merge.right)}));
  }
  model["merges"] = std::move(merge_list);
  document["model"] = std::move(model);

  // Round-trip through the loader, so a trained tokenizer behaves exactly
  // like one read from the saved file.
  return Tokenizer::FromJson(document.dump(), "trained tokenizer");
}

}  // namespace tokforge
