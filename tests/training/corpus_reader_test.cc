#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tokforge/corpus.h"

namespace tokforge {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A fresh directory per test, removed afterwards.
class CorpusReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) /
           absl::StrCat("corpus_", info->test_suite_name(), "_", info->name(), "_", getpid());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }

  void TearDown() override {
    std::error_code ignored;
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add, ignored);
    fs::remove_all(dir_, ignored);
  }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  std::string WriteFile(const std::string& name, std::string_view content) const {
    const fs::path path = dir_ / name;
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    return path.string();
  }

  fs::path dir_;
};

std::string GzipCompress(std::string_view data) {
  z_stream stream{};
  EXPECT_EQ(deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8,
                         Z_DEFAULT_STRATEGY),
            Z_OK);
  std::string out(deflateBound(&stream, data.size()) + 64, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

std::string ZstdCompress(std::string_view data) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  const size_t size = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3);
  EXPECT_FALSE(ZSTD_isError(size));
  out.resize(size);
  return out;
}

// Lines of varied length and script, long enough to span several read chunks.
std::string MakeLargeText() {
  std::string text;
  for (int i = 0; text.size() < 300'000; ++i) {
    absl::StrAppend(&text, "line ", i, " café 한국어 😀 ", std::string(i % 97, 'x'), "\n");
  }
  return text;
}

absl::StatusOr<std::unique_ptr<CorpusReader>> OpenPaths(std::vector<std::string> paths,
                                                        size_t block_bytes = 1 << 20) {
  CorpusOptions options;
  options.paths = std::move(paths);
  options.block_bytes = block_bytes;
  return CorpusReader::Open(options);
}

absl::StatusOr<std::vector<CorpusBlock>> ReadBlocks(CorpusReader& reader) {
  std::vector<CorpusBlock> blocks;
  while (true) {
    CorpusBlock block;
    absl::StatusOr<bool> more = reader.Next(&block);
    if (!more.ok()) return more.status();
    if (!*more) return blocks;
    blocks.push_back(std::move(block));
  }
}

absl::StatusOr<std::vector<CorpusBlock>> ReadBlocks(const CorpusOptions& options) {
  auto reader = CorpusReader::Open(options);
  if (!reader.ok()) return reader.status();
  return ReadBlocks(**reader);
}

std::string Concatenate(const std::vector<CorpusBlock>& blocks) {
  std::string all;
  for (const CorpusBlock& block : blocks) all += block.bytes;
  return all;
}

absl::StatusOr<std::vector<std::string>> Sequences(const std::vector<CorpusBlock>& blocks,
                                                   std::string_view text_field = "") {
  std::vector<std::string> sequences;
  for (const CorpusBlock& block : blocks) {
    absl::Status status = ForEachSequence(
        block, text_field, [&](std::string_view s) { sequences.emplace_back(s); });
    if (!status.ok()) return status;
  }
  return sequences;
}

absl::StatusOr<std::vector<std::string>> ReadSequences(const CorpusOptions& options) {
  auto blocks = ReadBlocks(options);
  if (!blocks.ok()) return blocks.status();
  return Sequences(*blocks, options.text_field);
}

CorpusOptions OptionsFor(const std::string& path) {
  CorpusOptions options;
  options.paths = {path};
  return options;
}

// ---------------------------------------------------------------------------
// Plain text.

TEST_F(CorpusReaderTest, TextTrailingNewline) {
  auto sequences = ReadSequences(OptionsFor(WriteFile("a.txt", "one\ntwo\n")));
  ASSERT_TRUE(sequences.ok()) << sequences.status();
  EXPECT_THAT(*sequences, ElementsAre("one\n", "two\n"));
}

TEST_F(CorpusReaderTest, TextNoTrailingNewline) {
  auto sequences = ReadSequences(OptionsFor(WriteFile("a.txt", "one\ntwo")));
  ASSERT_TRUE(sequences.ok()) << sequences.status();
  EXPECT_THAT(*sequences, ElementsAre("one\n", "two"));
}

TEST_F(CorpusReaderTest, TextEmptyLinesKept) {
  auto sequences = ReadSequences(OptionsFor(WriteFile("a.txt", "one\n\n\ntwo\n")));
  ASSERT_TRUE(sequences.ok()) << sequences.status();
  EXPECT_THAT(*sequences, ElementsAre("one\n", "\n", "\n", "two\n"));
}

TEST_F(CorpusReaderTest, TextCrlfKept) {
  auto sequences = ReadSequences(OptionsFor(WriteFile("a.txt", "one\r\ntwo\r\nthree")));
  ASSERT_TRUE(sequences.ok()) << sequences.status();
  EXPECT_THAT(*sequences, ElementsAre("one\r\n", "two\r\n", "three"));
}

TEST_F(CorpusReaderTest, TextBomStripped) {
  auto sequences = ReadSequences(OptionsFor(WriteFile("a.txt", "\xEF\xBB\xBFone\ntwo\n")));
  ASSERT_TRUE(sequences.ok()) << sequences.status();
  EXPECT_THAT(*sequences, ElementsAre("one\n", "two\n"));
}

TEST_F(CorpusReaderTest, BomOnlyFileEmpty) {
  auto sequences = ReadSequences(OptionsFor(WriteFile("a.txt", "\xEF\xBB\xBF")));
  ASSERT_TRUE(sequences.ok()) << sequences.status();
  EXPECT_TRUE(sequences->empty());
}

