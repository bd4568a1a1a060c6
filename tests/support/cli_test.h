// A fixture for tests that run the tokforge binary.

#ifndef TOKFORGE_TESTS_SUPPORT_CLI_TEST_H_
#define TOKFORGE_TESTS_SUPPORT_CLI_TEST_H_

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/test_data.h"

namespace tokforge::testing {

struct CommandResult {
  int exit_code;
  std::string output;  // stderr, and stdout unless it went to a file
};

// A fixture with an empty temporary directory per test, removed afterwards,
// and helpers that run the binary through the shell.
class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("tokforge_cli_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    // A test may have made the directory unreadable.
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add);
    std::filesystem::remove_all(dir_);
  }

  // Path of `name` in the test's directory.
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  void Write(const std::string& name, const std::string& contents) const {
    std::ofstream(Path(name), std::ios::binary) << contents;
  }

  // Runs `tokforge arguments`.
  CommandResult Run(const std::string& arguments) const { return RunShell("", arguments, ""); }
  // Runs `tokforge arguments` with stdout written to `stdout_path`.
  CommandResult RunToFile(const std::string& arguments, const std::string& stdout_path) const {
    return RunShell("", arguments, stdout_path);
  }
  // Runs `prefix tokforge arguments`, where the prefix starts a pipe, for
  // example "cat file | ".
  CommandResult RunPiped(const std::string& prefix, const std::string& arguments) const {
    return RunShell(prefix, arguments, "");
  }

  std::filesystem::path dir_;

 private:
  CommandResult RunShell(const std::string& prefix, const std::string& arguments,
                         const std::string& stdout_path) const {
    const std::string log = Path("command.log");
    const std::string redirect =
        stdout_path.empty() ? " > " + log + " 2>&1" : " > " + stdout_path + " 2> " + log;
    const std::string command = prefix + TOKFORGE_CLI_PATH + " " + arguments + redirect;
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, ReadWholeFile(log)};
  }
};

}  // namespace tokforge::testing

#endif  // TOKFORGE_TESTS_SUPPORT_CLI_TEST_H_
