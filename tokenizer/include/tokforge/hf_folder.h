// Saving a tokenizer as a folder that Hugging Face transformers loads with
// AutoTokenizer.from_pretrained(folder), with a model card for the Hub.

#ifndef TOKFORGE_HF_FOLDER_H_
#define TOKFORGE_HF_FOLDER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tokforge/tokenizer.h"
#include "tokforge/trainer.h"

namespace tokforge {

// One training input as the model card lists it.
struct HfCorpusInfo {
  // Path, list of paths or a description such as "Python iterator".
  std::string name;
  // Input files read; 0 for in-memory sequences.
  uint64_t files = 0;
  // Uncompressed bytes of text.
  uint64_t bytes = 0;
  std::optional<uint64_t> sequences;
  // Fraction of sequences that repeat an earlier one, when it was measured.
  std::optional<double> duplicate_share;
};

// What README.md records about how the tokenizer was made. Every field is
// optional: a card for a tokenizer loaded from a file says that the training
// data and options were not recorded.
struct HfCardInfo {
  // Heading of README.md; empty uses the folder name.
  std::string title;
  std::vector<HfCorpusInfo> corpora;
  std::optional<BpeTrainerOptions> options;
  std::optional<TrainingStats> stats;
  // How the tokenizer was trained, for example a CLI command line or
  // "tokforge.BpeTrainer.train_from_iterator".
  std::string method;
  // YYYY-MM-DD; empty uses today's date in UTC.
  std::string date;
};

// Roles of special tokens, as in transformers' special_tokens_map.json. An
// empty string means that the tokenizer has no token in that role.
struct HfSpecialTokens {
  std::string bos_token;
  std::string eos_token;
  std::string unk_token;
  std::string pad_token;
  std::string sep_token;
  std::string cls_token;
  std::string mask_token;
  std::vector<std::string> additional_special_tokens;
};

// Assigns roles to the tokenizer's special added tokens by their usual
// spellings: "<s>" and "[CLS]" start a sequence, "</s>" ends one,
// "<|endoftext|>" is both BOS and EOS as in GPT-2, "<unk>", "<pad>",
// "[SEP]", "[MASK]" and their variants. The model's unk_token is the UNK
// token when it has one. Special tokens without a role become
// additional_special_tokens.
HfSpecialTokens GuessSpecialTokenRoles(const Tokenizer& tokenizer);

// Writes tokenizer.json, tokenizer_config.json (tokenizer_class
// PreTrainedTokenizerFast), special_tokens_map.json and README.md into
// `folder`, creating it when missing. `special_tokens` defaults to
// GuessSpecialTokenRoles(tokenizer). Fails with InvalidArgument when a role
// names a token that is not in the vocabulary, and with the file error when a
// file cannot be written. Each file is replaced atomically, but a failure can
// leave the folder with some files updated and others not.
absl::Status WriteHfFolder(const Tokenizer& tokenizer, const std::string& folder,
                           const HfCardInfo& card,
                           const std::optional<HfSpecialTokens>& special_tokens = std::nullopt);

}  // namespace tokforge

#endif  // TOKFORGE_HF_FOLDER_H_