TEST_F(CorpusReaderTest, MultilingualUnchanged) {
  const std::string text =
      "안녕하세요, 세계!\n"
      "Ça coûte 12,50 € à l'œil nu.\n"
      "family 👨‍👩‍👧 flag 🇫🇷 thumbs 👍🏽\n";
  auto sequences = ReadSequences(OptionsFor(WriteFile("a.txt", text)));
  ASSERT_TRUE(sequences.ok()) << sequences.status();
  EXPECT_THAT(*sequences, ElementsAre("안녕하세요, 세계!\n", "Ça coûte 12,50 € à l'œil nu.\n",
                                      "family 👨‍👩‍👧 flag 🇫🇷 thumbs 👍🏽\n"));
}

TEST_F(CorpusReaderTest, InvalidUtf8PassedThrough) {
  const std::string text = "ok\n\xFF\xC3(\n";
  auto sequences = ReadSequences(OptionsFor(WriteFile("a.txt", text)));
  ASSERT_TRUE(sequences.ok()) << sequences.status();
  EXPECT_THAT(*sequences, ElementsAre("ok\n", "\xFF\xC3(\n"));
}

TEST_F(CorpusReaderTest, EmptyFileNoBlocks) {
  auto blocks = ReadBlocks(OptionsFor(WriteFile("empty.txt", "")));
  ASSERT_TRUE(blocks.ok()) << blocks.status();
  EXPECT_TRUE(blocks->empty());
}

// ---------------------------------------------------------------------------
// Blocks.

TEST_F(CorpusReaderTest, SmallBlocksWholeLines) {
  const std::string text = "aa\nbbbb\nc\ndddddd\nee\nf";
  CorpusOptions options = OptionsFor(WriteFile("a.txt", text));
  options.block_bytes = 8;
  auto blocks = ReadBlocks(options);
  ASSERT_TRUE(blocks.ok()) << blocks.status();

  ASSERT_EQ(blocks->size(), 4u);
  EXPECT_EQ((*blocks)[0].bytes, "aa\nbbbb\n");
  EXPECT_EQ((*blocks)[0].first_line, 1u);
  EXPECT_EQ((*blocks)[1].bytes, "c\n");
  EXPECT_EQ((*blocks)[1].first_line, 3u);
  EXPECT_EQ((*blocks)[2].bytes, "dddddd\n");
  EXPECT_EQ((*blocks)[2].first_line, 4u);
  EXPECT_EQ((*blocks)[3].bytes, "ee\nf");
  EXPECT_EQ((*blocks)[3].first_line, 5u);
  EXPECT_EQ(Concatenate(*blocks), text);
}

TEST_F(CorpusReaderTest, LongLineOwnBlock) {
  const std::string long_line = std::string(50, 'L') + "\n";
  const std::string text = "a\n" + long_line + "b\n";
  CorpusOptions options = OptionsFor(WriteFile("a.txt", text));
  options.block_bytes = 4;
  auto blocks = ReadBlocks(options);
  ASSERT_TRUE(blocks.ok()) << blocks.status();

  ASSERT_EQ(blocks->size(), 3u);
  EXPECT_EQ((*blocks)[0].bytes, "a\n");
  EXPECT_EQ((*blocks)[1].bytes, long_line);
  EXPECT_EQ((*blocks)[1].first_line, 2u);
  EXPECT_EQ((*blocks)[2].bytes, "b\n");
  EXPECT_EQ((*blocks)[2].first_line, 3u);
}

TEST_F(CorpusReaderTest, LongLineLargerThanChunk) {
  // Longer than the reader's 64 KiB read chunk, and without a final newline.
  const std::string long_line(200'000, 'z');
  const std::string text = "short\n" + long_line;
  CorpusOptions options = OptionsFor(WriteFile("a.txt", text));
  options.block_bytes = 16;
  auto blocks = ReadBlocks(options);
  ASSERT_TRUE(blocks.ok()) << blocks.status();

  ASSERT_EQ(blocks->size(), 2u);
  EXPECT_EQ((*blocks)[0].bytes, "short\n");
  EXPECT_EQ((*blocks)[1].bytes, long_line);
  EXPECT_EQ((*blocks)[1].first_line, 2u);
}

TEST_F(CorpusReaderTest, LargeFileBlocksConsistent) {
  const std::string text = MakeLargeText();
  CorpusOptions options = OptionsFor(WriteFile("large.txt", text));
  options.block_bytes = 4096;
  auto blocks = ReadBlocks(options);
  ASSERT_TRUE(blocks.ok()) << blocks.status();

  uint64_t expected_line = 1;
  for (const CorpusBlock& block : *blocks) {
    EXPECT_LE(block.bytes.size(), 4096u);
    EXPECT_EQ(block.bytes.back(), '\n');
    EXPECT_EQ(block.first_line, expected_line);
    expected_line += std::count(block.bytes.begin(), block.bytes.end(), '\n');
  }
  EXPECT_EQ(Concatenate(*blocks), text);
}

TEST_F(CorpusReaderTest, BlocksNeverMixFiles) {
  const std::string a = WriteFile("a.txt", "a1\na2");
  const std::string b = WriteFile("b.txt", "b1\nb2\n");
  auto reader = OpenPaths({a, b});
  ASSERT_TRUE(reader.ok()) << reader.status();
  auto blocks = ReadBlocks(**reader);
  ASSERT_TRUE(blocks.ok()) << blocks.status();

  ASSERT_EQ(blocks->size(), 2u);
  EXPECT_EQ((*blocks)[0].bytes, "a1\na2");
  EXPECT_EQ((*blocks)[0].path, a);
  EXPECT_EQ((*blocks)[1].bytes, "b1\nb2\n");
  EXPECT_EQ((*blocks)[1].path, b);
  EXPECT_EQ((*blocks)[1].first_line, 1u);
}

TEST_F(CorpusReaderTest, BytesCounted) {
  const std::string a = WriteFile("a.txt", "hello\n");
  const std::string gz = WriteFile("b.txt.gz", GzipCompress("world wide\n"));
  auto reader = OpenPaths({a, gz});
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->total_file_bytes(), 6 + fs::file_size(gz));
  EXPECT_EQ((*reader)->bytes_read(), 0u);

  auto blocks = ReadBlocks(**reader);
  ASSERT_TRUE(blocks.ok()) << blocks.status();
  EXPECT_EQ((*reader)->bytes_read(), 17u);
}

