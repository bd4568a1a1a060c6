// Shared pieces of the tokforge._tokforge extension module.

#ifndef TOKFORGE_PYTHON_BINDINGS_H_
#define TOKFORGE_PYTHON_BINDINGS_H_

#include <pybind11/pybind11.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "tokforge/hf_folder.h"
#include "tokforge/tokenizer.h"

namespace tokforge::python {

namespace py = pybind11;

// Carries a non-OK absl::Status out of code that runs without the GIL. The
// translator registered by RegisterStatusError turns it into the Python
// exception for its code.
class StatusError : public std::runtime_error {
 public:
  explicit StatusError(absl::Status status);
  const absl::Status& status() const { return status_; }

 private:
  absl::Status status_;
};

// Throws StatusError unless `status` is OK.
void ThrowIfError(const absl::Status& status);

// Maps StatusError to Python: NotFound to FileNotFoundError, AlreadyExists to
// FileExistsError, PermissionDenied to PermissionError, InvalidArgument,
// OutOfRange and FailedPrecondition to ValueError, Unimplemented to
// NotImplementedError, DataLoss, Internal, Unavailable and ResourceExhausted
// to OSError, anything else to RuntimeError.
void RegisterStatusError();

// A Tokenizer plus, when it was trained in this process, the record of its
// training that save_pretrained writes into the model card.
struct PyTokenizer {
  Tokenizer tokenizer;
  std::shared_ptr<const HfCardInfo> training;
};

// The UTF-8 bytes of a Python str, valid while `object` lives. Raises
// TypeError naming `argument` for other types, and UnicodeEncodeError for lone
// surrogates.
std::string_view Utf8View(py::handle object, const char* argument);

// os.fspath(path) as a std::string, so str and pathlib.Path are accepted.
std::string PathArgument(py::handle path);

// Runs body(i) for i in [0, count) on `threads` threads (0 = all cores).
// Call without the GIL when `body` does not touch Python objects.
void ParallelFor(size_t count, int threads, const std::function<void(size_t)>& body);

// Python dicts of the trainer's options and statistics, as
// Tokenizer.training_info shows them.
py::dict TrainerOptionsToDict(const BpeTrainerOptions& options);
py::dict TrainerStatsToDict(const TrainingStats& stats);

void BindTokenizer(py::module_& module);
void BindTrainer(py::module_& module);
void BindCounts(py::module_& module);
// Binds _compare and _ComparisonReport when the library has tokforge/analysis.h.
void BindAnalysis(py::module_& module);

}  // namespace tokforge::python

#endif  // TOKFORGE_PYTHON_BINDINGS_H_
