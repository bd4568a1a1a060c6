#include "args.h"

#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace tokforge::cli {

absl::StatusOr<Args> Args::Parse(int argc, char** argv,
                                 const std::set<std::string>& value_options,
                                 const std::set<std::string>& bool_options) {
  Args args;
  bool options_ended = false;
  for (int i = 0; i < argc; ++i) {
    const std::string arg = argv[i];
    if (options_ended || arg.size() < 3 || arg.rfind("--", 0) != 0) {
      if (arg == "--") {
        options_ended = true;
        continue;
      }
      args.positional_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::string value;
    bool has_value = false;
    if (const size_t equals = name.find('='); equals != std::string::npos) {
      value = name.substr(equals + 1);
      name = name.substr(0, equals);
      has_value = true;
    }
    if (bool_options.count(name)) {
      if (has_value) {
        return absl::InvalidArgumentError(absl::StrCat("option --", name, " takes no value"));
      }
      args.values_[name].push_back("true");
    } else if (value_options.count(name)) {
      if (!has_value) {
        if (i + 1 >= argc) {
          return absl::InvalidArgumentError(absl::StrCat("option --", name, " needs a value"));
        }
        value = argv[++i];
      }
      args.values_[name].push_back(value);
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown option --", name, "; run with --help to list the options"));
    }
  }
  return args;
}

std::string Args::Get(const std::string& name, const std::string& fallback) const {
  const auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second.back();
}

std::vector<std::string> Args::GetList(const std::string& name) const {
  std::vector<std::string> list;
  const auto it = values_.find(name);
  if (it == values_.end()) return list;
  for (const std::string& value : it->second) {
    for (absl::string_view part : absl::StrSplit(value, ',', absl::SkipEmpty())) {
      list.emplace_back(part);
    }
  }
  return list;
}

absl::StatusOr<int64_t> Args::GetInt(const std::string& name, int64_t fallback, int64_t min,
                                     int64_t max) const {
  if (!Has(name)) return fallback;
  const std::string text = Get(name);
  int64_t value = 0;
  if (!absl::SimpleAtoi(text, &value)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, " must be an integer, got \"", text, "\""));
  }
  if (value < min || value > max) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, " must be between ", min, " and ", max, ", got ", value));
  }
  return value;
}

int ReportError(const absl::Status& status) { return ReportError(std::string(status.message())); }

int ReportError(const std::string& message) {
  std::cerr << "tokforge: error: " << message << "\n";
  return 1;
}

absl::StatusOr<uint64_t> ParseByteCount(const std::string& option, const std::string& text) {
  std::string digits = text;
  uint64_t multiplier = 1;
  if (!digits.empty()) {
    const char suffix = absl::ascii_toupper(static_cast<unsigned char>(digits.back()));
    if (suffix == 'K' || suffix == 'M' || suffix == 'G') {
      multiplier = suffix == 'K' ? (uint64_t{1} << 10) : suffix == 'M' ? (uint64_t{1} << 20) : (uint64_t{1} << 30);
      digits.pop_back();
    }
  }
  uint64_t value = 0;
  if (!absl::SimpleAtoi(digits, &value) || value == 0 || value > UINT64_MAX / multiplier) {
    return absl::InvalidArgumentError(absl::StrCat(
        option, " must be a positive byte count such as 5000000 or 20M, got \"", text, "\""));
  }
  return value * multiplier;
}

std::string CountOf(uint64_t count, const std::string& singular,
                    const std::string& plural) {
  return absl::StrCat(count, " ", count == 1 ? singular : plural);
}

}  // namespace tokforge::cli
