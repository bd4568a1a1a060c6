#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "bindings.h"

namespace tokforge::python {

StatusError::StatusError(absl::Status status)
    : std::runtime_error(std::string(status.message())), status_(std::move(status)) {}

void ThrowIfError(const absl::Status& status) {
  if (!status.ok()) throw StatusError(status);
}

namespace {

PyObject* ExceptionTypeFor(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kNotFound:
      return PyExc_FileNotFoundError;
    case absl::StatusCode::kAlreadyExists:
      return PyExc_FileExistsError;
    case absl::StatusCode::kPermissionDenied:
      return PyExc_PermissionError;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kFailedPrecondition:
      return PyExc_ValueError;
    case absl::StatusCode::kUnimplemented:
      return PyExc_NotImplementedError;
    case absl::StatusCode::kDataLoss:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kResourceExhausted:
      return PyExc_OSError;
    default:
      return PyExc_RuntimeError;
  }
}

}  // namespace

void RegisterStatusError() {
  py::register_exception_translator([](std::exception_ptr pointer) {
    if (!pointer) return;
    try {
      std::rethrow_exception(pointer);
    } catch (const StatusError& error) {
      PyErr_SetString(ExceptionTypeFor(error.status().code()), error.what());
    }
  });
}

std::string_view Utf8View(py::handle object, const char* argument) {
  if (!PyUnicode_Check(object.ptr())) {
    throw py::type_error(std::string(argument) + " must be str, got " +
                         std::string(py::str(py::type::handle_of(object).attr("__name__"))));
  }
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(object.ptr(), &size);
  if (data == nullptr) throw py::error_already_set();
  return {data, static_cast<size_t>(size)};
}

std::string PathArgument(py::handle path) {
  py::object text = py::module_::import("os").attr("fsdecode")(path);
  return std::string(Utf8View(text, "path"));
}

void ParallelFor(size_t count, int threads, const std::function<void(size_t)>& body) {
  if (count == 0) return;
  size_t thread_count = threads > 0 ? static_cast<size_t>(threads)
                                    : std::max(1u, std::thread::hardware_concurrency());
  thread_count = std::min(thread_count, count);
  if (thread_count == 1) {
    for (size_t i = 0; i < count; ++i) body(i);
    return;
  }
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < count; i = next++) body(i);
  };
  std::vector<std::thread> workers;
  for (size_t t = 1; t < thread_count; ++t) workers.emplace_back(work);
  work();
  for (std::thread& worker : workers) worker.join();
}

}  // namespace tokforge::python
