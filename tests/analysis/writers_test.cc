// Report writers: structure of each format, rendered from one real report.

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "analysis/test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tokforge/analysis.h"

namespace tokforge {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing_analysis::FileCorpus;
using testing_analysis::LoadSmall;
using testing_analysis::ReadAll;
using testing_analysis::SourcePath;
using testing_analysis::TempDirTest;

// Two tokenizers on a Python and a Korean corpus, with a word list.
const ComparisonReport& SharedReport() {
  static const ComparisonReport* report = [] {
    std::vector<NamedTokenizer> tokenizers;
    tokenizers.push_back(LoadSmall("small"));
    tokenizers.push_back(LoadSmall("copy"));
    CompareOptions options;
    options.words = {"def", "lambda|pipe"};
    options.baseline = "copy";
    absl::StatusOr<ComparisonReport> result =
        Compare(tokenizers,
                {FileCorpus("code", SourcePath("data/golden_corpus/py_fnmatch.txt")),
                 FileCorpus("ko", SourcePath("data/golden_corpus/ko_chatbot_data.txt"))},
                options);
    EXPECT_TRUE(result.ok()) << result.status();
    return new ComparisonReport(result.ok() ? *std::move(result) : ComparisonReport());
  }();
  return *report;
}

std::string Render(ReportFormat format) {
  std::ostringstream out;
  WriteReport(SharedReport(), format, out);
  return out.str();
}

TEST(JsonReportTest, SchemaFieldsAndValues) {
  const nlohmann::json json = nlohmann::json::parse(Render(ReportFormat::kJson));
  EXPECT_EQ(json["schema_version"], 1);
  EXPECT_EQ(json["baseline"], "copy");
  ASSERT_EQ(json["results"].size(), 4u);
  for (const char* field :
       {"tokenizer", "corpus", "sequences", "tokens", "bytes", "characters", "words", "bytes_per_token",
        "characters_per_token", "tokens_per_word", "continued_word_share", "relative_length", "unk_rate",
        "byte_fallback_rate", "roundtrip_failure_share", "vocab_utilization", "unused_ids",
        "unknown_texts", "token_length_histogram", "tokens_per_sequence"}) {
    EXPECT_TRUE(json["results"][0].contains(field)) << field;
  }
  const ComparisonResult& first = SharedReport().results[0];
  EXPECT_EQ(json["results"][0]["tokenizer"], first.tokenizer);
  EXPECT_EQ(json["results"][0]["corpus"], first.corpus);
  EXPECT_EQ(json["results"][0]["tokens"], first.tokens);
  EXPECT_EQ(json["results"][0]["unused_ids"], first.vocab_size - first.vocab_used);
  EXPECT_DOUBLE_EQ(json["results"][0]["tokens_per_word"].get<double>(), first.tokens_per_word);

  ASSERT_EQ(json["word_splits"].size(), 2u);
  EXPECT_EQ(json["word_splits"][0]["word"], "def");
  ASSERT_EQ(json["word_splits"][0]["splits"].size(), 2u);
  const bool single = json["word_splits"][1]["splits"][0]["single_token"];
  EXPECT_FALSE(single);  // "lambda|pipe" cannot be one token of a small vocabulary
  ASSERT_EQ(json["vocabulary_overlap"].size(), 1u);
  EXPECT_EQ(json["vocabulary_overlap"][0]["jaccard"], 1.0);
  EXPECT_EQ(json["corpora"][1]["name"], "ko");
  EXPECT_FALSE(json["samples"].empty());
}

TEST(CsvReportTest, HeaderAndRows) {
  const std::string csv = Render(ReportFormat::kCsv);
  const std::vector<std::string> lines = absl::StrSplit(csv, "\r\n", absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 5u);
  const std::vector<std::string> header = absl::StrSplit(lines[0], ',');
  EXPECT_EQ(header[0], "tokenizer");
  EXPECT_EQ(header[1], "corpus");
  EXPECT_THAT(lines[0], HasSubstr(",tokens_per_word,continued_word_share,relative_length,"));
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::vector<std::string> fields = absl::StrSplit(lines[i], ',');
    EXPECT_EQ(fields.size(), header.size()) << lines[i];
  }
  EXPECT_THAT(lines[1], ::testing::StartsWith("small,code,1,"));
}