TEST_F(CorpusReaderTest, EndStaysEnd) {
  auto reader = OpenPaths({WriteFile("a.txt", "x\n")});
  ASSERT_TRUE(reader.ok()) << reader.status();
  ASSERT_TRUE(ReadBlocks(**reader).ok());
  CorpusBlock block;
  auto more = (*reader)->Next(&block);
  ASSERT_TRUE(more.ok()) << more.status();
  EXPECT_FALSE(*more);
}

// ---------------------------------------------------------------------------
// max_bytes.

TEST_F(CorpusReaderTest, MaxBytesExcludesCrossingLine) {
  CorpusOptions options = OptionsFor(WriteFile("a.txt", "aaa\nbbb\nccc\n"));
  options.max_bytes = 10;
  auto reader = CorpusReader::Open(options);
  ASSERT_TRUE(reader.ok()) << reader.status();
  auto blocks = ReadBlocks(**reader);
  ASSERT_TRUE(blocks.ok()) << blocks.status();
  EXPECT_EQ(Concatenate(*blocks), "aaa\nbbb\n");
  EXPECT_EQ((*reader)->bytes_read(), 8u);
}

TEST_F(CorpusReaderTest, MaxBytesExactBoundary) {
  CorpusOptions options = OptionsFor(WriteFile("a.txt", "aaa\nbbb\nccc\n"));
  options.max_bytes = 8;
  auto blocks = ReadBlocks(options);
  ASSERT_TRUE(blocks.ok()) << blocks.status();
  EXPECT_EQ(Concatenate(*blocks), "aaa\nbbb\n");
}

TEST_F(CorpusReaderTest, MaxBytesSmallerThanFirstLine) {
  CorpusOptions options = OptionsFor(WriteFile("a.txt", "aaaaaaaa\nb\n"));
  options.max_bytes = 3;
  auto blocks = ReadBlocks(options);
  ASSERT_TRUE(blocks.ok()) << blocks.status();
  EXPECT_TRUE(blocks->empty());
}

TEST_F(CorpusReaderTest, MaxBytesLongLineBlock) {
  // A line longer than block_bytes still comes whole when it fits the limit.
  CorpusOptions options = OptionsFor(WriteFile("a.txt", "a\nbbbbbbbbbb\ncc\n"));
  options.block_bytes = 4;
  options.max_bytes = 14;
  auto blocks = ReadBlocks(options);
  ASSERT_TRUE(blocks.ok()) << blocks.status();
  ASSERT_EQ(blocks->size(), 2u);
  EXPECT_EQ((*blocks)[0].bytes, "a\n");
  EXPECT_EQ((*blocks)[1].bytes, "bbbbbbbbbb\n");
}

TEST_F(CorpusReaderTest, MaxBytesAcrossFiles) {
  CorpusOptions options;
  options.paths = {WriteFile("a.txt", "aaaa\n"), WriteFile("b.txt", "bb\nccc\n"),
                   WriteFile("c.txt", "d\n")};
  options.max_bytes = 9;
  auto blocks = ReadBlocks(options);
  ASSERT_TRUE(blocks.ok()) << blocks.status();
  EXPECT_EQ(Concatenate(*blocks), "aaaa\nbb\n");
}

TEST_F(CorpusReaderTest, MaxBytesLastLineNoNewline) {
  CorpusOptions options = OptionsFor(WriteFile("a.txt", "aaa\nbb"));
  options.max_bytes = 6;
  auto blocks = ReadBlocks(options);
  ASSERT_TRUE(blocks.ok()) << blocks.status();
  EXPECT_EQ(Concatenate(*blocks), "aaa\nbb");
}

// ---------------------------------------------------------------------------
// Paths and globs.

TEST_F(CorpusReaderTest, DirectoryGlobsSorted) {
  WriteFile("src/b.py", "b\n");
  WriteFile("src/a.py", "a\n");
  WriteFile("src/pkg/c.py", "c\n");
  WriteFile("src/pkg/test_c.py", "t\n");
  WriteFile("src/notes.md", "n\n");
  WriteFile("src/z/d.pyi", "d\n");
  CorpusOptions options = OptionsFor(Path("src"));
  options.include_globs = {"*.py", "*.pyi"};
  options.exclude_globs = {"test_*"};
  auto reader = CorpusReader::Open(options);
  ASSERT_TRUE(reader.ok()) << reader.status();

  EXPECT_THAT((*reader)->files(), ElementsAre(Path("src/a.py"), Path("src/b.py"),
                                              Path("src/pkg/c.py"), Path("src/z/d.pyi")));
  auto blocks = ReadBlocks(**reader);
  ASSERT_TRUE(blocks.ok()) << blocks.status();
  EXPECT_EQ(Concatenate(*blocks), "a\nb\nc\nd\n");
}

