#include "tokforge/tokenizer.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "absl/strings/str_cat.h"
#include "pipeline.h"
#include "serialization/bpe_files.h"
#include "serialization/json_writer.h"
#include "serialization/sentencepiece_model.h"
#include "serialization/serde_float.h"
#include "util/file_output.h"
#include "util/strings.h"
#include "util/thread_pool.h"

namespace tokforge {

using internal::Json;
using internal::Pipeline;

namespace {

// Worker threads kept from one EncodeBatchIds call to the next, because the
// encoders' per-thread caches are warm only on threads that encoded before.
// One call at a time uses them; a concurrent call starts its own workers.
class SharedEncodePool {
 public:
  // Never destroyed: idle workers may still wait on it while the process exits.
  static SharedEncodePool& Get() {
    static SharedEncodePool* const pool = new SharedEncodePool();
    return *pool;
  }

  // Locks the shared pool and sizes it to `threads`, or returns null when
  // another call holds it.
  ThreadPool* TryAcquire(int threads, std::unique_lock<std::mutex>* lock) {
    *lock = std::unique_lock<std::mutex>(mutex_, std::try_to_lock);
    if (!lock->owns_lock()) return nullptr;
    if (pid_ != getpid()) {
      // A forked child has the pool's memory but not its threads; joining
      // them would hang, so the old pool is abandoned.
      (void)pool_.release();
      pid_ = getpid();
    }
    if (pool_ == nullptr || pool_->size() != threads) pool_ = std::make_unique<ThreadPool>(threads);
    return pool_.get();
  }

 private:
  std::mutex mutex_;
  std::unique_ptr<ThreadPool> pool_;
  pid_t pid_ = getpid();
};

// The workers of one batch call: the shared pool when it is free, else a
// pool of the call's own, joined when the lease ends.
class EncodePoolLease {
 public:
  explicit EncodePoolLease(int threads) {
    pool_ = SharedEncodePool::Get().TryAcquire(threads, &shared_lock_);
    if (pool_ == nullptr) {
      own_pool_ = std::make_unique<ThreadPool>(threads);
      pool_ = own_pool_.get();
    }
  }

  ThreadPool& pool() { return *pool_; }

