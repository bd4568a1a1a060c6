#include "decoders/decoders.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "pretokenizers/metaspace.h"
#include "pretokenizers/regex.h"
#include "pretokenizers/split.h"
#include "util/byte_level.h"
#include "util/utf8.h"

namespace tokforge {

using internal::Decoder;
using internal::Json;
using internal::JsonLocation;

namespace {

class ByteLevelDecoder : public Decoder {
 public:
  void DecodeChain(std::vector<std::string>* tokens) const override {
    const ByteLevelAlphabet& alphabet = ByteLevelAlphabet::Get();
    std::string out;
    for (const std::string& token : *tokens) {
      // Characters outside the byte alphabet (in added tokens, say) keep
      // their own UTF-8.
      for (size_t pos = 0; pos < token.size();) {
        const DecodedChar c = DecodeUtf8(token, pos);
        const std::optional<uint8_t> byte = alphabet.Byte(c.code_point);
        if (byte) {
          out.push_back(static_cast<char>(*byte));
        } else {
          out.append(token, pos, c.length);
        }
        pos += c.length;
      }
    }
    tokens->assign(1, std::move(out));
  }
};

class MetaspaceDecoder : public Decoder {
 public:
  MetaspaceDecoder(std::string replacement, bool strip_first)
      : replacement_(std::move(replacement)), strip_first_(strip_first) {}
  void DecodeChain(std::vector<std::string>* tokens) const override {
    for (size_t i = 0; i < tokens->size(); ++i) {
      std::string& token = (*tokens)[i];
      std::string out;
      for (size_t pos = 0; pos < token.size();) {
        if (token.compare(pos, replacement_.size(), replacement_) == 0) {
          if (!(i == 0 && pos == 0 && strip_first_)) out.push_back(' ');
          pos += replacement_.size();
        } else {
          out.push_back(token[pos++]);
        }
      }
      token = std::move(out);
    }
  }

 private:
  std::string replacement_;
  bool strip_first_;
};

// Parses "<0xNN>" (upper-case hex), the spelling of byte-fallback tokens.
std::optional<uint8_t> ParseByteToken(const std::string& token) {
  if (token.size() != 6 || token.compare(0, 3, "<0x") != 0 || token[5] != '>') return std::nullopt;
  int value = 0;
  for (size_t i = 3; i < 5; ++i) {
    const char c = token[i];
    value *= 16;
    if (c >= '0' && c <= '9') {
      value += c - '0';
    } else if (c >= 'A' && c <= 'F') {
      value += c - 'A' + 10;
    } else {
      return std::nullopt;
    }
  }
  return static_cast<uint8_t>(value);
}

class ByteFallbackDecoder : public Decoder {
 public:
  void DecodeChain(std::vector<std::string>* tokens) const override {
    std::vector<std::string> out;
    std::string bytes;
    size_t byte_count = 0;
    auto flush = [&] {
      if (byte_count == 0) return;
      if (IsValidUtf8(bytes)) {
        out.push_back(bytes);
      } else {
        // One U+FFFD per byte, as Hugging Face does.
        for (size_t i = 0; i < byte_count; ++i) out.emplace_back("\xEF\xBF\xBD");
      }
      bytes.clear();
      byte_count = 0;
    };
    for (std::string& token : *tokens) {
      if (const std::optional<uint8_t> byte = ParseByteToken(token)) {
        bytes.push_back(static_cast<char>(*byte));
        ++byte_count;
      } else {
        flush();
        out.push_back(std::move(token));
      }
    }
    flush();
    *tokens = std::move(out);
  }
};

class FuseDecoder : public Decoder {
 public:
  void DecodeChain(std::vector<std::string>* tokens) const override {
    std::string joined;
    for (const std::string& token : *tokens) joined += token;
    tokens->assign(1, std::move(joined));
  }
};

class StripDecoder : public Decoder {
 public:
  StripDecoder(std::string content, size_t start, size_t stop)
      : content_(std::move(content)), start_(start), stop_(stop) {}
  void DecodeChain(std::vector<std::string>* tokens) const override {
    for (std::string& token : *tokens) {
      size_t begin = 0;
      for (size_t i = 0; i < start_ && token.compare(begin, content_.size(), content_) == 0; ++i) {
        begin += content_.size();
      }
      size_t end = token.size();
      for (size_t i = 0; i < stop_ && end >= begin + content_.size() &&
                         token.compare(end - content_.size(), content_.size(), content_) == 0;
           ++i) {
        end -= content_.size();
      }
      token = token.substr(begin, end - begin);
    }
  }

