// tokforge inspect: what a tokenizer file contains.

#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "args.h"
#include "commands.h"
#include "tokforge/tokenizer.h"

namespace tokforge::cli {
namespace {

constexpr char kInspectUsage[] =
    "usage: tokforge inspect [OPTIONS] FILE\n"
    "\n"
    "Prints the model type, vocabulary size, pipeline and special tokens of a\n"
    "tokenizer.json, .tiktoken file or vocab.json (with merges.txt beside it).\n"
    "\n"
    "options:\n"
    "  --save OUT.json   also write the loaded tokenizer as tokenizer.json\n";

using Json = nlohmann::json;

// One line per component: its type, and the types of Sequence children.
std::string Describe(const Json& component) {
  if (component.is_null()) return "none";
  if (!component.is_object()) return "?";
  std::string type = component.value("type", std::string("?"));
  for (const char* key : {"normalizers", "pretokenizers", "processors", "decoders"}) {
    const auto children = component.find(key);
    if (children == component.end() || !children->is_array()) continue;
    std::string inner;
    for (const Json& child : *children) absl::StrAppend(&inner, inner.empty() ? "" : ", ", Describe(child));
    absl::StrAppend(&type, "[", inner, "]");
  }
  if (type == "Split" && component.contains("pattern")) {
    absl::StrAppend(&type, "(", component["pattern"].dump(), ", ",
                    component.value("behavior", std::string("?")), ")");
  }
  return type;
}

}  // namespace

int RunInspect(int argc, char** argv) {
  absl::StatusOr<Args> parsed = Args::Parse(argc, argv, {"save"}, {"help"});
  if (!parsed.ok()) return ReportError(parsed.status());
  const Args& args = *parsed;
  if (args.Has("help")) {
    std::cout << kInspectUsage;
    return 0;
  }
  if (args.positional().size() != 1) return ReportError("give exactly one tokenizer FILE");
  const std::string& path = args.positional()[0];
  absl::StatusOr<Tokenizer> tokenizer = Tokenizer::FromFile(path);
  if (!tokenizer.ok()) return ReportError(tokenizer.status());

  const Json document = Json::parse(tokenizer->ToJson(false));
  const Json& model = document["model"];
  std::cout << "file:           " << path << "\n";
  std::cout << "model:          " << model.value("type", std::string("?")) << "\n";
  std::cout << "vocab size:     " << tokenizer->vocab_size(false) << " (with added tokens "
            << tokenizer->vocab_size(true) << ")\n";
  if (model.contains("merges") && model["merges"].is_array()) {
    std::cout << "merges:         " << model["merges"].size() << "\n";
  }
  for (const char* key : {"unk_token", "continuing_subword_prefix", "end_of_word_suffix",
                          "fuse_unk", "byte_fallback", "ignore_merges"}) {
    const auto it = model.find(key);
    if (it == model.end() || it->is_null() || *it == "" || *it == false) continue;
    std::cout << "  " << key << ": " << it->dump() << "\n";
  }
  std::cout << "normalizer:     " << Describe(document.value("normalizer", Json())) << "\n";
  std::cout << "pre-tokenizer:  " << Describe(document.value("pre_tokenizer", Json())) << "\n";
  std::cout << "post-processor: " << Describe(document.value("post_processor", Json())) << "\n";
  std::cout << "decoder:        " << Describe(document.value("decoder", Json())) << "\n";
  size_t special = 0;
  size_t other = 0;
  std::string listed;
  for (const Json& token : document.value("added_tokens", Json::array())) {
    if (token.value("special", false)) {
      if (++special <= 10) {
        absl::StrAppend(&listed, "  ", token.value("id", 0), " ", token["content"].dump(), "\n");
      }
    } else {
      ++other;
    }
  }
  std::cout << "special tokens: " << special << (special > 10 ? " (first 10 listed)" : "") << "\n"
            << listed;
  if (other > 0) std::cout << "other added tokens: " << other << "\n";

  if (args.Has("save")) {
    const absl::Status saved = tokenizer->Save(args.Get("save"));
    if (!saved.ok()) return ReportError(saved);
  }
  return 0;
}

}  // namespace tokforge::cli
