// Command-line parsing shared by the tokforge subcommands.

#ifndef TOKFORGE_CLI_ARGS_H_
#define TOKFORGE_CLI_ARGS_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tokforge::cli {

// Parses "--name value", "--name=value" and boolean "--name" options and
// positional arguments. Options may repeat; every value is kept.
class Args {
 public:
  // `value_options` take a value; `bool_options` do not. Anything else
  // starting with "--" is an error that names the option.
  static absl::StatusOr<Args> Parse(int argc, char** argv, const std::set<std::string>& value_options,
                                    const std::set<std::string>& bool_options);

  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  // The last value given for `name`, or `fallback`.
  std::string Get(const std::string& name, const std::string& fallback = "") const;
  // Every value given for `name`, with comma-separated lists split.
  std::vector<std::string> GetList(const std::string& name) const;
  absl::StatusOr<int64_t> GetInt(const std::string& name, int64_t fallback, int64_t min,
                                 int64_t max) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
};

// Prints "tokforge: error: MESSAGE" to stderr and returns the exit code 1.
// Parses the value of `option`, a byte count such as "5000000", "512K" or
// "20M" (K, M and G multiply by 1024, 1024^2 and 1024^3).
absl::StatusOr<uint64_t> ParseByteCount(const std::string& option, const std::string& text);

// Returns `count` and the noun in the number it needs: "1 file", "2 files".
std::string CountOf(uint64_t count, const std::string& singular,
                    const std::string& plural);

int ReportError(const absl::Status& status);
int ReportError(const std::string& message);

}  // namespace tokforge::cli

#endif  // TOKFORGE_CLI_ARGS_H_
