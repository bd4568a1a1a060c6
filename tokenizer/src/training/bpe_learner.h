// Merge learning for BPE: the loop that turns counted words into merges.

#ifndef TOKFORGE_TRAINING_BPE_LEARNER_H_
#define TOKFORGE_TRAINING_BPE_LEARNER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace tokforge {

class ThreadPool;

// Token strings with their ids and lengths in characters.
class LearnerVocabulary {
 public:
  // Adds `token` unless present; returns its id either way.
  uint32_t Add(const std::string& token, uint32_t char_length);
  // Returns the id of `token`, or -1.
  int64_t Find(const std::string& token) const;

  size_t size() const { return tokens_.size(); }
  const std::string& token(uint32_t id) const { return tokens_[id]; }
  uint32_t char_length(uint32_t id) const { return char_lengths_[id]; }
  const std::vector<std::string>& tokens() const { return tokens_; }
  const uint32_t* char_lengths() const { return char_lengths_.data(); }

 private:
  std::vector<std::string> tokens_;
  std::vector<uint32_t> char_lengths_;
  absl::flat_hash_map<std::string, uint32_t> ids_;
};

// Every distinct word as a sequence of token ids, stored back to back.
struct LearnerWords {
  std::vector<uint32_t> symbols;
  std::vector<uint64_t> begin;  // offset of each word in `symbols`
  std::vector<uint32_t> size;   // current number of symbols of each word
  std::vector<int64_t> count;   // occurrences of each word in the corpus

  size_t word_count() const { return begin.size(); }
  void AddWord(const std::vector<uint32_t>& word_symbols, int64_t occurrences);
};

struct LearnedMerge {
  uint32_t left;
  uint32_t right;
  uint32_t result;  // id of left+right; may be an id that existed before
};

struct MergeLearnerOptions {
  size_t vocab_size = 32000;
  // A pair is merged only when it occurs at least this often.
  int64_t min_frequency = 0;
  // A new pair is counted only when its two tokens together are shorter than
  // this many characters, as in Hugging Face tokenizers.
  size_t max_token_length = std::numeric_limits<size_t>::max();
  // Reproduce Hugging Face tokenizers 0.23 exactly, including how it treats a
  // pair count that became negative under max_token_length (as a very large
  // unsigned count). When false, such a pair is never selected.
  bool hf_compatible = false;
  // Called every few hundred merges with the number of tokens so far.
  std::function<void(size_t vocab_size)> progress;
};

// Learns merges until the vocabulary reaches options.vocab_size, no pair is
// left, or the best pair occurs fewer than options.min_frequency times.
//
// The selection rule is Hugging Face's BpeTrainer: the pair with the highest
// count, ties going to the smallest (left id, right id). Counts are updated
// incrementally from the words a merge touches, found through a pair-to-words
// index; words are merged in parallel on `pool`, with the same result for any
// number of threads. `words` and `vocabulary` are updated in place.
std::vector<LearnedMerge> LearnMerges(const MergeLearnerOptions& options, LearnerWords* words,
                                      LearnerVocabulary* vocabulary, ThreadPool* pool);

}  // namespace tokforge

#endif  // TOKFORGE_TRAINING_BPE_LEARNER_H_
