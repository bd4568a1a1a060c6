// SIGINT and SIGTERM handling for commands that write an output file.

#ifndef TOKFORGE_CLI_INTERRUPT_H_
#define TOKFORGE_CLI_INTERRUPT_H_

#include <string>

namespace tokforge::cli {

// Installs SIGINT and SIGTERM handlers that print
// "tokforge: interrupted by SIGINT; OUTPUT was not changed" and then end the
// process by the same signal, so that the exit status still shows it. Call
// once, before any thread starts.
void InstallInterruptHandlers(const std::string& output);

// Makes the handlers delete `temporary_path` before the process ends, for a
// command that streams its output into a temporary file. Call after
// InstallInterruptHandlers and before any thread starts.
void RemoveOnInterrupt(const std::string& temporary_path);

// While a ScopedOutputCommit lives, a signal is held back and acted on when
// it ends, so that an atomic write (temporary file, then rename) is never
// cut short and leaves no temporary file behind. The message then says
// whether the output was written, as set by set_output_written.
class ScopedOutputCommit {
 public:
  ScopedOutputCommit();
  ~ScopedOutputCommit();
  ScopedOutputCommit(const ScopedOutputCommit&) = delete;
  ScopedOutputCommit& operator=(const ScopedOutputCommit&) = delete;

  void set_output_written(bool written) { output_written_ = written; }

 private:
  bool output_written_ = false;
};

}  // namespace tokforge::cli

#endif  // TOKFORGE_CLI_INTERRUPT_H_
