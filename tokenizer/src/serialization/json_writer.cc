#include "serialization/json_writer.h"

#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

namespace tokforge {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kTopLevelOrder[] = {
    "version",       "truncation",     "padding", "added_tokens", "normalizer",
    "pre_tokenizer", "post_processor", "decoder", "model"};

class Writer {
 public:
  explicit Writer(int indent) : indent_(indent) {}

  std::string Finish() { return std::move(out_); }

  void Value(const Json& value, int depth, bool is_vocab = false) {
    if (value.is_object()) {
      Object(value, depth, is_vocab);
    } else if (value.is_array()) {
      Array(value, depth);
    } else {
      out_ += value.dump(-1, ' ', false, Json::error_handler_t::replace);
    }
  }

  // Writes the top level in Hugging Face's order, then any unknown fields.
  void TopLevel(const Json& document) {
    std::vector<std::string> keys;
    for (std::string_view key : kTopLevelOrder) {
      if (document.contains(key)) keys.emplace_back(key);
    }
    for (const auto& [key, value] : document.items()) {
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
    }
    Members(document, keys, 0, /*vocab_key=*/"");
  }

 private:
  void Newline(int depth) {
    if (indent_ < 0) return;
    out_.push_back('\n');
    out_.append(static_cast<size_t>(depth * indent_), ' ');
  }

  void Key(const std::string& key) {
    out_ += Json(key).dump(-1, ' ', false, Json::error_handler_t::replace);
    out_ += indent_ < 0 ? ":" : ": ";
  }

  void Members(const Json& object, const std::vector<std::string>& keys, int depth,
               std::string_view vocab_key) {
    if (keys.empty()) {
      out_ += "{}";
      return;
    }
    out_.push_back('{');
    for (size_t i = 0; i < keys.size(); ++i) {
      if (i > 0) out_.push_back(',');
      Newline(depth + 1);
      Key(keys[i]);
      Value(object.at(keys[i]), depth + 1, keys[i] == vocab_key);
    }
    Newline(depth);
    out_.push_back('}');
  }

  void Object(const Json& object, int depth, bool is_vocab) {
    if (is_vocab) {
      Vocab(object, depth);
      return;
    }
    // A BPE, WordPiece or WordLevel model lists its options before the vocab
    // (in id order) and the merges, as Hugging Face writes them.
    const bool is_model = object.contains("vocab") && object["vocab"].is_object();
    std::vector<std::string> keys;
    if (object.contains("type")) keys.emplace_back("type");
    for (const auto& [key, value] : object.items()) {
      if (key == "type" || (is_model && (key == "vocab" || key == "merges"))) continue;
      keys.push_back(key);
    }
    if (is_model) {
      for (const char* key : {"vocab", "merges"}) {
        if (object.contains(key)) keys.emplace_back(key);
      }
    }
    Members(object, keys, depth, is_model ? "vocab" : "");
  }

  void Vocab(const Json& vocab, int depth) {
    std::vector<std::pair<const Json*, const std::string*>> entries;
    entries.reserve(vocab.size());
    for (const auto& [key, value] : vocab.items()) entries.emplace_back(&value, &key);
    std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
      return *a.first < *b.first;
    });
    std::vector<std::string> keys;
    keys.reserve(entries.size());
    for (const auto& entry : entries) keys.push_back(*entry.second);
    Members(vocab, keys, depth, "");
  }

  void Array(const Json& array, int depth) {
    if (array.empty()) {
      out_ += "[]";
      return;
    }
    // Short arrays of scalars (a merge pair, an offset) stay on one line.
    const bool inline_array =
        array.size() <= 4 && std::all_of(array.begin(), array.end(),
                                         [](const Json& v) { return v.is_primitive(); });
    out_.push_back('[');
    for (size_t i = 0; i < array.size(); ++i) {
      if (i > 0) out_ += inline_array && indent_ >= 0 ? ", " : ",";
      if (!inline_array) Newline(depth + 1);
      Value(array[i], depth + 1);
    }
    if (!inline_array) Newline(depth);
    out_.push_back(']');
  }

  int indent_;
  std::string out_;
};

}  // namespace

std::string WriteTokenizerJson(const nlohmann::json& document, int indent) {
  Writer writer(indent);
  if (document.is_object()) {
    writer.TopLevel(document);
  } else {
    writer.Value(document, 0);
  }
  return writer.Finish();
}

}  // namespace tokforge
