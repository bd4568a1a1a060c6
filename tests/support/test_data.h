// Paths and line handling shared by the tests.

#ifndef TOKFORGE_TESTS_SUPPORT_TEST_DATA_H_
#define TOKFORGE_TESTS_SUPPORT_TEST_DATA_H_

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace tokforge::testing {

// Absolute path of a file in the source tree.
inline std::string SourcePath(const std::string& relative) {
  return (std::filesystem::path(TOKFORGE_SOURCE_DIR) / relative).string();
}

inline std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Splits at "\n" without keeping it; "\r" stays. The empty string after a
// final "\n" is not a line. This is how the golden files count lines.
inline std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// Splits at "\n" and keeps it, which is how a trainer reading files gets each line.
inline std::vector<std::string> SplitLinesKeepingNewline(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    end = end == std::string::npos ? text.size() : end + 1;
    lines.push_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

// One row of tests/golden/inputs.tsv: which input lines a golden file covers.
struct GoldenInput {
  std::string golden_file;
  std::string input_file;  // relative to the source tree
  size_t lines = 0;
};

inline std::vector<GoldenInput> GoldenInputs(const std::string& golden_file) {
  std::vector<GoldenInput> inputs;
  const std::vector<std::string> rows = SplitLines(ReadWholeFile(SourcePath("tests/golden/inputs.tsv")));
  for (size_t i = 1; i < rows.size(); ++i) {
    std::istringstream row(rows[i]);
    GoldenInput input;
    row >> input.golden_file >> input.input_file >> input.lines;
    if (input.golden_file == golden_file) inputs.push_back(input);
  }
  return inputs;
}

// Space-separated ids of one line.
inline std::vector<uint32_t> ParseIds(const std::string& line) {
  std::vector<uint32_t> ids;
  std::istringstream stream(line);
  uint32_t id;
  while (stream >> id) ids.push_back(id);
  return ids;
}

}  // namespace tokforge::testing

#endif  // TOKFORGE_TESTS_SUPPORT_TEST_DATA_H_