TEST_F(CorpusReaderTest, DirectoryNoGlobsAllFiles) {
  WriteFile("d/x.txt", "x\n");
  WriteFile("d/sub/y.bin", "y\n");
  auto reader = OpenPaths({Path("d")});
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_THAT((*reader)->files(), ElementsAre(Path("d/sub/y.bin"), Path("d/x.txt")));
}

TEST_F(CorpusReaderTest, NamedFileIgnoresGlobs) {
  CorpusOptions options = OptionsFor(WriteFile("notes.md", "n\n"));
  options.include_globs = {"*.py"};
  options.exclude_globs = {"*.md"};
  auto reader = CorpusReader::Open(options);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_THAT((*reader)->files(), ElementsAre(Path("notes.md")));
}

TEST_F(CorpusReaderTest, PathsKeepGivenOrder) {
  const std::string b = WriteFile("b.txt", "b\n");
  const std::string a = WriteFile("a.txt", "a\n");
  auto reader = OpenPaths({b, a});
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_THAT((*reader)->files(), ElementsAre(b, a));
}

TEST_F(CorpusReaderTest, MissingPathError) {
  const std::string missing = Path("nope.txt");
  auto reader = OpenPaths({missing});
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(reader.status().message(), HasSubstr(missing));
  EXPECT_THAT(reader.status().message(), HasSubstr("not found"));
}

TEST_F(CorpusReaderTest, EmptyDirectoryError) {
  fs::create_directories(Path("empty"));
  auto reader = OpenPaths({Path("empty")});
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(reader.status().message(), HasSubstr(Path("empty")));
}

TEST_F(CorpusReaderTest, NoMatchNamesGlobs) {
  WriteFile("d/readme.md", "r\n");
  CorpusOptions options = OptionsFor(Path("d"));
  options.include_globs = {"*.py"};
  options.exclude_globs = {"*_test.py"};
  auto reader = CorpusReader::Open(options);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(reader.status().message(), HasSubstr(Path("d")));
  EXPECT_THAT(reader.status().message(), HasSubstr("*.py"));
  EXPECT_THAT(reader.status().message(), HasSubstr("*_test.py"));
}

