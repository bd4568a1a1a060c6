// Table of bad inputs run through the tokforge binary. Every case must fail
// with a non-zero exit code, print a message that names the file or option
// and the problem (and, where one exists, the fix), and leave no output file
// and no temporary file in the output directory.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/test_data.h"

namespace tokforge {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

struct BadInputCase {
  const char* name;
  // Writes the inputs into the case directory.
  std::function<void(const fs::path& dir)> prepare;
  // Command line after "tokforge"; "@" stands for the case directory.
  std::string arguments;
  // Fragments the message must contain, such as the file name and the fix.
  std::vector<std::string> expected;
};

void WriteFile(const fs::path& path, const std::string& contents) {
  std::ofstream(path, std::ios::binary) << contents;
}

std::string Compress(const fs::path& dir, const std::string& tool, const std::string& text) {
  const fs::path plain = dir / "plain.txt";
  WriteFile(plain, text);
  const std::string command = tool + " -q -c " + plain.string() + " > " + (dir / "packed").string();
  if (std::system(command.c_str()) != 0) return "";
  fs::remove(plain);
  const std::string packed = testing::ReadWholeFile((dir / "packed").string());
  fs::remove(dir / "packed");
  return packed;
}

std::string ManyLines() {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "line " + std::to_string(i) + " of the corpus\n";
  return text;
}

// A small valid byte-level BPE tokenizer.json, edited by the cases below.
Json SmallTokenizer() {
  return Json::parse(R"({
    "version": "1.0", "truncation": null, "padding": null, "added_tokens": [],
    "normalizer": null,
    "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true,
                      "use_regex": true},
    "post_processor": null, "decoder": {"type": "ByteLevel"},
    "model": {"type": "BPE", "dropout": null, "unk_token": null,
              "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": [["a", "b"]]}
  })");
}

std::function<void(const fs::path&)> WriteTokenizer(const std::function<void(Json&)>& edit) {
  return [edit](const fs::path& dir) {
    Json document = SmallTokenizer();
    edit(document);
    WriteFile(dir / "tokenizer.json", document.dump());
    WriteFile(dir / "input.txt", "ab\n");
  };
}

std::function<void(const fs::path&)> WriteText(const std::string& name, const std::string& text) {
  return [name, text](const fs::path& dir) { WriteFile(dir / name, text); };
}

const std::string kEncode = "encode --tokenizer @/tokenizer.json @/input.txt";

