#include <pybind11/stl.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bindings.h"

namespace tokforge::python {
namespace {

// An Encoding whose offsets are Python str indices.
struct PyEncoding {
  std::vector<uint32_t> ids;
  std::vector<std::string> tokens;
  std::vector<std::pair<size_t, size_t>> offsets;
  std::vector<uint8_t> special_tokens_mask;
};

// Converts byte offsets into `text` (valid UTF-8) to code point offsets, as
// Hugging Face's Python binding does: a token that covers part of a
// multi-byte character, which byte-level BPE produces, gets the whole
// character. Empty spans stay empty.
std::vector<std::pair<size_t, size_t>> CharOffsets(
    std::string_view text, const std::vector<std::pair<size_t, size_t>>& byte_offsets) {
  // char_index[b] is the index of the character that byte b belongs to;
  // char_index[size] is the number of characters.
  std::vector<size_t> char_index(text.size() + 1);
  size_t characters = 0;
  for (size_t b = 0; b < text.size(); ++b) {
    const bool continuation = (static_cast<unsigned char>(text[b]) & 0xC0) == 0x80;
    if (!continuation || b == 0) ++characters;
    char_index[b] = characters - 1;
  }
  char_index[text.size()] = characters;

  std::vector<std::pair<size_t, size_t>> result;
  result.reserve(byte_offsets.size());
  for (auto [begin, end] : byte_offsets) {
    begin = std::min(begin, text.size());
    end = std::min(end, text.size());
    if (end <= begin) {
      result.emplace_back(char_index[begin], char_index[begin]);
    } else {
      result.emplace_back(char_index[begin], char_index[end - 1] + 1);
    }
  }
  return result;
}

PyEncoding EncodeText(const Tokenizer& tokenizer, std::string_view text, bool add_special_tokens) {
  Encoding encoding = tokenizer.Encode(text, add_special_tokens);
  PyEncoding result;
  result.offsets = CharOffsets(text, encoding.offsets);
  result.ids = std::move(encoding.ids);
  result.tokens = std::move(encoding.tokens);
  result.special_tokens_mask = std::move(encoding.special_tokens_mask);
  return result;
}

py::str DecodeUtf8(const std::string& bytes) {
  PyObject* text = PyUnicode_DecodeUTF8(bytes.data(), static_cast<Py_ssize_t>(bytes.size()),
                                        "replace");
  if (text == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(text);
}

// Holds the str objects of `texts` and views of their UTF-8 bytes, so that the
// views stay valid after the GIL is released.
struct TextBatch {
  py::list objects;
  std::vector<std::string_view> views;
};

// Raises ValueError for a negative thread count; 0 means all cores.
void CheckThreads(int threads) {
  if (threads < 0) {
    throw py::value_error("threads must be 0 (all cores) or more, got " + std::to_string(threads));
  }
}

TextBatch CollectTexts(py::handle texts) {
  if (PyUnicode_Check(texts.ptr())) {
    throw py::type_error("texts must be a list of str, got a single str; use encode() for one text");
  }
  TextBatch batch;
  batch.objects = py::list(py::iter(texts));
  batch.views.reserve(batch.objects.size());
  for (size_t i = 0; i < batch.objects.size(); ++i) {
    const std::string item = "texts[" + std::to_string(i) + "]";
    batch.views.push_back(Utf8View(batch.objects[i], item.c_str()));
  }
  return batch;
}

std::optional<HfSpecialTokens> SpecialTokensArgument(const Tokenizer& tokenizer,
                                                     const py::object& map) {
  if (map.is_none()) return std::nullopt;
  HfSpecialTokens roles = GuessSpecialTokenRoles(tokenizer);
  const std::pair<const char*, std::string*> named[] = {
      {"bos_token", &roles.bos_token}, {"eos_token", &roles.eos_token},
      {"unk_token", &roles.unk_token}, {"pad_token", &roles.pad_token},
      {"sep_token", &roles.sep_token}, {"cls_token", &roles.cls_token},
      {"mask_token", &roles.mask_token}};
  for (const auto& [key_object, value] : py::dict(map)) {
    const std::string key = py::str(key_object);
    if (key == "additional_special_tokens") {
      roles.additional_special_tokens.clear();
      if (!value.is_none()) {
        for (py::handle token : value) {
          roles.additional_special_tokens.emplace_back(Utf8View(token, "additional_special_tokens"));
        }
      }
      continue;
    }
    std::string* role = nullptr;
    for (const auto& [name, field] : named) {
      if (key == name) role = field;
    }
    if (role == nullptr) {
      throw py::value_error("unknown special_tokens_map key \"" + key +
                            "\"; expected bos_token, eos_token, unk_token, pad_token, sep_token, "
                            "cls_token, mask_token or additional_special_tokens");
    }
    *role = value.is_none() ? std::string() : std::string(Utf8View(value, key.c_str()));
  }
  return roles;
}

py::dict OptionsToDict(const BpeTrainerOptions& options) {
  py::dict dict;
  dict["vocab_size"] = options.vocab_size;
  dict["min_frequency"] = options.min_frequency;
  dict["special_tokens"] = options.special_tokens;
  dict["max_token_length"] =
      options.max_token_length == 0 ? py::object(py::none()) : py::int_(options.max_token_length);
  dict["threads"] = options.threads;
  dict["hf_compatible"] = options.hf_compatible;
  return dict;
}

py::dict StatsToDict(const TrainingStats& stats) {
  py::dict dict;
  dict["files"] = stats.files;
  dict["corpus_bytes"] = stats.corpus_bytes;
  dict["sequences"] = stats.sequences;
  dict["pieces"] = stats.pieces;
  dict["distinct_pieces"] = stats.distinct_pieces;
  dict["vocab_size"] = stats.vocab_size;
  dict["merges"] = stats.merges;
  dict["counting_seconds"] = stats.counting_seconds;
  dict["merging_seconds"] = stats.merging_seconds;
  return dict;
}

py::object TrainingInfo(const PyTokenizer& self) {
  if (!self.training) return py::none();
  const HfCardInfo& card = *self.training;
  py::list corpora;
  for (const HfCorpusInfo& corpus : card.corpora) {
    py::dict entry;
    entry["name"] = corpus.name;
    entry["files"] = corpus.files;
    entry["bytes"] = corpus.bytes;
    entry["sequences"] = corpus.sequences ? py::object(py::int_(*corpus.sequences)) : py::none();
    entry["duplicate_share"] =
        corpus.duplicate_share ? py::object(py::float_(*corpus.duplicate_share)) : py::none();
    corpora.append(entry);
  }
  py::dict info;
  info["method"] = card.method;
  info["corpora"] = corpora;
  info["options"] = card.options ? py::object(OptionsToDict(*card.options)) : py::none();
  info["stats"] = card.stats ? py::object(StatsToDict(*card.stats)) : py::none();
  return info;
}

PyTokenizer LoadFile(const py::object& path) {
  const std::string file = PathArgument(path);
  absl::StatusOr<Tokenizer> tokenizer;
  {
    py::gil_scoped_release release;
    tokenizer = Tokenizer::FromFile(file);
  }
  ThrowIfError(tokenizer.status());
  return PyTokenizer{*std::move(tokenizer), nullptr};
}

}  // namespace

py::dict TrainerOptionsToDict(const BpeTrainerOptions& options) { return OptionsToDict(options); }
py::dict TrainerStatsToDict(const TrainingStats& stats) { return StatsToDict(stats); }

void BindTokenizer(py::module_& module) {
  py::class_<PyEncoding>(module, "Encoding",
                         "The output of Tokenizer.encode: ids, tokens, offsets and masks of one "
                         "text.")
      .def_readonly("ids", &PyEncoding::ids, "Token ids.")
      .def_readonly("tokens", &PyEncoding::tokens,
                    "Token strings as spelled in the vocabulary (byte-level: 'Ġ' is a space).")
      .def_readonly("offsets", &PyEncoding::offsets,
                    "(start, end) str indices of each token in the input text. A token that "
                    "covers part of a multi-byte character spans the whole character; tokens "
                    "added by the post-processor get (0, 0).")
      .def_readonly("special_tokens_mask", &PyEncoding::special_tokens_mask,
                    "1 for special tokens, 0 for the others.")
      .def_property_readonly(
          "attention_mask",
          [](const PyEncoding& self) { return std::vector<int>(self.ids.size(), 1); },
          "1 for every token: an encoding without padding attends to all of them.")
      .def("__len__", [](const PyEncoding& self) { return self.ids.size(); })
      .def("__repr__", [](const PyEncoding& self) {
        return "Encoding(num_tokens=" + std::to_string(self.ids.size()) +
               ", attributes=[ids, tokens, offsets, attention_mask, special_tokens_mask])";
      });

  py::class_<PyTokenizer>(module, "Tokenizer",
                          "A byte-level BPE tokenizer in Hugging Face tokenizer.json format. "
                          "Immutable, so one instance can be used from many threads.")
      .def_static("from_file", &LoadFile, py::arg("path"),
                  "Load a tokenizer.json file. Raises FileNotFoundError when it is missing and "
                  "ValueError when it is not a valid tokenizer.json.")
      .def_static(
          "from_str",
          [](const py::object& json) {
            const std::string_view text = Utf8View(json, "json");
            absl::StatusOr<Tokenizer> tokenizer;
            {
              py::gil_scoped_release release;
              tokenizer = Tokenizer::FromJson(text, "<string>");
            }
            ThrowIfError(tokenizer.status());
            return PyTokenizer{*std::move(tokenizer), nullptr};
          },
          py::arg("json"), "Load a tokenizer from tokenizer.json text.")
      .def_static(
          "from_pretrained",
          [](const py::object& identifier, const py::object& revision,
             const py::object& cache_dir) {
            py::object path = py::module_::import("tokforge._hub")
                                  .attr("find_tokenizer_file")(identifier, revision, cache_dir);
            return LoadFile(path);
          },
          py::arg("identifier"), py::arg("revision") = "main", py::arg("cache_dir") = py::none(),
          "Load the tokenizer.json of a Hugging Face model from a local folder or the local "
          "Hugging Face cache, without network access. Raises FileNotFoundError naming the "
          "folders searched when it is absent.")
      .def(
          "encode",
          [](const PyTokenizer& self, const py::object& text, bool add_special_tokens) {
            const std::string_view view = Utf8View(text, "text");
            py::gil_scoped_release release;
            return EncodeText(self.tokenizer, view, add_special_tokens);
          },
          py::arg("text"), py::arg("add_special_tokens") = true,
          "Encode one text. With add_special_tokens, the post-processor adds its special "
          "tokens.")
      .def(
          "encode_batch",
          [](const PyTokenizer& self, const py::object& texts, bool add_special_tokens,
             int threads) {
            CheckThreads(threads);
            const TextBatch batch = CollectTexts(texts);
            std::vector<PyEncoding> results(batch.views.size());
            {
              py::gil_scoped_release release;
              // Small fixed-size tasks balance uneven text lengths across threads.
              constexpr size_t kTextsPerTask = 16;
              const size_t tasks = (batch.views.size() + kTextsPerTask - 1) / kTextsPerTask;
              ParallelFor(tasks, threads, [&](size_t task) {
                const size_t end = std::min(batch.views.size(), (task + 1) * kTextsPerTask);
                for (size_t i = task * kTextsPerTask; i < end; ++i) {
                  results[i] = EncodeText(self.tokenizer, batch.views[i], add_special_tokens);
                }
              });
            }
            return results;
          },
          py::arg("texts"), py::arg("add_special_tokens") = true, py::arg("threads") = 0,
          "Encode many texts in parallel on `threads` threads (0 = all cores) with the GIL "
          "released.")
      .def(
          "encode_batch_ids",
          [](const PyTokenizer& self, const py::object& texts, bool add_special_tokens,
             int threads) {
            CheckThreads(threads);
            const TextBatch batch = CollectTexts(texts);
            IdBatch ids;
            {
              py::gil_scoped_release release;
              ids = self.tokenizer.EncodeBatchIdsFlat(batch.views, add_special_tokens, threads);
            }
            // Lists are filled from the flat array with the C API, so the ids
            // are not first copied into one vector per text for pybind11.
            py::list result(ids.size());
            for (size_t i = 0; i < ids.size(); ++i) {
              const absl::Span<const uint32_t> text_ids = ids[i];
              PyObject* list = PyList_New(static_cast<Py_ssize_t>(text_ids.size()));
              if (list == nullptr) throw py::error_already_set();
              for (size_t j = 0; j < text_ids.size(); ++j) {
                PyObject* id = PyLong_FromUnsignedLong(text_ids[j]);
                if (id == nullptr) {
                  Py_DECREF(list);
                  throw py::error_already_set();
                }
                PyList_SET_ITEM(list, static_cast<Py_ssize_t>(j), id);
              }
              PyList_SET_ITEM(result.ptr(), static_cast<Py_ssize_t>(i), list);
            }
            return result;
          },
          py::arg("texts"), py::arg("add_special_tokens") = true, py::arg("threads") = 0,
          "Encode many texts to ids only, on `threads` threads (0 = all cores) with the GIL "
          "released. Faster than encode_batch because it builds no tokens or offsets.")
      .def(
          "decode",
          [](const PyTokenizer& self, const std::vector<uint32_t>& ids, bool skip_special_tokens) {
            std::string bytes;
            {
              py::gil_scoped_release release;
              bytes = self.tokenizer.Decode(ids, skip_special_tokens);
            }
            return DecodeUtf8(bytes);
          },
          py::arg("ids"), py::arg("skip_special_tokens") = false,
          "Decode ids to text. Bytes that are not valid UTF-8 (a multi-byte character cut "
          "between tokens) become U+FFFD; unknown ids are skipped.")
      .def(
          "decode_batch",
          [](const PyTokenizer& self, const std::vector<std::vector<uint32_t>>& sequences,
             bool skip_special_tokens) {
            std::vector<std::string> decoded(sequences.size());
            {
              py::gil_scoped_release release;
              ParallelFor(sequences.size(), 0, [&](size_t i) {
                decoded[i] = self.tokenizer.Decode(sequences[i], skip_special_tokens);
              });
            }
            py::list texts;
            for (const std::string& bytes : decoded) texts.append(DecodeUtf8(bytes));
            return texts;
          },
          py::arg("sequences"), py::arg("skip_special_tokens") = false,
          "Decode many id sequences; see decode.")
      .def(
          "token_to_id",
          [](const PyTokenizer& self, const py::object& token) -> std::optional<uint32_t> {
            return self.tokenizer.TokenToId(Utf8View(token, "token"));
          },
          py::arg("token"), "Return the id of a token, or None when it is not in the vocabulary.")
      .def(
          "id_to_token",
          [](const PyTokenizer& self, int64_t id) -> std::optional<std::string> {
            if (id < 0 || id > UINT32_MAX) return std::nullopt;
            return self.tokenizer.IdToToken(static_cast<uint32_t>(id));
          },
          py::arg("id"), "Return the token of an id, or None when the id is out of range.")
      .def(
          "get_vocab",
          [](const PyTokenizer& self, bool with_added_tokens) {
            py::dict vocab;
            for (const auto& [token, id] : self.tokenizer.GetVocab(with_added_tokens)) {
              vocab[py::str(token)] = id;
            }
            return vocab;
          },
          py::arg("with_added_tokens") = true, "Return the vocabulary as a dict token -> id.")
      .def(
          "get_vocab_size",
          [](const PyTokenizer& self, bool with_added_tokens) {
            return self.tokenizer.vocab_size(with_added_tokens);
          },
          py::arg("with_added_tokens") = true,
          "Return the number of ids, counting added tokens by default.")
      .def(
          "to_str", [](const PyTokenizer& self, bool pretty) { return self.tokenizer.ToJson(pretty); },
          py::arg("pretty") = false, "Serialize as tokenizer.json text.")
      .def(
          "save",
          [](const PyTokenizer& self, const py::object& path, bool pretty) {
            const std::string file = PathArgument(path);
            absl::Status status;
            {
              py::gil_scoped_release release;
              status = self.tokenizer.Save(file, pretty);
            }
            ThrowIfError(status);
          },
          py::arg("path"), py::arg("pretty") = true,
          "Write tokenizer.json to `path`, replacing the file atomically.")
      .def(
          "save_pretrained",
          [](const PyTokenizer& self, const py::object& folder, const py::object& special_tokens_map,
             const py::object& title) {
            const std::string directory = PathArgument(folder);
            HfCardInfo card = self.training ? *self.training : HfCardInfo();
            if (!title.is_none()) card.title = std::string(Utf8View(title, "title"));
            const std::optional<HfSpecialTokens> roles =
                SpecialTokensArgument(self.tokenizer, special_tokens_map);
            absl::Status status;
            {
              py::gil_scoped_release release;
              status = WriteHfFolder(self.tokenizer, directory, card, roles);
            }
            ThrowIfError(status);
            py::object join = py::module_::import("os").attr("path").attr("join");
            py::list written;
            for (const char* name : {"tokenizer.json", "tokenizer_config.json",
                                     "special_tokens_map.json", "README.md"}) {
              written.append(join(directory, name));
            }
            return py::tuple(written);
          },
          py::arg("folder"), py::arg("special_tokens_map") = py::none(),
          py::arg("title") = py::none(),
          "Write tokenizer.json, tokenizer_config.json, special_tokens_map.json and a README.md "
          "model card into `folder` so that transformers.AutoTokenizer.from_pretrained(folder) "
          "loads it. Returns the paths written.")
      .def_property_readonly("training_info", &TrainingInfo,
                             "How this tokenizer was trained (corpora, options, statistics), or "
                             "None when it was loaded rather than trained.")
      .def("__repr__",
           [](const PyTokenizer& self) {
             return "Tokenizer(vocab_size=" + std::to_string(self.tokenizer.vocab_size(true)) +
                    ")";
           })
      .def(py::pickle(
          [](const PyTokenizer& self) { return py::make_tuple(self.tokenizer.ToJson(false)); },
          [](const py::tuple& state) {
            if (state.size() != 1) throw py::value_error("invalid pickled tokforge.Tokenizer");
            absl::StatusOr<Tokenizer> tokenizer =
                Tokenizer::FromJson(Utf8View(state[0], "state"), "<pickle>");
            ThrowIfError(tokenizer.status());
            return PyTokenizer{*std::move(tokenizer), nullptr};
          }));
}

}  // namespace tokforge::python