 private:
  std::string content_;
  size_t start_;
  size_t stop_;
};

class ReplaceDecoder : public Decoder {
 public:
  ReplaceDecoder(std::unique_ptr<Regex> pattern, std::string content)
      : pattern_(std::move(pattern)), content_(std::move(content)) {}
  void DecodeChain(std::vector<std::string>* tokens) const override {
    for (std::string& token : *tokens) {
      MatchList matches;
      pattern_->FindAll(token, &matches);
      if (matches.empty()) continue;
      std::string out;
      size_t previous = 0;
      for (const auto& [begin, end] : matches) {
        out.append(token, previous, begin - previous);
        out.append(content_);
        previous = end;
      }
      out.append(token, previous);
      token = std::move(out);
    }
  }

 private:
  std::unique_ptr<Regex> pattern_;
  std::string content_;
};

class SequenceDecoder : public Decoder {
 public:
  explicit SequenceDecoder(std::vector<std::unique_ptr<Decoder>> children)
      : children_(std::move(children)) {}
  void DecodeChain(std::vector<std::string>* tokens) const override {
    for (const auto& child : children_) child->DecodeChain(tokens);
  }

 private:
  std::vector<std::unique_ptr<Decoder>> children_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Decoder>> CreateByteLevelDecoder(const Json&, const JsonLocation&) {
  return std::make_unique<ByteLevelDecoder>();
}

absl::StatusOr<std::unique_ptr<Decoder>> CreateMetaspaceDecoder(const Json& config,
                                                                const JsonLocation& where) {
  absl::StatusOr<std::string> replacement = ReadReplacement(config, where);
  if (!replacement.ok()) return replacement.status();
  absl::StatusOr<PrependScheme> scheme = ReadPrependScheme(config, where);
  if (!scheme.ok()) return scheme.status();
  return std::make_unique<MetaspaceDecoder>(*std::move(replacement),
                                            *scheme != PrependScheme::kNever);
}

absl::StatusOr<std::unique_ptr<Decoder>> CreateByteFallbackDecoder(const Json&,
                                                                   const JsonLocation&) {
  return std::make_unique<ByteFallbackDecoder>();
}

absl::StatusOr<std::unique_ptr<Decoder>> CreateFuseDecoder(const Json&, const JsonLocation&) {
  return std::make_unique<FuseDecoder>();
}

absl::StatusOr<std::unique_ptr<Decoder>> CreateStripDecoder(const Json& config,
                                                            const JsonLocation& where) {
  absl::StatusOr<std::string> content = internal::ReadString(config, "content", where);
  if (!content.ok()) return content.status();
  absl::StatusOr<uint64_t> start = internal::ReadUnsigned(config, "start", 1 << 20, where);
  if (!start.ok()) return start.status();
  absl::StatusOr<uint64_t> stop = internal::ReadUnsigned(config, "stop", 1 << 20, where);
  if (!stop.ok()) return stop.status();
  return std::make_unique<StripDecoder>(*std::move(content), *start, *stop);
}

absl::StatusOr<std::unique_ptr<Decoder>> CreateReplaceDecoder(const Json& config,
                                                              const JsonLocation& where) {
  absl::StatusOr<std::unique_ptr<Regex>> pattern = ReadPattern(config, where);
  if (!pattern.ok()) return pattern.status();
  absl::StatusOr<std::string> content = internal::ReadString(config, "content", where);
  if (!content.ok()) return content.status();
  return std::make_unique<ReplaceDecoder>(*std::move(pattern), *std::move(content));
}

absl::StatusOr<std::unique_ptr<Decoder>> CreateSequenceDecoder(const Json& config,
                                                               const JsonLocation& where) {
  absl::StatusOr<const Json*> list = internal::ReadArray(config, "decoders", where);
  if (!list.ok()) return list.status();
  std::vector<std::unique_ptr<Decoder>> children;
  for (size_t i = 0; i < (*list)->size(); ++i) {
    auto child = internal::CreateDecoder((**list)[i], where.Child("decoders").Index(i));
    if (!child.ok()) return child.status();
    children.push_back(*std::move(child));
  }
  return std::make_unique<SequenceDecoder>(std::move(children));
}

}  // namespace tokforge