TEST_F(CorpusReaderTest, NoPathsError) {
  auto reader = CorpusReader::Open(CorpusOptions{});
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(CorpusReaderTest, ZeroBlockBytesError) {
  CorpusOptions options = OptionsFor(WriteFile("a.txt", "a\n"));
  options.block_bytes = 0;
  auto reader = CorpusReader::Open(options);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(CorpusReaderTest, UnreadableFileError) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads files without read permission";
  const std::string path = WriteFile("secret.txt", "s\n");
  fs::permissions(path, fs::perms::none);
  auto reader = OpenPaths({path});
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(reader.status().message(), HasSubstr(path));
}

TEST_F(CorpusReaderTest, UnreadableSubdirectoryError) {
  if (geteuid() == 0) GTEST_SKIP() << "root lists directories without read permission";
  WriteFile("d/a.txt", "a\n");
  WriteFile("d/locked/b.txt", "b\n");
  fs::permissions(Path("d/locked"), fs::perms::none);
  auto reader = OpenPaths({Path("d")});
  fs::permissions(Path("d/locked"), fs::perms::owner_all);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(reader.status().message(), HasSubstr(Path("d")));
}

// ---------------------------------------------------------------------------
// Compression.

TEST_F(CorpusReaderTest, GzipRoundTrip) {
  const std::string text = MakeLargeText();
  CorpusOptions options = OptionsFor(WriteFile("large.txt.gz", GzipCompress(text)));
  options.block_bytes = 10'000;
  auto blocks = ReadBlocks(options);
  ASSERT_TRUE(blocks.ok()) << blocks.status();
  EXPECT_EQ(Concatenate(*blocks), text);
  EXPECT_EQ(blocks->front().format, CorpusFormat::kText);
}

TEST_F(CorpusReaderTest, GzipMultipleMembers) {
  const std::string gz = GzipCompress("first\n") + GzipCompress("second\n");
  auto sequences = ReadSequences(OptionsFor(WriteFile("a.txt.gz", gz)));
  ASSERT_TRUE(sequences.ok()) << sequences.status();
  EXPECT_THAT(*sequences, ElementsAre("first\n", "second\n"));
}

TEST_F(CorpusReaderTest, ZstdRoundTrip) {
  const std::string text = MakeLargeText();
  CorpusOptions options = OptionsFor(WriteFile("large.txt.zst", ZstdCompress(text)));
  options.block_bytes = 10'000;
  auto blocks = ReadBlocks(options);
  ASSERT_TRUE(blocks.ok()) << blocks.status();
  EXPECT_EQ(Concatenate(*blocks), text);
}

TEST_F(CorpusReaderTest, ZstdMultipleFrames) {
  const std::string zst = ZstdCompress("first\n") + ZstdCompress("second\n");
  auto sequences = ReadSequences(OptionsFor(WriteFile("a.txt.zst", zst)));
  ASSERT_TRUE(sequences.ok()) << sequences.status();
  EXPECT_THAT(*sequences, ElementsAre("first\n", "second\n"));
}

TEST_F(CorpusReaderTest, GzipTruncatedError) {
  const std::string gz = GzipCompress(MakeLargeText());
  const std::string path = WriteFile("cut.txt.gz", gz.substr(0, gz.size() / 2));
  auto blocks = ReadBlocks(OptionsFor(path));
  ASSERT_FALSE(blocks.ok());
  EXPECT_EQ(blocks.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(blocks.status().message(), HasSubstr("truncated or corrupt gzip data in " + path));
}

TEST_F(CorpusReaderTest, GzipTrailerCutError) {
  // The last 4 bytes of the trailer (the uncompressed length) are missing, so
  // every byte of text decodes but the stream is incomplete.
  const std::string gz = GzipCompress("complete line\n");
  const std::string path = WriteFile("cut.txt.gz", gz.substr(0, gz.size() - 4));
  auto blocks = ReadBlocks(OptionsFor(path));
  ASSERT_FALSE(blocks.ok());
  EXPECT_THAT(blocks.status().message(), HasSubstr("truncated or corrupt gzip data in " + path));
}

TEST_F(CorpusReaderTest, GzipCorruptError) {
  std::string gz = GzipCompress(MakeLargeText());
  for (size_t i = 100; i < 200; ++i) gz[i] = static_cast<char>(gz[i] ^ 0x5A);
  const std::string path = WriteFile("bad.txt.gz", gz);
  auto blocks = ReadBlocks(OptionsFor(path));
  ASSERT_FALSE(blocks.ok());
  EXPECT_THAT(blocks.status().message(), HasSubstr("truncated or corrupt gzip data in " + path));
}

TEST_F(CorpusReaderTest, GzipNotGzipError) {
  const std::string path = WriteFile("plain.txt.gz", "this is not gzip\n");
  auto blocks = ReadBlocks(OptionsFor(path));
  ASSERT_FALSE(blocks.ok());
  EXPECT_THAT(blocks.status().message(), HasSubstr(path));
}

TEST_F(CorpusReaderTest, ZstdTruncatedError) {
  const std::string zst = ZstdCompress(MakeLargeText());
  const std::string path = WriteFile("cut.txt.zst", zst.substr(0, zst.size() / 2));
  auto blocks = ReadBlocks(OptionsFor(path));
  ASSERT_FALSE(blocks.ok());
  EXPECT_EQ(blocks.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(blocks.status().message(), HasSubstr("truncated or corrupt zstd data in " + path));
}

TEST_F(CorpusReaderTest, ZstdTailCutError) {
  const std::string zst = ZstdCompress("complete line\n");
  const std::string path = WriteFile("cut.txt.zst", zst.substr(0, zst.size() - 1));
  auto blocks = ReadBlocks(OptionsFor(path));
  ASSERT_FALSE(blocks.ok());
  EXPECT_THAT(blocks.status().message(), HasSubstr("truncated or corrupt zstd data in " + path));
}

TEST_F(CorpusReaderTest, EmptyGzipError) {
  const std::string path = WriteFile("empty.txt.gz", "");
  auto blocks = ReadBlocks(OptionsFor(path));
  ASSERT_FALSE(blocks.ok());
  EXPECT_THAT(blocks.status().message(), HasSubstr(path));
}

TEST_F(CorpusReaderTest, ErrorRepeatsOnNext) {
  const std::string gz = GzipCompress("line\n");
  auto reader = OpenPaths({WriteFile("cut.txt.gz", gz.substr(0, 12))});
  ASSERT_TRUE(reader.ok()) << reader.status();
  CorpusBlock block;
  EXPECT_FALSE((*reader)->Next(&block).ok());
  EXPECT_FALSE((*reader)->Next(&block).ok());
}

// ---------------------------------------------------------------------------
// NUL bytes.

TEST_F(CorpusReaderTest, NulByteRejectedWithOffsetAndLine) {
  const std::string path = WriteFile("data.bin", std::string("one\ntwo\nth\0ree\n", 15));
  auto blocks = ReadBlocks(OptionsFor(path));
  ASSERT_FALSE(blocks.ok());
  EXPECT_EQ(blocks.status().code(), absl::StatusCode::kInvalidArgument);
  const std::string message(blocks.status().message());
  EXPECT_THAT(message, HasSubstr("corpus file " + path + " contains a NUL byte"));
  EXPECT_THAT(message, HasSubstr("at byte offset 10 (line 3)"));
  EXPECT_THAT(message, HasSubstr("--exclude 'data.bin'"));
  EXPECT_THAT(message, HasSubstr("--allow-nul-bytes"));
}

// The offset counts from the start of the file, not of the block, and
// restarts with every file.
TEST_F(CorpusReaderTest, NulByteOffsetInLaterBlockAndFile) {
  std::string text = MakeLargeText();
  const size_t nul = text.find('\n', text.size() * 2 / 3) + 3;
  text[nul] = '\0';
  const uint64_t line = std::count(text.begin(), text.begin() + nul, '\n') + 1;
  CorpusOptions options;
  options.paths = {WriteFile("clean.txt", "clean\n"), WriteFile("large.txt", text)};
  options.block_bytes = 10'000;
  auto blocks = ReadBlocks(options);
  ASSERT_FALSE(blocks.ok());
  EXPECT_THAT(blocks.status().message(),
              HasSubstr(absl::StrCat("large.txt contains a NUL byte at byte offset ", nul,
                                     " (line ", line, ")")));
}

TEST_F(CorpusReaderTest, NulByteInGzipNamesUncompressedOffset) {
  const std::string path = WriteFile("data.txt.gz", GzipCompress(std::string("ab\n\0\n", 5)));
  auto blocks = ReadBlocks(OptionsFor(path));
  ASSERT_FALSE(blocks.ok());
  EXPECT_THAT(blocks.status().message(),
              HasSubstr("at byte offset 3 of the uncompressed content (line 2)"));
}

TEST_F(CorpusReaderTest, NulByteAllowedWhenAsked) {
  CorpusOptions options = OptionsFor(WriteFile("a.txt", std::string("a\0b\nc\n", 6)));
  options.allow_nul_bytes = true;
  auto sequences = ReadSequences(options);
  ASSERT_TRUE(sequences.ok()) << sequences.status();
  EXPECT_THAT(*sequences, ElementsAre(std::string("a\0b\n", 4), "c\n"));
}

// Only the bytes that max_bytes lets through are checked.
TEST_F(CorpusReaderTest, NulBytePastMaxBytesIgnored) {
  CorpusOptions options = OptionsFor(WriteFile("a.txt", std::string("one\ntwo\0\n", 9)));
  options.max_bytes = 4;
  auto sequences = ReadSequences(options);
  ASSERT_TRUE(sequences.ok()) << sequences.status();
  EXPECT_THAT(*sequences, ElementsAre("one\n"));
}

// A raw NUL byte in JSON Lines is reported as a NUL byte, before the JSON
// parser reads it. An escaped "\u0000" is text and stays accepted.
TEST_F(CorpusReaderTest, NulByteJsonlRawRejectedEscapedAccepted) {
  const std::string raw = WriteFile("raw.jsonl", std::string("{\"text\": \"a\0\"}\n", 15));
  auto rejected = ReadSequences(OptionsFor(raw));
  ASSERT_FALSE(rejected.ok());
  EXPECT_THAT(rejected.status().message(), HasSubstr("at byte offset 11 (line 1)"));

  const std::string escaped = WriteFile("escaped.jsonl", "{\"text\": \"a\\u0000\"}\n");
  auto accepted = ReadSequences(OptionsFor(escaped));
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_THAT(*accepted, ElementsAre(std::string("a\0", 2)));
}

// ---------------------------------------------------------------------------
// Format detection.

TEST_F(CorpusReaderTest, AutoFormatByName) {
  const std::string record = "{\"text\": \"t\"}\n";
  auto reader = OpenPaths({WriteFile("a.jsonl", record), WriteFile("b.json.gz", GzipCompress(record)),
                           WriteFile("c.JSONL.zst", ZstdCompress(record)),
                           WriteFile("d.txt", record), WriteFile("e.jsonl.txt", record)});
  ASSERT_TRUE(reader.ok()) << reader.status();
  auto blocks = ReadBlocks(**reader);
  ASSERT_TRUE(blocks.ok()) << blocks.status();

  ASSERT_EQ(blocks->size(), 5u);
  EXPECT_EQ((*blocks)[0].format, CorpusFormat::kJsonl);
  EXPECT_EQ((*blocks)[1].format, CorpusFormat::kJsonl);
  EXPECT_EQ((*blocks)[2].format, CorpusFormat::kJsonl);
  EXPECT_EQ((*blocks)[3].format, CorpusFormat::kText);
  EXPECT_EQ((*blocks)[4].format, CorpusFormat::kText);
}

TEST_F(CorpusReaderTest, ExplicitFormatWins) {
  CorpusOptions options = OptionsFor(WriteFile("records.txt", "{\"text\": \"t\"}\n"));
  options.format = CorpusFormat::kJsonl;
  auto sequences = ReadSequences(options);
  ASSERT_TRUE(sequences.ok()) << sequences.status();
  EXPECT_THAT(*sequences, ElementsAre("t"));
}

// ---------------------------------------------------------------------------
// JSON Lines.

TEST_F(CorpusReaderTest, JsonlCodeParrotContent) {
  const std::string jsonl =
      R"j({"repo_name": "a/b", "path": "x.py", "copies": "1", "size": "40", )j"
      R"j("content": "def f():\n    return \"caf\u00e9 \ud83d\ude00\"\n", )j"
      R"j("license": "mit", "meta": {"content": "nested, ignored"}})j"
      "\n"
      R"j({"content": "# 한국어\r\nprint('ok')", "extra": [1, {"content": 2}]})j"
      "\n";
  CorpusOptions options = OptionsFor(WriteFile("code.jsonl", jsonl));
  options.text_field = "content";
  auto sequences = ReadSequences(options);
  ASSERT_TRUE(sequences.ok()) << sequences.status();
  EXPECT_THAT(*sequences, ElementsAre("def f():\n    return \"café 😀\"\n",
                                      "# 한국어\r\nprint('ok')"));
}

TEST_F(CorpusReaderTest, JsonlDefaultFieldText) {
  auto sequences =
      ReadSequences(OptionsFor(WriteFile("a.jsonl", "{\"text\": \"one\"}\n{\"text\": \"\"}\n")));
  ASSERT_TRUE(sequences.ok()) << sequences.status();
  EXPECT_THAT(*sequences, ElementsAre("one", ""));
}

TEST_F(CorpusReaderTest, JsonlBlankLinesSkipped) {
  const std::string jsonl = "\n{\"text\": \"a\"}\r\n   \n\t\r\n{\"text\": \"b\"}";
  auto sequences = ReadSequences(OptionsFor(WriteFile("a.jsonl", jsonl)));
  ASSERT_TRUE(sequences.ok()) << sequences.status();
  EXPECT_THAT(*sequences, ElementsAre("a", "b"));
}

TEST_F(CorpusReaderTest, JsonlBomStripped) {
  auto sequences = ReadSequences(OptionsFor(WriteFile("a.jsonl", "\xEF\xBB\xBF{\"text\": \"a\"}\n")));
  ASSERT_TRUE(sequences.ok()) << sequences.status();
  EXPECT_THAT(*sequences, ElementsAre("a"));
}

TEST_F(CorpusReaderTest, JsonlInvalidLineNumber) {
  const std::string path =
      WriteFile("a.jsonl", "{\"text\": \"1\"}\n{\"text\": \"2\"}\n\n{\"text\": \"3\"}\n{oops\n");
  CorpusOptions options = OptionsFor(path);
  options.block_bytes = 16;  // the bad line is in a later block
  auto blocks = ReadBlocks(options);
  ASSERT_TRUE(blocks.ok()) << blocks.status();
  auto sequences = Sequences(*blocks);
  ASSERT_FALSE(sequences.ok());
  EXPECT_EQ(sequences.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(sequences.status().message(), HasSubstr("invalid JSON on line 5 of " + path));
}

// A number too large for a double made nlohmann throw out_of_range, which
// escaped the reader and terminated the process (found by the fuzzer).
TEST_F(CorpusReaderTest, JsonlHugeNumberIsAnError) {
  const std::string path = WriteFile("a.jsonl", "{\"text\": \"1\", \"n\": 9e99910}\n");
  auto sequences = ReadSequences(OptionsFor(path));
  ASSERT_FALSE(sequences.ok());
  EXPECT_THAT(sequences.status().message(), HasSubstr("invalid JSON on line 1 of " + path));
}

TEST_F(CorpusReaderTest, JsonlMissingField) {
  const std::string path = WriteFile("a.jsonl", "{\"text\": \"1\"}\n{\"body\": \"2\"}\n");
  auto sequences = ReadSequences(OptionsFor(path));
  ASSERT_FALSE(sequences.ok());
  EXPECT_THAT(sequences.status().message(), HasSubstr("missing field \"text\""));
  EXPECT_THAT(sequences.status().message(), HasSubstr("line 2 of " + path));
}

TEST_F(CorpusReaderTest, JsonlNonStringField) {
  const std::string path = WriteFile("a.jsonl", "{\"content\": 42}\n");
  CorpusOptions options = OptionsFor(path);
  options.text_field = "content";
  auto sequences = ReadSequences(options);
  ASSERT_FALSE(sequences.ok());
  EXPECT_THAT(sequences.status().message(), HasSubstr("field \"content\" on line 1 of " + path));
  EXPECT_THAT(sequences.status().message(), HasSubstr("is a number, expected a string"));
}

TEST_F(CorpusReaderTest, JsonlNonObjectLine) {
  const std::string path = WriteFile("a.jsonl", "[\"text\"]\n");
  auto sequences = ReadSequences(OptionsFor(path));
  ASSERT_FALSE(sequences.ok());
  EXPECT_THAT(sequences.status().message(), HasSubstr("line 1 of " + path + " is an array"));
}

TEST_F(CorpusReaderTest, JsonlInvalidUtf8Rejected) {
  const std::string path = WriteFile("a.jsonl", "{\"text\": \"bad \xFF byte\"}\n");
  auto sequences = ReadSequences(OptionsFor(path));
  ASSERT_FALSE(sequences.ok());
  EXPECT_THAT(sequences.status().message(), HasSubstr("invalid JSON on line 1 of " + path));
}

TEST_F(CorpusReaderTest, JsonlGzipRoundTrip) {
  const std::string jsonl = "{\"text\": \"\\u00e9t\\u00e9\"}\n{\"text\": \"b\\nc\"}\n";
  auto sequences = ReadSequences(OptionsFor(WriteFile("a.jsonl.gz", GzipCompress(jsonl))));
  ASSERT_TRUE(sequences.ok()) << sequences.status();
  EXPECT_THAT(*sequences, ElementsAre("été", "b\nc"));
}

// ---------------------------------------------------------------------------
// ForEachSequence on blocks built by hand.

TEST(CorpusSequenceTest, BomOnlyAtFileStart) {
  CorpusBlock block;
  block.bytes = "\xEF\xBB\xBFx\n";
  block.first_line = 7;
  std::vector<std::string> sequences;
  ASSERT_TRUE(
      ForEachSequence(block, "", [&](std::string_view s) { sequences.emplace_back(s); }).ok());
  EXPECT_THAT(sequences, ElementsAre("\xEF\xBB\xBFx\n"));
}

TEST(CorpusSequenceTest, JsonlLineFromFirstLine) {
  CorpusBlock block;
  block.bytes = "{\"text\": \"a\"}\nnot json\n";
  block.path = "p.jsonl";
  block.first_line = 41;
  block.format = CorpusFormat::kJsonl;
  absl::Status status = ForEachSequence(block, "text", [](std::string_view) {});
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("line 42 of p.jsonl"));
}

// ---------------------------------------------------------------------------
// Nested JSON fields, path lists, memory-mapped files and skipping files.

TEST_F(CorpusReaderTest, JsonlNestedField) {
  CorpusOptions options = OptionsFor(WriteFile(
      "nested.jsonl", "{\"meta\": {\"text\": \"inner\"}}\n{\"meta\": {\"text\": \"two\"}}\n"));
  options.text_field = "meta.text";
  auto sequences = ReadSequences(options);
  ASSERT_TRUE(sequences.ok()) << sequences.status();
  EXPECT_THAT(*sequences, ElementsAre("inner", "two"));
}

TEST_F(CorpusReaderTest, JsonlDottedTopLevelFieldWins) {
  CorpusOptions options = OptionsFor(
      WriteFile("dotted.jsonl", "{\"meta.text\": \"flat\", \"meta\": {\"text\": \"nested\"}}\n"));
  options.text_field = "meta.text";
  auto sequences = ReadSequences(options);
  ASSERT_TRUE(sequences.ok()) << sequences.status();
  EXPECT_THAT(*sequences, ElementsAre("flat"));
}

TEST_F(CorpusReaderTest, JsonlNestedFieldMissing) {
  CorpusOptions options =
      OptionsFor(WriteFile("missing.jsonl", "{\"meta\": {\"body\": \"x\"}}\n"));
  options.text_field = "meta.text";
  auto sequences = ReadSequences(options);
  ASSERT_FALSE(sequences.ok());
  EXPECT_THAT(sequences.status().message(), HasSubstr("missing field \"meta.text\" on line 1"));
}

TEST_F(CorpusReaderTest, JsonlNestedFieldNotObject) {
  CorpusOptions options = OptionsFor(WriteFile("flat.jsonl", "{\"meta\": \"x\"}\n"));
  options.text_field = "meta.text";
  auto sequences = ReadSequences(options);
  ASSERT_FALSE(sequences.ok());
  EXPECT_THAT(sequences.status().message(), HasSubstr("missing field \"meta.text\""));
}

TEST_F(CorpusReaderTest, PathListFileRead) {
  const std::string a = WriteFile("a.txt", "alpha\n");
  const std::string b = WriteFile("b.txt", "beta\n");
  CorpusOptions options;
  options.paths = {a};
  options.path_list_files = {WriteFile("list.txt", b + "\r\n\n" + a + "\n")};
  auto reader = CorpusReader::Open(options);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_THAT((*reader)->files(), ElementsAre(a, b, a));
}

TEST_F(CorpusReaderTest, PathListMissingEntry) {
  CorpusOptions options;
  options.path_list_files = {WriteFile("list.txt", Path("nope.txt") + "\n")};
  auto reader = CorpusReader::Open(options);
  ASSERT_FALSE(reader.ok());
  EXPECT_THAT(reader.status().message(), HasSubstr("nope.txt"));
}

TEST_F(CorpusReaderTest, PathListEmpty) {
  CorpusOptions options;
  options.path_list_files = {WriteFile("list.txt", "\n\n")};
  auto reader = CorpusReader::Open(options);
  ASSERT_FALSE(reader.ok());
  EXPECT_THAT(reader.status().message(), HasSubstr("name no corpus file"));
}

TEST_F(CorpusReaderTest, StdinNamedTwice) {
  auto reader = OpenPaths({"-", "-"});
  ASSERT_FALSE(reader.ok());
  EXPECT_THAT(reader.status().message(), HasSubstr("more than once"));
}

// A mapped file larger than the release step, read in small blocks, comes
// back byte for byte.
TEST_F(CorpusReaderTest, MappedLargeFileExact) {
  std::string text;
  for (int i = 0; text.size() < (20u << 20); ++i) absl::StrAppend(&text, "row ", i, " ü\r\n");
  text += "last line without newline";
  const std::string path = WriteFile("large.txt", text);
  auto blocks = ReadBlocks(OptionsFor(path));
  ASSERT_TRUE(blocks.ok()) << blocks.status();
  EXPECT_EQ(Concatenate(*blocks), text);
  EXPECT_GT(blocks->size(), 1u);
}

TEST_F(CorpusReaderTest, SkipFileMovesToNextFile) {
  std::string first;
  for (int i = 0; i < 1000; ++i) absl::StrAppend(&first, "first ", i, "\n");
  const std::string a = WriteFile("a.txt", first);
  const std::string b = WriteFile("b.txt", "second\n");
  auto reader = OpenPaths({a, b}, 64);
  ASSERT_TRUE(reader.ok()) << reader.status();
  CorpusBlock block;
  ASSERT_TRUE(*(*reader)->Next(&block));
  EXPECT_EQ(block.file_index, 0u);
  (*reader)->SkipFile();
  ASSERT_TRUE(*(*reader)->Next(&block));
  EXPECT_EQ(block.path, b);
  EXPECT_EQ(block.file_index, 1u);
  EXPECT_EQ(block.bytes, "second\n");
  EXPECT_FALSE(*(*reader)->Next(&block));
}

TEST_F(CorpusReaderTest, LineNumbersPassed) {
  const std::string path = WriteFile("lines.txt", "a\nb\nc");
  auto blocks = ReadBlocks(OptionsFor(path));
  ASSERT_TRUE(blocks.ok()) << blocks.status();
  std::vector<uint64_t> numbers;
  for (const CorpusBlock& block : *blocks) {
    ASSERT_TRUE(ForEachSequence(block, "", [&](std::string_view, uint64_t line) {
                  numbers.push_back(line);
                }).ok());
  }
  EXPECT_THAT(numbers, ElementsAre(1, 2, 3));
}

TEST_F(CorpusReaderTest, FileContentGzip) {
  const std::string text = MakeLargeText();
  const std::string path = WriteFile("c.txt.gz", GzipCompress(text));
  std::string read;
  ASSERT_TRUE(ReadCorpusFileContent(path, [&](std::string_view chunk) { read += chunk; }).ok());
  EXPECT_EQ(read, text);
}

TEST_F(CorpusReaderTest, FileContentMapped) {
  const std::string text = MakeLargeText();
  const std::string path = WriteFile("c.txt", text);
  std::string read;
  ASSERT_TRUE(ReadCorpusFileContent(path, [&](std::string_view chunk) { read += chunk; }).ok());
  EXPECT_EQ(read, text);
}

TEST_F(CorpusReaderTest, FileContentStdinRejected) {
  absl::Status status = ReadCorpusFileContent("-", [](std::string_view) {});
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("cannot be read twice"));
}

}  // namespace
}  // namespace tokforge
