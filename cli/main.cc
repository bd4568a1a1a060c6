// tokforge: train, run and compare subword tokenizers.

#include <cstring>
#include <iostream>
#include <string>

#include "commands.h"

namespace {

constexpr char kUsage[] =
    "usage: tokforge COMMAND [OPTIONS]\n"
    "\n"
    "commands:\n"
    "  train    learn a byte-level BPE tokenizer from text or JSON Lines files\n"
    "  count    write the piece counts of a corpus to a count shard for train\n"
    "  encode   print the token ids of every input line\n"
    "  decode   turn lines of token ids back into text\n"
    "  inspect  show the model, pipeline and special tokens of a tokenizer file\n"
    "  compare  measure sequence length and vocabulary coverage of tokenizers on corpora\n"
    "  bench    measure encoding speed (bench encode)\n"
    "\n"
    "Run 'tokforge COMMAND --help' for the options of a command.\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    std::cout << kUsage;
    return argc < 2 ? 2 : 0;
  }
  if (std::strcmp(argv[1], "--version") == 0) {
    std::cout << "tokforge " << TOKFORGE_VERSION << "\n";
    return 0;
  }
  const std::string command = argv[1];
  if (command == "train") return tokforge::cli::RunTrain(argc - 2, argv + 2);
  if (command == "count") return tokforge::cli::RunCount(argc - 2, argv + 2);
  if (command == "encode") return tokforge::cli::RunEncode(argc - 2, argv + 2);
  if (command == "decode") return tokforge::cli::RunDecode(argc - 2, argv + 2);
  if (command == "inspect") return tokforge::cli::RunInspect(argc - 2, argv + 2);
  if (command == "compare") return tokforge::cli::RunCompare(argc - 2, argv + 2);
  if (command == "bench") return tokforge::cli::RunBench(argc - 2, argv + 2);
  std::cerr << "tokforge: error: unknown command \"" << command << "\"\n\n" << kUsage;
  return 2;
}
