// Entry points of the tokforge subcommands; each returns the exit code.

#ifndef TOKFORGE_CLI_COMMANDS_H_
#define TOKFORGE_CLI_COMMANDS_H_

namespace tokforge::cli {

int RunTrain(int argc, char** argv);
int RunCount(int argc, char** argv);
int RunEncode(int argc, char** argv);
int RunDecode(int argc, char** argv);
int RunInspect(int argc, char** argv);
int RunCompare(int argc, char** argv);
int RunBench(int argc, char** argv);

}  // namespace tokforge::cli

#endif  // TOKFORGE_CLI_COMMANDS_H_
