// tokforge.Counts: piece counts that can be merged, serialized and trained
// from, so that counting runs inside a distributed engine.

#include <pybind11/stl.h>

#include <string>
#include <string_view>
#include <vector>

#include "bindings.h"
#include "tokforge/counts.h"

namespace tokforge::python {
namespace {

py::dict CountStatsToDict(const CountStats& stats) {
  py::dict dict;
  dict["files"] = stats.files;
  dict["sequences"] = stats.sequences;
  dict["bytes"] = stats.bytes;
  dict["pieces"] = stats.pieces;
  dict["documents"] = stats.documents;
  dict["document_bytes"] = stats.document_bytes;
  dict["duplicate_documents"] = stats.duplicate_documents;
  dict["duplicate_bytes"] = stats.duplicate_bytes;
  dict["unremembered_documents"] = stats.unremembered_documents;
  dict["sampled_out_sequences"] = stats.sampled_out_sequences;
  dict["pruned_pieces"] = stats.pruned_pieces;
  return dict;
}

PieceCounts ParseOrThrow(const py::bytes& data, const std::string& name) {
  const std::string_view view = data;
  absl::StatusOr<PieceCounts> counts;
  {
    py::gil_scoped_release release;
    counts = PieceCounts::Parse(view, name);
  }
  ThrowIfError(counts.status());
  return *std::move(counts);
}

py::bytes SerializeToBytes(const PieceCounts& counts) {
  std::string bytes;
  {
    py::gil_scoped_release release;
    bytes = counts.Serialize();
  }
  return py::bytes(bytes);
}

}  // namespace

void BindCounts(py::module_& module) {
  py::class_<PieceCounts>(module, "Counts",
                          "Piece counts of a corpus part; see tokforge.count_pieces.")
      .def(py::init([](bool hf_compatible) {
             CountSettings settings;
             settings.keep_byte_order_mark = hf_compatible;
             return PieceCounts(settings);
           }),
           py::arg("hf_compatible") = false)
      .def(
          "update",
          [](PieceCounts& self, const py::list& batch, int threads) {
            std::vector<std::string_view> views;
            views.reserve(batch.size());
            for (py::handle item : batch) views.push_back(Utf8View(item, "each text"));
            py::gil_scoped_release release;
            self.CountSequences(views, threads);
          },
          py::arg("batch"), py::arg("threads") = 0,
          "Count a list of str, each one sequence as given (nothing is split at newlines).")
      .def(
          "merge",
          [](PieceCounts& self, const PieceCounts& other) -> PieceCounts& {
            ThrowIfError(self.Merge(other, "the merged Counts"));
            return self;
          },
          py::arg("other"), py::return_value_policy::reference_internal,
          "Add the counts of other to these and return self. Raises ValueError when they were "
          "counted with a different hf_compatible setting.")
      .def(
          "prune",
          [](PieceCounts& self, uint64_t max_pieces) { return self.Prune(max_pieces); },
          py::arg("max_pieces"),
          "Drop the rarest pieces so that at most max_pieces remain; return how many were "
          "dropped.")
      .def("to_bytes", &SerializeToBytes, "The count shard encoding, as tokforge count writes.")
      .def_static("from_bytes", &ParseOrThrow, py::arg("data"), py::arg("name") = "bytes",
                  "Decode a count shard; errors name `name`.")
      .def(
          "save",
          [](const PieceCounts& self, py::handle path) {
            const std::string file = PathArgument(path);
            absl::Status status;
            {
              py::gil_scoped_release release;
              status = self.WriteFile(file);
            }
            ThrowIfError(status);
          },
          py::arg("path"), "Write a count shard file atomically.")
      .def_static(
          "load",
          [](py::handle path) {
            const std::string file = PathArgument(path);
            absl::StatusOr<PieceCounts> counts;
            {
              py::gil_scoped_release release;
              counts = PieceCounts::ReadFile(file);
            }
            ThrowIfError(counts.status());
            return *std::move(counts);
          },
          py::arg("path"), "Read a count shard file.")
      .def("items",
           [](const PieceCounts& self) {
             py::list items;
             for (const auto& [piece, count] : self.Sorted()) {
               items.append(py::make_tuple(py::bytes(piece), count));
             }
             return items;
           },
           "(piece bytes, count) pairs sorted by piece bytes.")
      .def_property_readonly(
          "hf_compatible",
          [](const PieceCounts& self) { return self.settings().keep_byte_order_mark; })
      .def_property_readonly(
          "stats", [](const PieceCounts& self) { return CountStatsToDict(self.stats()); })
      .def("__len__", &PieceCounts::distinct_pieces)
      .def("__repr__",
           [](const PieceCounts& self) {
             return "<tokforge.Counts: " + std::to_string(self.distinct_pieces()) +
                    " distinct pieces, " + std::to_string(self.stats().sequences) +
                    " sequences>";
           })
      .def(py::pickle([](const PieceCounts& self) { return SerializeToBytes(self); },
                      [](const py::bytes& data) { return ParseOrThrow(data, "pickled Counts"); }));
}

}  // namespace tokforge::python
