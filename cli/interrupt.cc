#include "interrupt.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstring>

namespace tokforge::cli {
namespace {

// The handler may only use async-signal-safe calls, so both messages are
// built before it is installed and never change afterwards.
std::string* unchanged_message[2];  // [0] for SIGINT, [1] for SIGTERM
std::string* written_message[2];
std::string* temporary_file = nullptr;  // removed by Terminate when set
std::atomic<bool> committing{false};
std::atomic<int> pending_signal{0};

void WriteAll(const std::string& message) {
  const char* data = message.data();
  size_t remaining = message.size();
  while (remaining > 0) {
    const ssize_t written = ::write(STDERR_FILENO, data, remaining);
    if (written <= 0) return;
    data += written;
    remaining -= static_cast<size_t>(written);
  }
}

[[noreturn]] void Terminate(int signal_number, bool output_written) {
  const int index = signal_number == SIGINT ? 0 : 1;
  if (temporary_file != nullptr && !output_written) ::unlink(temporary_file->c_str());
  WriteAll(output_written ? *written_message[index] : *unchanged_message[index]);
  ::signal(signal_number, SIG_DFL);
  // Inside a handler its own signal is blocked, so unblock it for raise.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, signal_number);
  ::pthread_sigmask(SIG_UNBLOCK, &signals, nullptr);
  ::raise(signal_number);
  ::_exit(128 + signal_number);
}

void HandleSignal(int signal_number) {
  if (committing.load()) {
    pending_signal.store(signal_number);
    return;
  }
  Terminate(signal_number, /*output_written=*/false);
}

}  // namespace

void InstallInterruptHandlers(const std::string& output) {
  const char* names[2] = {"SIGINT", "SIGTERM"};
  for (int i = 0; i < 2; ++i) {
    // The leading newline ends a progress line that may be on the terminal.
    unchanged_message[i] = new std::string(std::string("\ntokforge: interrupted by ") + names[i] +
                                           "; " + output + " was not changed\n");
    written_message[i] = new std::string(std::string("\ntokforge: interrupted by ") + names[i] +
                                         " after " + output + " was written\n");
  }
  struct sigaction action;
  std::memset(&action, 0, sizeof(action));
  action.sa_handler = HandleSignal;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

void RemoveOnInterrupt(const std::string& temporary_path) {
  temporary_file = new std::string(temporary_path);
}

ScopedOutputCommit::ScopedOutputCommit() { committing.store(true); }

ScopedOutputCommit::~ScopedOutputCommit() {
  committing.store(false);
  if (const int signal_number = pending_signal.exchange(0); signal_number != 0) {
    Terminate(signal_number, output_written_);
  }
}

}  // namespace tokforge::cli
