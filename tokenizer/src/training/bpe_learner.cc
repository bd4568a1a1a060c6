#include "training/bpe_learner.h"

#include <algorithm>
#include <queue>
#include <utility>

#include "util/thread_pool.h"

namespace tokforge {
namespace {

using PairKey = uint64_t;

PairKey MakePair(uint32_t left, uint32_t right) {
  return (static_cast<uint64_t>(left) << 32) | right;
}
uint32_t LeftOf(PairKey pair) { return static_cast<uint32_t>(pair >> 32); }
uint32_t RightOf(PairKey pair) { return static_cast<uint32_t>(pair); }

// A candidate merge. `words` indexes the list of words in which the pair was
// seen when the entry was pushed; like Hugging Face's trainer, a merge is
// applied to the words of the entry that is popped, not to every word.
struct QueueEntry {
  uint64_t priority;  // the pair count as the selection rule compares it
  PairKey pair;
  uint32_t words;
  uint64_t sequence;  // push order; orders entries of the same pair and count
};

struct LowerPriority {
  bool operator()(const QueueEntry& a, const QueueEntry& b) const {
    if (a.priority != b.priority) return a.priority < b.priority;
    if (a.pair != b.pair) return a.pair > b.pair;
    return a.sequence > b.sequence;
  }
};

// A pair count change caused by merging one word.
struct PairChange {
  PairKey pair;
  int64_t delta;  // +/- the word count
  uint32_t word;
};

// Word lists referenced by queue entries, recycled once an entry is merged.
class WordLists {
 public:
  uint32_t Allocate() {
    if (!free_.empty()) {
      const uint32_t id = free_.back();
      free_.pop_back();
      return id;
    }
    lists_.emplace_back();
    return static_cast<uint32_t>(lists_.size() - 1);
  }
  void Release(uint32_t id) {
    std::vector<uint32_t>().swap(lists_[id]);
    free_.push_back(id);
  }
  std::vector<uint32_t>& operator[](uint32_t id) { return lists_[id]; }

