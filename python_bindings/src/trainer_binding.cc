#include <pybind11/stl.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_join.h"
#include "bindings.h"
#include "tokforge/trainer.h"

namespace tokforge::python {
namespace {

// Forwards C++ progress reports to a Python callable progress(stage, done,
// total). Reports arrive without the GIL, so each one takes it. The first
// Python exception stops later reports and is raised once the C++ call
// returns. NOTE: KeyboardInterrupt is raised only then, because the C++
// trainer has no way to cancel a Count or Train call.
class ProgressForwarder {
 public:
  explicit ProgressForwarder(py::object callback) : callback_(std::move(callback)) {}

  void Report(const TrainingProgress& progress) {
    last_done_ = progress.done;
    if (callback_.is_none() || error_) return;
    py::gil_scoped_acquire acquire;
    try {
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
      callback_(progress.stage == TrainingProgress::Stage::kCounting ? "counting" : "merging",
                progress.done, progress.total);
    } catch (py::error_already_set& error) {
      error_ = std::make_unique<py::error_already_set>(std::move(error));
    }
  }

  // Raises the stored Python exception, if any. Call with the GIL held.
  void RaiseIfFailed() {
    if (error_) {
      std::unique_ptr<py::error_already_set> error = std::move(error_);
      error->restore();
      throw py::error_already_set();
    }
  }

  uint64_t last_done() const { return last_done_; }

 private:
  py::object callback_;
  std::unique_ptr<py::error_already_set> error_;
  uint64_t last_done_ = 0;
};

// One training run: counts from any number of corpora, then Train. Python's
// BpeTrainer creates one per train() call and drives it.
class TrainerCore {
 public:
  explicit TrainerCore(BpeTrainerOptions options) : trainer_(options) {}

  py::dict CountFiles(const std::vector<std::string>& paths,
                      const std::vector<std::string>& include,
                      const std::vector<std::string>& exclude, const std::string& format,
                      const std::string& text_field, uint64_t max_bytes, bool allow_nul_bytes,
                      py::object progress) {
    CorpusOptions corpus;
    corpus.paths = paths;
    corpus.include_globs = include;
    corpus.exclude_globs = exclude;
    corpus.text_field = text_field;
    corpus.max_bytes = max_bytes;
    corpus.allow_nul_bytes = allow_nul_bytes;
    if (format == "text") {
      corpus.format = CorpusFormat::kText;
    } else if (format == "jsonl") {
      corpus.format = CorpusFormat::kJsonl;
    } else if (format != "auto") {
      throw py::value_error("format must be \"auto\", \"text\" or \"jsonl\", got \"" + format +
                            "\"");
    }

    ProgressForwarder forwarder(std::move(progress));
    const uint64_t files_before = trainer_.stats().files;
    absl::Status status;
    {
      py::gil_scoped_release release;
      // The trainer reports the uncompressed bytes read after the last block,
      // which the card records as the corpus size.
      trainer_.set_progress_callback(
          [&forwarder](const TrainingProgress& report) { forwarder.Report(report); });
      status = trainer_.CountCorpus(corpus);
      trainer_.set_progress_callback(nullptr);
    }
    forwarder.RaiseIfFailed();
    ThrowIfError(status);

    HfCorpusInfo info;
    info.name = absl::StrJoin(paths, ", ");
    if (!include.empty()) info.name += " (include " + absl::StrJoin(include, ", ") + ")";
    if (!exclude.empty()) info.name += " (exclude " + absl::StrJoin(exclude, ", ") + ")";
    info.files = trainer_.stats().files - files_before;
    info.bytes = forwarder.last_done();
    corpora_.push_back(info);

    py::dict result;
    result["files"] = info.files;
    result["bytes"] = info.bytes;
    return result;
  }

  // Counts a list of str. Returns (sequences, bytes) of this batch.
  std::pair<uint64_t, uint64_t> CountSequences(const py::list& batch) {
    std::vector<std::string_view> views;
    views.reserve(batch.size());
    uint64_t bytes = 0;
    for (py::handle item : batch) {
      views.push_back(Utf8View(item, "each sequence"));
      bytes += views.back().size();
    }
    {
      py::gil_scoped_release release;
      trainer_.CountSequences(views);
    }
    return {views.size(), bytes};
  }

