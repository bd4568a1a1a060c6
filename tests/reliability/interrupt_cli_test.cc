// SIGINT and SIGTERM during training: tokforge must end with a message and
// leave the previous output file as it was, with no temporary file beside it.
//
// The corpus is a named pipe that the test keeps open, so training is
// certainly still reading when the signal arrives. tokforge opens the pipe
// only after it has installed its signal handlers, and opening the write end
// blocks until then, so the test never signals too early.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/test_data.h"

namespace tokforge {
namespace {

namespace fs = std::filesystem;

class InterruptCliTest : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("tokforge_interrupt_" + std::to_string(::getpid()) + "_" + std::to_string(GetParam()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "out");
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
};

TEST_P(InterruptCliTest, KeepsPreviousOutput) {
  const int signal_number = GetParam();
  const fs::path output = dir_ / "out" / "tokenizer.json";
  std::ofstream(output) << "previous";
  const fs::path fifo = dir_ / "corpus.txt";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0) << std::strerror(errno);
  const fs::path log = dir_ / "stderr.log";

  const pid_t child = ::fork();
  ASSERT_GE(child, 0) << std::strerror(errno);
  if (child == 0) {
    const int err = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(err, STDERR_FILENO);
    ::execl(TOKFORGE_CLI_PATH, "tokforge", "train", "--quiet", "--vocab-size", "300", "--output",
            output.c_str(), fifo.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }

  // Blocks until tokforge opens the pipe for reading.
  const int writer = ::open(fifo.c_str(), O_WRONLY);
  ASSERT_GE(writer, 0) << std::strerror(errno);
  const std::string lines = "some training text\nand another line\n";
  ASSERT_EQ(::write(writer, lines.data(), lines.size()), static_cast<ssize_t>(lines.size()));
  ASSERT_EQ(::kill(child, signal_number), 0);

  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ::close(writer);
  const std::string message = testing::ReadWholeFile(log.string());

  ASSERT_TRUE(WIFSIGNALED(status)) << "exit status " << status << ": " << message;
  EXPECT_EQ(WTERMSIG(status), signal_number);
  EXPECT_NE(message.find(std::string("interrupted by ") +
                         (signal_number == SIGINT ? "SIGINT" : "SIGTERM")),
            std::string::npos)
      << message;
  EXPECT_NE(message.find(output.string() + " was not changed"), std::string::npos) << message;
  EXPECT_EQ(testing::ReadWholeFile(output.string()), "previous");
  int files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir_ / "out")) ++files;
  EXPECT_EQ(files, 1) << "temporary files were left in " << dir_ / "out";
}

INSTANTIATE_TEST_SUITE_P(Signals, InterruptCliTest, ::testing::Values(SIGINT, SIGTERM),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::string(info.param == SIGINT ? "Sigint" : "Sigterm");
                         });

}  // namespace
}  // namespace tokforge
