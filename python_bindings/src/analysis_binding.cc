#include <pybind11/stl.h>

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "bindings.h"

// The analysis library is optional so that the module builds against a
// library without it; tokforge.compare then raises NotImplementedError.
#if __has_include("tokforge/analysis.h")
#include "tokforge/analysis.h"
#define TOKFORGE_PYTHON_HAS_ANALYSIS 1
#endif

namespace tokforge::python {

#ifdef TOKFORGE_PYTHON_HAS_ANALYSIS
namespace {

std::string Render(const ComparisonReport& report, ReportFormat format) {
  std::ostringstream out;
  WriteReport(report, format, out);
  return out.str();
}

std::vector<NamedTokenizer> TokenizerArguments(const py::dict& tokenizers) {
  const std::string hub_dir = HuggingFaceHubCacheDir();
  std::vector<NamedTokenizer> named;
  for (const auto& [key, value] : tokenizers) {
    const std::string name(Utf8View(key, "tokenizer name"));
    if (py::isinstance<PyTokenizer>(value)) {
      named.push_back(NamedTokenizer{name, "<in memory>", value.cast<const PyTokenizer&>().tokenizer});
      continue;
    }
    // An explicit NAME=VALUE argument keeps a "=" inside the value intact.
    absl::StatusOr<NamedTokenizer> loaded =
        LoadNamedTokenizer(name + "=" + PathArgument(value), hub_dir);
    ThrowIfError(loaded.status());
    loaded->name = name;
    named.push_back(*std::move(loaded));
  }
  return named;
}

std::vector<NamedCorpus> CorpusArguments(const py::dict& corpora, const CorpusOptions& base) {
  std::vector<NamedCorpus> named;
  for (const auto& [key, value] : corpora) {
    const std::string name(Utf8View(key, "corpus name"));
    if (py::isinstance<py::str>(value) || py::hasattr(value, "__fspath__")) {
      // One path may end in a glob such as "src/*.py", as on the command line.
      absl::StatusOr<NamedCorpus> corpus = ParseNamedCorpus(name + "=" + PathArgument(value), base);
      ThrowIfError(corpus.status());
      named.push_back(*std::move(corpus));
      continue;
    }
    NamedCorpus corpus{name, base};
    for (py::handle path : value) corpus.options.paths.push_back(PathArgument(path));
    if (corpus.options.paths.empty()) throw py::value_error("corpus \"" + name + "\" has no paths");
    named.push_back(std::move(corpus));
  }
  return named;
}

}  // namespace

void BindAnalysis(py::module_& module) {
  py::class_<ComparisonReport>(module, "_ComparisonReport")
      .def("to_json", [](const ComparisonReport& self) { return Render(self, ReportFormat::kJson); })
      .def("to_markdown",
           [](const ComparisonReport& self) { return Render(self, ReportFormat::kMarkdown); })
      .def("to_html", [](const ComparisonReport& self) { return Render(self, ReportFormat::kHtml); })
      .def("to_csv", [](const ComparisonReport& self) { return Render(self, ReportFormat::kCsv); })
      .def("to_table", [](const ComparisonReport& self) { return Render(self, ReportFormat::kTable); });

  module.def(
      "_compare",
      [](const py::dict& tokenizers, const py::dict& corpora, const std::string& baseline,
         const std::vector<std::string>& words, bool by_line, const std::vector<std::string>& include,
         const std::vector<std::string>& exclude, const std::string& text_field, uint64_t max_bytes,
         int threads, int sample_lines) {
        CorpusOptions base;
        base.include_globs = include;
        base.exclude_globs = exclude;
        base.text_field = text_field;
        base.max_bytes = max_bytes;
        CompareOptions options;
        options.baseline = baseline;
        options.words = words;
        options.by_line = by_line;
        options.threads = threads;
        options.sample_lines = sample_lines;
        const std::vector<NamedCorpus> named_corpora = CorpusArguments(corpora, base);
        const std::vector<NamedTokenizer> named_tokenizers = TokenizerArguments(tokenizers);
        absl::StatusOr<ComparisonReport> report;
        {
          py::gil_scoped_release release;
          report = Compare(named_tokenizers, named_corpora, options);
        }
        ThrowIfError(report.status());
        return *std::move(report);
      },
      py::arg("tokenizers"), py::arg("corpora"), py::arg("baseline"), py::arg("words"),
      py::arg("by_line"), py::arg("include"), py::arg("exclude"), py::arg("text_field"),
      py::arg("max_bytes"), py::arg("threads"), py::arg("sample_lines"));
}

#else

void BindAnalysis(py::module_&) {}

#endif

}  // namespace tokforge::python