 private:
  std::vector<std::vector<uint32_t>> lists_;
  std::vector<uint32_t> free_;
};

// Merges every non-overlapping occurrence of (left, right), scanning left to
// right, and records the pair changes exactly as Hugging Face's Word::merge
// does: the merged pair itself is not decremented, and a new pair whose
// tokens together reach max_token_length characters is not counted.
uint32_t MergeWord(uint32_t* symbols, uint32_t size, uint32_t left, uint32_t right,
                   uint32_t replacement, const uint32_t* char_lengths, size_t max_token_length,
                   uint32_t word, int64_t count, std::vector<PairChange>* changes) {
  const size_t replacement_length = char_lengths[replacement];
  uint32_t out = 0;
  uint32_t in = 0;
  while (in < size) {
    if (symbols[in] == left && in + 1 < size && symbols[in + 1] == right) {
      if (out > 0) {
        const uint32_t previous = symbols[out - 1];
        changes->push_back({MakePair(previous, left), -count, word});
        if (char_lengths[previous] + replacement_length < max_token_length) {
          changes->push_back({MakePair(previous, replacement), count, word});
        }
      }
      if (in + 2 < size) {
        const uint32_t next = symbols[in + 2];
        changes->push_back({MakePair(right, next), -count, word});
        if (char_lengths[next] + replacement_length < max_token_length) {
          changes->push_back({MakePair(replacement, next), count, word});
        }
      }
      symbols[out++] = replacement;
      in += 2;
    } else {
      symbols[out++] = symbols[in++];
    }
  }
  return out;
}

// Below this many words a merge is applied on the calling thread: waking the
// pool costs more than it saves.
constexpr size_t kMinWordsForParallelMerge = 2048;

}  // namespace

uint32_t LearnerVocabulary::Add(const std::string& token, uint32_t char_length) {
  const auto [it, inserted] = ids_.try_emplace(token, static_cast<uint32_t>(tokens_.size()));
  if (inserted) {
    tokens_.push_back(token);
    char_lengths_.push_back(char_length);
  }
  return it->second;
}

int64_t LearnerVocabulary::Find(const std::string& token) const {
  const auto it = ids_.find(token);
  return it == ids_.end() ? -1 : static_cast<int64_t>(it->second);
}

void LearnerWords::AddWord(const std::vector<uint32_t>& word_symbols, int64_t occurrences) {
  begin.push_back(symbols.size());
  size.push_back(static_cast<uint32_t>(word_symbols.size()));
  count.push_back(occurrences);
  symbols.insert(symbols.end(), word_symbols.begin(), word_symbols.end());
}

std::vector<LearnedMerge> LearnMerges(const MergeLearnerOptions& options, LearnerWords* words,
                                      LearnerVocabulary* vocabulary, ThreadPool* pool) {
  auto priority_of = [&](int64_t count) -> uint64_t {
    if (count >= 0) return static_cast<uint64_t>(count);
    return options.hf_compatible ? static_cast<uint64_t>(count) : 0;
  };

  absl::flat_hash_map<PairKey, int64_t> pair_counts;
  absl::flat_hash_map<PairKey, uint32_t> pair_words;  // pair -> list in `lists`
  WordLists lists;

  // Initial pair counts and the pair-to-words index.
  for (uint32_t w = 0; w < words->word_count(); ++w) {
    const uint32_t* symbols = words->symbols.data() + words->begin[w];
    for (uint32_t i = 0; i + 1 < words->size[w]; ++i) {
      const PairKey pair = MakePair(symbols[i], symbols[i + 1]);
      pair_counts[pair] += words->count[w];
      auto [it, inserted] = pair_words.try_emplace(pair, 0);
      if (inserted) it->second = lists.Allocate();
      std::vector<uint32_t>& list = lists[it->second];
      if (list.empty() || list.back() != w) list.push_back(w);
    }
  }

  std::priority_queue<QueueEntry, std::vector<QueueEntry>, LowerPriority> queue;
  uint64_t sequence = 0;
  // Pushes an entry for every pair in `pair_words` with a positive count, in
  // pair order so that push order, and with it the result, is deterministic.
  auto push_entries = [&]() {
    std::vector<std::pair<PairKey, uint32_t>> pending(pair_words.begin(), pair_words.end());
    std::sort(pending.begin(), pending.end());
    for (const auto& [pair, list] : pending) {
      const int64_t count = pair_counts[pair];
      if (count > 0) {
        queue.push({priority_of(count), pair, list, sequence++});
      } else {
        lists.Release(list);
      }
    }
    pair_words.clear();
  };
  push_entries();

  const int threads = pool == nullptr ? 1 : pool->size();
  std::vector<std::vector<PairChange>> chunk_changes;
  std::vector<LearnedMerge> merges;
  size_t last_progress = 0;

  while (vocabulary->size() < options.vocab_size && !queue.empty()) {
    QueueEntry top = queue.top();
    queue.pop();
    const int64_t current = pair_counts[top.pair];
    if (top.priority != priority_of(current)) {
      top.priority = priority_of(current);
      queue.push(top);
      continue;
    }
    if (top.priority < 1 || static_cast<uint64_t>(std::max<int64_t>(options.min_frequency, 0)) >
                                top.priority) {
      lists.Release(top.words);
      break;
    }

    const uint32_t left = LeftOf(top.pair);
    const uint32_t right = RightOf(top.pair);
    const std::string merged = vocabulary->token(left) + vocabulary->token(right);
    const uint32_t result = vocabulary->Add(
        merged, vocabulary->char_length(left) + vocabulary->char_length(right));
    merges.push_back({left, right, result});

    // Apply the merge to the entry's words, in chunks when there are many.
    const std::vector<uint32_t>& targets = lists[top.words];
    const size_t chunk_count =
        targets.size() < kMinWordsForParallelMerge ? 1 : static_cast<size_t>(threads) * 4;
    const size_t chunk_size = (targets.size() + chunk_count - 1) / chunk_count;
    chunk_changes.resize(std::max(chunk_changes.size(), chunk_count));
    auto merge_chunk = [&](size_t chunk) {
      std::vector<PairChange>& changes = chunk_changes[chunk];
      changes.clear();
      const size_t end = std::min(targets.size(), (chunk + 1) * chunk_size);
      for (size_t t = chunk * chunk_size; t < end; ++t) {
        const uint32_t w = targets[t];
        uint32_t* symbols = words->symbols.data() + words->begin[w];
        words->size[w] = MergeWord(symbols, words->size[w], left, right, result,
                                   vocabulary->char_lengths(), options.max_token_length, w,
                                   words->count[w], &changes);
      }
    };
    if (chunk_count == 1 || pool == nullptr) {
      for (size_t chunk = 0; chunk < chunk_count; ++chunk) merge_chunk(chunk);
    } else {
      pool->ParallelFor(chunk_count, merge_chunk);
    }
    lists.Release(top.words);

    // Count changes are sums, so their order does not matter; the word lists
    // are sorted before use.
    for (size_t chunk = 0; chunk < chunk_count; ++chunk) {
      for (const PairChange& change : chunk_changes[chunk]) {
        pair_counts[change.pair] += change.delta;
        if (change.delta > 0) {
          auto [it, inserted] = pair_words.try_emplace(change.pair, 0);
          if (inserted) it->second = lists.Allocate();
          std::vector<uint32_t>& list = lists[it->second];
          if (list.empty() || list.back() != change.word) list.push_back(change.word);
        }
      }
    }
    for (auto& [pair, list] : pair_words) {
      std::vector<uint32_t>& entries = lists[list];
      std::sort(entries.begin(), entries.end());
      entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
    }
    push_entries();

    if (options.progress && vocabulary->size() >= last_progress + 256) {
      last_progress = vocabulary->size();
      options.progress(last_progress);
    }
  }
  return merges;
}

}  // namespace tokforge