TEST(MarkdownReportTest, TablesAndSections) {
  const std::string markdown = Render(ReportFormat::kMarkdown);
  EXPECT_THAT(markdown, HasSubstr("| corpus | tokenizer | tokens | relative length |"));
  EXPECT_THAT(markdown, HasSubstr("|---|---|---:|"));
  EXPECT_THAT(markdown, HasSubstr("\n| code | small | "));
  EXPECT_THAT(markdown, HasSubstr("\n| ko | copy | "));
  EXPECT_THAT(markdown, HasSubstr("## Word splits"));
  // A "|" inside a cell is escaped so the table keeps its columns.
  EXPECT_THAT(markdown, HasSubstr("lambda\\|pipe"));
  EXPECT_THAT(markdown, HasSubstr("## Vocabulary overlap"));
}

TEST(TableReportTest, OneRowPerResult) {
  const std::string table = Render(ReportFormat::kTable);
  EXPECT_THAT(table, HasSubstr("corpus  tokenizer"));
  size_t rows = 0;
  for (absl::string_view line : absl::StrSplit(table, '\n')) {
    if (absl::StartsWith(line, "code ") || absl::StartsWith(line, "ko ")) ++rows;
  }
  EXPECT_EQ(rows, 4u);
}

TEST(HtmlReportTest, SelfContainedWithCharts) {
  const std::string html = Render(ReportFormat::kHtml);
  EXPECT_THAT(html, ::testing::StartsWith("<!DOCTYPE html>"));
  EXPECT_THAT(html, HasSubstr("</html>"));
  size_t charts = 0;
  for (size_t pos = html.find("<svg"); pos != std::string::npos; pos = html.find("<svg", pos + 1)) ++charts;
  EXPECT_EQ(charts, 3u);
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("<link")));
  EXPECT_THAT(html, Not(HasSubstr("src=")));
  EXPECT_THAT(html, Not(HasSubstr("url(")));
  EXPECT_THAT(html, HasSubstr("class=\"t0\""));
  // Tokens of one sample line reproduce the line.
  const SampleLine& sample = SharedReport().samples.at(0);
  EXPECT_THAT(html, HasSubstr(sample.corpus));
}

TEST_F(TempDirTest, ReportFileIsAtomicAndReportsErrors) {
  const std::string path = Path("report.json");
  ASSERT_TRUE(WriteReportFile(SharedReport(), ReportFormat::kJson, path).ok());
  EXPECT_NO_THROW(nlohmann::json::parse(ReadAll(path)));

  const std::string bad = Path("missing_dir/report.json");
  const absl::Status status = WriteReportFile(SharedReport(), ReportFormat::kJson, bad);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("missing_dir"));
  EXPECT_FALSE(std::filesystem::exists(bad));
}

TEST(ParseReportFormatTest, NamesAndErrors) {
  EXPECT_EQ(*ParseReportFormat("md"), ReportFormat::kMarkdown);
  EXPECT_EQ(*ParseReportFormat("html"), ReportFormat::kHtml);
  const absl::StatusOr<ReportFormat> bad = ParseReportFormat("xml");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("xml"));
}

// Renders the HTML report in headless Chromium and checks the screenshot.
TEST_F(TempDirTest, HtmlRendersInHeadlessChromium) {
  if (std::system("command -v chromium >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "chromium is not installed (Debian package chromium)";
  }
  const std::string html = Path("report.html");
  ASSERT_TRUE(WriteReportFile(SharedReport(), ReportFormat::kHtml, html).ok());
  const std::string png = Path("report.png");
  const std::string dom = Path("dom.html");
  const std::string flags =
      absl::StrCat("chromium --headless --no-sandbox --disable-gpu --user-data-dir=", Path("profile"));
  const int shot = std::system(absl::StrCat(flags, " --window-size=1200,2000 --screenshot=", png, " file://",
                                            html, " >/dev/null 2>&1")
                                   .c_str());
  ASSERT_EQ(WEXITSTATUS(shot), 0);
  ASSERT_TRUE(std::filesystem::exists(png));
  EXPECT_GT(std::filesystem::file_size(png), 20000u);  // a blank page is a few KB

  const int dumped =
      std::system(absl::StrCat(flags, " --dump-dom file://", html, " >", dom, " 2>/dev/null").c_str());
  ASSERT_EQ(WEXITSTATUS(dumped), 0);
  const std::string rendered = ReadAll(dom);
  EXPECT_THAT(rendered, HasSubstr("<svg"));
  EXPECT_THAT(rendered, HasSubstr("Tokenizer comparison"));
}

}  // namespace
}  // namespace tokforge