 private:
  std::unique_lock<std::mutex> shared_lock_;
  std::unique_ptr<ThreadPool> own_pool_;
  ThreadPool* pool_ = nullptr;
};

}  // namespace

Tokenizer::Tokenizer(std::shared_ptr<const Pipeline> pipeline) : pipeline_(std::move(pipeline)) {}
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;
Tokenizer::Tokenizer(const Tokenizer&) = default;
Tokenizer& Tokenizer::operator=(const Tokenizer&) = default;
Tokenizer::~Tokenizer() = default;

absl::StatusOr<Tokenizer> Tokenizer::FromFile(const std::string& path) {
  const std::filesystem::path file(path);
  if (file.extension() == ".tiktoken") return FromTiktoken(path);
  if (file.filename() == "vocab.json") {
    const std::filesystem::path merges = file.parent_path() / "merges.txt";
    if (std::filesystem::exists(merges)) return FromVocabAndMerges(path, merges.string());
  }
  absl::StatusOr<std::string> contents = ReadFile(path);
  if (!contents.ok()) return contents.status();
  if (path.ends_with(".model") || internal::LooksLikeSentencePieceModel(*contents)) {
    absl::StatusOr<Json> document = internal::SentencePieceFileToTokenizerJson(path, *contents);
    if (!document.ok()) return document.status();
    absl::StatusOr<std::shared_ptr<const Pipeline>> pipeline =
        Pipeline::Create(*std::move(document), path);
    if (!pipeline.ok()) return pipeline.status();
    return Tokenizer(*std::move(pipeline));
  }
  return FromJson(*contents, path);
}

absl::StatusOr<Tokenizer> Tokenizer::FromVocabAndMerges(const std::string& vocab_path,
                                                         const std::string& merges_path) {
  absl::StatusOr<Json> document = ReadVocabAndMerges(vocab_path, merges_path);
  if (!document.ok()) return document.status();
  absl::StatusOr<std::shared_ptr<const Pipeline>> pipeline =
      Pipeline::Create(*std::move(document), vocab_path);
  if (!pipeline.ok()) return pipeline.status();
  return Tokenizer(*std::move(pipeline));
}

absl::StatusOr<Tokenizer> Tokenizer::FromTiktoken(const std::string& path) {
  absl::StatusOr<Json> document = ReadTiktoken(path);
  if (!document.ok()) return document.status();
  absl::StatusOr<std::shared_ptr<const Pipeline>> pipeline =
      Pipeline::Create(*std::move(document), path);
  if (!pipeline.ok()) return pipeline.status();
  return Tokenizer(*std::move(pipeline));
}

absl::StatusOr<Tokenizer> Tokenizer::FromJson(std::string_view json, std::string_view source) {
  // Floats are read as Hugging Face's serde_json reads them, so that Unigram
  // scores (and Viterbi ties) are bit-identical.
  Json document = internal::ParseJsonWithSerdeFloats(json);
  if (document.is_discarded()) {
    // Parse again with exceptions only to get the position of the error.
    std::string detail = "invalid JSON";
    try {
      [[maybe_unused]] const Json unused = Json::parse(json);
    } catch (const Json::exception& error) {
      // parse_error, or out_of_range for a number too large for a double.
      detail = error.what();
    }
    return absl::InvalidArgumentError(
        absl::StrCat(ToAbsl(source), ": not a valid tokenizer.json (", detail, ")"));
  }
  absl::StatusOr<std::shared_ptr<const Pipeline>> pipeline =
      Pipeline::Create(std::move(document), source);
  if (!pipeline.ok()) return pipeline.status();
  return Tokenizer(*std::move(pipeline));
}

Encoding Tokenizer::Encode(std::string_view text, bool add_special_tokens) const {
  Encoding encoding;
  pipeline_->Encode(text, add_special_tokens, &encoding.ids, &encoding);
  return encoding;
}

std::vector<uint32_t> Tokenizer::EncodeIds(std::string_view text, bool add_special_tokens) const {
  std::vector<uint32_t> ids;
  pipeline_->Encode(text, add_special_tokens, &ids, nullptr);
  return ids;
}

std::vector<std::vector<uint32_t>> Tokenizer::EncodeBatchIds(
    absl::Span<const std::string_view> texts, bool add_special_tokens, int threads) const {
  std::vector<std::vector<uint32_t>> results(texts.size());
  const int thread_count = std::min<int>(ResolveThreadCount(threads),
                                         std::max<int>(1, static_cast<int>(texts.size())));
  EncodePoolLease lease(thread_count);
  ThreadPool* pool = &lease.pool();
  // Small fixed-size tasks balance uneven text lengths across threads.
  constexpr size_t kTextsPerTask = 64;
  const size_t tasks = (texts.size() + kTextsPerTask - 1) / kTextsPerTask;
  pool->ParallelFor(tasks, [&](size_t task) {
    const size_t end = std::min(texts.size(), (task + 1) * kTextsPerTask);
    // Each text is encoded into a reused buffer and then copied into a
    // vector of exactly its size, which saves memory on big batches.
    thread_local std::vector<uint32_t> buffer;
    for (size_t i = task * kTextsPerTask; i < end; ++i) {
      buffer.clear();
      pipeline_->Encode(texts[i], add_special_tokens, &buffer, nullptr);
      results[i].assign(buffer.begin(), buffer.end());
    }
  });
  return results;
}

IdBatch Tokenizer::EncodeBatchIdsFlat(absl::Span<const std::string_view> texts,
                                      bool add_special_tokens, int threads) const {
  IdBatch batch;
  batch.offsets.resize(texts.size() + 1);
  const bool only_appends = pipeline_->EncodeOnlyAppends(add_special_tokens);
  const auto encode_into = [&](std::string_view text, std::vector<uint32_t>* out) {
    if (only_appends) {
      pipeline_->Encode(text, add_special_tokens, out, nullptr);
      return;
    }
    // The post-processor rewrites the whole vector it is given, so the text
    // goes through a cleared buffer of its own.
    thread_local std::vector<uint32_t> text_ids;
    text_ids.clear();
    pipeline_->Encode(text, add_special_tokens, &text_ids, nullptr);
    out->insert(out->end(), text_ids.begin(), text_ids.end());
  };
  const int thread_count = std::min<int>(ResolveThreadCount(threads),
                                         std::max<int>(1, static_cast<int>(texts.size())));
  if (thread_count == 1) {
    for (size_t i = 0; i < texts.size(); ++i) {
      encode_into(texts[i], &batch.ids);
      batch.offsets[i + 1] = batch.ids.size();
    }
    return batch;
  }

  // Tasks of consecutive texts, cut by bytes so that they cost about the
  // same. Each task fills its own array, and the arrays are joined at the end.
  constexpr size_t kTaskBytes = 64 << 10;
  std::vector<size_t> task_starts{0};
  size_t task_bytes = 0;
  for (size_t i = 0; i < texts.size(); ++i) {
    task_bytes += texts[i].size() + 1;
    if (task_bytes >= kTaskBytes && i + 1 < texts.size()) {
      task_starts.push_back(i + 1);
      task_bytes = 0;
    }
  }
  task_starts.push_back(texts.size());
  const size_t tasks = task_starts.size() - 1;
  std::vector<std::vector<uint32_t>> task_ids(tasks);

  EncodePoolLease lease(thread_count);
  ThreadPool* pool = &lease.pool();
  pool->ParallelFor(tasks, [&](size_t task) {
    // The ids go into a local vector that is moved into place at the end.
    // Neighboring tasks' vector headers share cache lines, so updating them
    // on every id moved those lines back and forth between the cores.
    std::vector<uint32_t> out;
    // Offsets are relative to the task here and made absolute below.
    for (size_t i = task_starts[task]; i < task_starts[task + 1]; ++i) {
      encode_into(texts[i], &out);
      batch.offsets[i + 1] = out.size();
    }
    task_ids[task] = std::move(out);
  });

  std::vector<size_t> task_offsets(tasks + 1, 0);
  for (size_t task = 0; task < tasks; ++task) {
    task_offsets[task + 1] = task_offsets[task] + task_ids[task].size();
  }
  batch.ids.resize(task_offsets[tasks]);
  pool->ParallelFor(tasks, [&](size_t task) {
    std::copy(task_ids[task].begin(), task_ids[task].end(),
              batch.ids.begin() + static_cast<ptrdiff_t>(task_offsets[task]));
    std::vector<uint32_t>().swap(task_ids[task]);
    for (size_t i = task_starts[task]; i < task_starts[task + 1]; ++i) {
      batch.offsets[i + 1] += task_offsets[task];
    }
  });
  return batch;
}

std::string Tokenizer::Decode(absl::Span<const uint32_t> ids, bool skip_special_tokens) const {
  return pipeline_->Decode(ids.data(), ids.size(), skip_special_tokens);
}

bool Tokenizer::EncodesAnyBytes() const {
  const Json& document = pipeline_->document();
  // A ByteLevel component may sit inside a Sequence, at any depth.
  const std::function<bool(const Json&)> has_byte_level = [&](const Json& node) {
    if (node.is_array()) {
      return std::any_of(node.begin(), node.end(), has_byte_level);
    }
    if (!node.is_object()) return false;
    if (const auto type = node.find("type"); type != node.end() && *type == "ByteLevel") return true;
    return std::any_of(node.begin(), node.end(), has_byte_level);
  };
  for (const char* component : {"normalizer", "pre_tokenizer"}) {
    if (const auto it = document.find(component); it != document.end() && has_byte_level(*it)) {
      return true;
    }
  }
  const auto model = document.find("model");
  if (model == document.end() || !model->is_object()) return false;
  const auto byte_fallback = model->find("byte_fallback");
  return byte_fallback != model->end() && byte_fallback->is_boolean() &&
         byte_fallback->get<bool>();
}

std::optional<uint32_t> Tokenizer::TokenToId(std::string_view token) const {
  return pipeline_->TokenToId(token);
}

std::optional<std::string> Tokenizer::IdToToken(uint32_t id) const {
  const std::string* token = pipeline_->IdToToken(id);
  if (token == nullptr) return std::nullopt;
  return *token;
}

std::optional<uint32_t> Tokenizer::unk_token_id() const {
  return pipeline_->model().unk_token_id();
}

size_t Tokenizer::vocab_size(bool with_added_tokens) const {
  return pipeline_->vocab_size(with_added_tokens);
}

std::vector<std::pair<std::string, uint32_t>> Tokenizer::GetVocab(bool with_added_tokens) const {
  std::vector<std::pair<std::string, uint32_t>> vocab = pipeline_->model().GetVocab();
  if (with_added_tokens) {
    for (const internal::AddedToken& token : pipeline_->added_tokens()) {
      if (pipeline_->model().IdToToken(token.id) == nullptr) {
        vocab.emplace_back(token.content, token.id);
      }
    }
  }
  std::sort(vocab.begin(), vocab.end(),
            [](const auto& a, const auto& b) { return a.second < b.second; });
  return vocab;
}

std::string Tokenizer::ToJson(bool pretty) const {
  return WriteTokenizerJson(pipeline_->document(), pretty ? 2 : -1);
}

absl::Status Tokenizer::Save(const std::string& path, bool pretty) const {
  return WriteFileAtomically(path, ToJson(pretty) + (pretty ? "\n" : ""));
}

}  // namespace tokforge