std::vector<BadInputCase> Cases() {
  return {
      // Training inputs.
      {"MissingInput", nullptr, "train @/missing.txt", {"missing.txt", "not found", "check the spelling"}},
      {"EmptyInput", WriteText("empty.txt", ""), "train @/empty.txt",
       {"read from", "empty.txt", "(1 file)", "no text", "inputs are not empty"}},
      {"EmptyFilesInDirectory",
       [](const fs::path& dir) {
         fs::create_directories(dir / "texts");
         WriteFile(dir / "texts" / "a.txt", "");
         WriteFile(dir / "texts" / "b.txt", "");
       },
       "train @/texts", {"read from", "texts (2 files)", "no text"}},
      {"NoMatchingFiles",
       [](const fs::path& dir) {
         fs::create_directories(dir / "src");
         WriteFile(dir / "src/readme.md", "text\n");
       },
       "train --include '*.py' @/src",
       {"src", "*.py", "check the directory and the globs"}},
      {"TruncatedGzip",
       [](const fs::path& dir) {
         const std::string packed = Compress(dir, "gzip", ManyLines());
         WriteFile(dir / "cut.txt.gz", packed.substr(0, packed.size() / 2));
       },
       "train @/cut.txt.gz",
       {"cut.txt.gz", "truncated or corrupt gzip", "gzip -t"}},
      {"TruncatedZstd",
       [](const fs::path& dir) {
         const std::string packed = Compress(dir, "zstd", ManyLines());
         WriteFile(dir / "cut.txt.zst", packed.substr(0, packed.size() / 2));
       },
       "train @/cut.txt.zst",
       {"cut.txt.zst", "truncated or corrupt zstd", "zstd -t"}},
      {"JsonlInvalidJson", WriteText("data.jsonl", "{\"text\": \"ok\"}\n{\"text\": \n"),
       "train @/data.jsonl", {"line 2 of", "data.jsonl", "invalid JSON"}},
      {"JsonlMissingField", WriteText("data.jsonl", "{\"body\": \"x\"}\n"), "train @/data.jsonl",
       {"missing field \"text\"", "line 1 of", "data.jsonl", "set the text field"}},
      {"JsonlNonStringField", WriteText("data.jsonl", "{\"text\": 17}\n"), "train @/data.jsonl",
       {"field \"text\"", "line 1 of", "data.jsonl", "is a number, expected a string"}},

      // NUL bytes, the sign of a binary file. Plain files are read by the
      // counting threads, the other inputs by one reading thread.
      {"NulBytePlainFile", WriteText("data.bin", std::string("one\ntwo\nth\0ree\n", 15)),
       "train @/data.bin",
       {"data.bin contains a NUL byte", "byte offset 10 (line 3)", "--exclude 'data.bin'",
        "--allow-nul-bytes"}},
      {"NulByteInDirectory",
       [](const fs::path& dir) {
         fs::create_directories(dir / "texts");
         WriteFile(dir / "texts" / "a.txt", "text\n");
         WriteFile(dir / "texts" / "b.pyc", std::string("\x55\x0d\x0d\x0a\0\0", 6));
       },
       "train @/texts", {"texts/b.pyc contains a NUL byte", "byte offset 4 (line 2)",
                          "--exclude 'b.pyc'"}},
      {"NulByteGzip",
       [](const fs::path& dir) {
         WriteFile(dir / "data.txt.gz", Compress(dir, "gzip", ManyLines() + std::string(1, '\0')));
       },
       "train @/data.txt.gz",
       {"data.txt.gz contains a NUL byte", "of the uncompressed content (line 5001)",
        "--allow-nul-bytes"}},
      {"NulByteJsonl",
       WriteText("data.jsonl", std::string("{\"text\": \"ok\"}\n{\"text\": \"\0\"}\n", 29)),
       "train @/data.jsonl", {"data.jsonl contains a NUL byte", "byte offset 25 (line 2)"}},
      {"NulByteStdin", WriteText("data.bin", std::string("a\0\n", 3)), "train - < @/data.bin",
       {"standard input contains a NUL byte", "byte offset 1 (line 1)", "--allow-nul-bytes"}},
      {"NulByteCount", WriteText("data.bin", std::string("a\0\n", 3)), "count @/data.bin",
       {"data.bin contains a NUL byte", "--allow-nul-bytes"}},

      // Impossible options.
      {"VocabSmallerThanAlphabet", WriteText("text.txt", "hello\n"),
       "train --vocab-size 10 @/text.txt", {"vocab size 10", "at least 256"}},
      {"NegativeThreads", WriteText("text.txt", "hello\n"), "train --threads -1 @/text.txt",
       {"--threads", "between 0 and"}},
      {"NegativeVocabSize", WriteText("text.txt", "hello\n"), "train --vocab-size -5 @/text.txt",
       {"--vocab-size", "got -5"}},
      {"NegativeMaxBytes", WriteText("text.txt", "hello\n"), "train --max-bytes -1 @/text.txt",
       {"--max-bytes", "positive byte count", "got \"-1\""}},
      {"NegativeMinFrequency", WriteText("text.txt", "hello\n"),
       "train --min-frequency -1 @/text.txt", {"--min-frequency", "got -1"}},

      // Encoding input.
      {"InvalidUtf8NotByteLevel",
       [](const fs::path& dir) { WriteFile(dir / "latin1.txt", "fine\ncaf\xe9\n"); },
       "encode --tokenizer " +
           testing::SourcePath("data/tokenizers/bert-base-uncased/tokenizer.json") +
           " @/latin1.txt",
       {"line 2 of", "latin1.txt", "not valid UTF-8", "byte 0xE9", "iconv"}},
      {"MissingEncodeInput", WriteTokenizer([](Json&) {}),
       "encode --tokenizer @/tokenizer.json @/missing.txt", {"missing.txt"}},

      // Hostile tokenizer.json files.
      {"TokenizerMissing", WriteText("input.txt", "ab\n"), kEncode, {"tokenizer.json"}},
      {"TokenizerEmpty",
       [](const fs::path& dir) {
         WriteFile(dir / "tokenizer.json", "");
         WriteFile(dir / "input.txt", "ab\n");
       },
       kEncode,
       {"tokenizer.json", "not a valid tokenizer.json"}},
      {"TokenizerTruncated",
       [](const fs::path& dir) {
         const std::string text = SmallTokenizer().dump();
         WriteFile(dir / "tokenizer.json", text.substr(0, text.size() / 2));
         WriteFile(dir / "input.txt", "ab\n");
       },
       kEncode,
       {"tokenizer.json", "not a valid tokenizer.json"}},
      {"UnknownModelType", WriteTokenizer([](Json& d) { d["model"]["type"] = "Mystery"; }), kEncode,
       {"tokenizer.json", "model.type", "\"Mystery\"", "supported: BPE"}},
      {"UnknownPreTokenizerType",
       WriteTokenizer([](Json& d) { d["pre_tokenizer"] = {{"type", "Mystery"}}; }), kEncode,
       {"tokenizer.json", "pre_tokenizer.type", "\"Mystery\"", "supported:"}},
      {"WrongFieldType", WriteTokenizer([](Json& d) { d["model"]["vocab"] = "abc"; }), kEncode,
       {"tokenizer.json", "model.vocab", "expected an object"}},
      {"MergeNamesMissingToken",
       WriteTokenizer([](Json& d) { d["model"]["merges"].push_back({"b", "zz"}); }), kEncode,
       {"tokenizer.json", "merges[1]", "\"zz\" is not in model.vocab"}},
      {"DuplicateId", WriteTokenizer([](Json& d) { d["model"]["vocab"]["c"] = 1; }), kEncode,
       {"tokenizer.json", "id 1 is used by both"}},
      {"NegativeId", WriteTokenizer([](Json& d) { d["model"]["vocab"]["c"] = -1; }), kEncode,
       {"tokenizer.json", "non-negative integer id for \"c\""}},
      {"AbsurdId", WriteTokenizer([](Json& d) { d["model"]["vocab"]["c"] = 2147483647; }), kEncode,
       {"tokenizer.json", "id 2147483647", "too large", "number the tokens from 0"}},
  };
}