  void AddCounts(const PieceCounts& counts, const std::string& name) {
    ThrowIfError(trainer_.AddCounts(counts, name));
    HfCorpusInfo info;
    info.name = name;
    info.bytes = counts.stats().bytes;
    info.sequences = counts.stats().sequences;
    corpora_.push_back(info);
  }

  void RecordSequenceCorpus(const std::string& name, uint64_t sequences, uint64_t bytes) {
    HfCorpusInfo info;
    info.name = name;
    info.bytes = bytes;
    info.sequences = sequences;
    corpora_.push_back(info);
  }

  PyTokenizer Train(py::object progress, const std::string& method) {
    ProgressForwarder forwarder(std::move(progress));
    absl::StatusOr<Tokenizer> tokenizer;
    {
      py::gil_scoped_release release;
      trainer_.set_progress_callback(
          [&forwarder](const TrainingProgress& report) { forwarder.Report(report); });
      tokenizer = trainer_.Train();
      trainer_.set_progress_callback(nullptr);
    }
    forwarder.RaiseIfFailed();
    ThrowIfError(tokenizer.status());

    auto card = std::make_shared<HfCardInfo>();
    card->corpora = corpora_;
    // Sequences of a file corpus are known only as part of the total, so a
    // single file corpus gets the total minus the counted iterator sequences.
    uint64_t known = 0;
    std::vector<HfCorpusInfo*> unknown;
    for (HfCorpusInfo& corpus : card->corpora) {
      if (corpus.sequences) {
        known += *corpus.sequences;
      } else {
        unknown.push_back(&corpus);
      }
    }
    if (unknown.size() == 1 && trainer_.stats().sequences >= known) {
      unknown.front()->sequences = trainer_.stats().sequences - known;
    }
    card->options = trainer_.options();
    card->stats = trainer_.stats();
    card->method = method;
    return PyTokenizer{*std::move(tokenizer), std::move(card)};
  }

  const BpeTrainer& trainer() const { return trainer_; }

 private:
  BpeTrainer trainer_;
  std::vector<HfCorpusInfo> corpora_;
};

}  // namespace

void BindTrainer(py::module_& module) {
  py::class_<TrainerCore>(module, "_TrainerCore",
                          "One training run; tokforge.BpeTrainer creates and drives it.")
      .def(py::init([](size_t vocab_size, int64_t min_frequency,
                       std::vector<std::string> special_tokens, size_t max_token_length,
                       int threads, bool hf_compatible) {
             BpeTrainerOptions options;
             options.vocab_size = vocab_size;
             options.min_frequency = min_frequency;
             options.special_tokens = std::move(special_tokens);
             options.max_token_length = max_token_length;
             options.threads = threads;
             options.hf_compatible = hf_compatible;
             return std::make_unique<TrainerCore>(std::move(options));
           }),
           py::arg("vocab_size"), py::arg("min_frequency"), py::arg("special_tokens"),
           py::arg("max_token_length"), py::arg("threads"), py::arg("hf_compatible"))
      .def("count_files", &TrainerCore::CountFiles, py::arg("paths"), py::arg("include"),
           py::arg("exclude"), py::arg("format"), py::arg("text_field"), py::arg("max_bytes"),
           py::arg("allow_nul_bytes"), py::arg("progress"))
      .def("count_sequences", &TrainerCore::CountSequences, py::arg("batch"))
      .def("add_counts", &TrainerCore::AddCounts, py::arg("counts"), py::arg("name"))
      .def("record_sequence_corpus", &TrainerCore::RecordSequenceCorpus, py::arg("name"),
           py::arg("sequences"), py::arg("bytes"))
      .def("train", &TrainerCore::Train, py::arg("progress"), py::arg("method"))
      .def_property_readonly("stats", [](const TrainerCore& self) {
        return TrainerStatsToDict(self.trainer().stats());
      });
}

}  // namespace tokforge::python
