#include "bindings.h"

PYBIND11_MODULE(_tokforge, module) {
  module.doc() = "C++ core of the tokforge package; import tokforge instead.";
  module.attr("__version__") = TOKFORGE_VERSION;
  tokforge::python::RegisterStatusError();
  tokforge::python::BindTokenizer(module);
  tokforge::python::BindTrainer(module);
  tokforge::python::BindCounts(module);
  tokforge::python::BindAnalysis(module);
}