class BadInputCliTest : public ::testing::TestWithParam<BadInputCase> {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("tokforge_bad_input_" + std::to_string(::getpid()) + "_" + GetParam().name);
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "out");
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Expand(const std::string& arguments) const {
    std::string expanded;
    for (char c : arguments) {
      if (c == '@') {
        expanded += dir_.string();
      } else {
        expanded.push_back(c);
      }
    }
    return expanded;
  }

  fs::path dir_;
};

TEST_P(BadInputCliTest, FailsWithMessageAndNoOutput) {
  const BadInputCase& bad = GetParam();
  if (bad.prepare) bad.prepare(dir_);
  const fs::path output = dir_ / "out" / "result";
  std::string arguments = Expand(bad.arguments);
  // train writes --output; encode writes stdout, redirected to the same name.
  const bool writes_stdout = bad.arguments.rfind("encode", 0) == 0;
  if (!writes_stdout) arguments += " --output " + output.string();
  const fs::path log = dir_ / "stderr.log";
  const std::string command = std::string(TOKFORGE_CLI_PATH) + " " + arguments +
                              (writes_stdout ? " > " + (dir_ / "stdout.txt").string() : " > /dev/null") +
                              " 2> " + log.string();
  const int status = std::system(command.c_str());
  const std::string message = testing::ReadWholeFile(log.string());

  ASSERT_TRUE(WIFEXITED(status)) << "tokforge ended by a signal: " << message;
  EXPECT_NE(WEXITSTATUS(status), 0) << message;
  EXPECT_EQ(message.rfind("tokforge: error: ", 0), 0u) << message;
  for (const std::string& fragment : bad.expected) {
    EXPECT_NE(message.find(fragment), std::string::npos)
        << "expected \"" << fragment << "\" in: " << message;
  }
  EXPECT_FALSE(fs::exists(output)) << output;
  EXPECT_TRUE(fs::is_empty(dir_ / "out")) << "temporary files were left in " << dir_ / "out";
}

INSTANTIATE_TEST_SUITE_P(Cases, BadInputCliTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<BadInputCase>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace tokforge
