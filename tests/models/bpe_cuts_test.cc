// SentencePiece-style BPE pipelines give the model a whole sentence as one
// piece. The model cuts it into parts where no token could span the cut (at
// the word marker "▁", between ASCII characters) and encodes the parts alone.
// These cases check that the cuts never change the result.

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "models/bpe/bpe_model.h"

namespace tokforge {
namespace {

using internal::ModelToken;

constexpr char kMarker[] = "\xE2\x96\x81";

std::unique_ptr<BpeModel> MakeModel(const std::vector<std::string>& tokens,
                                    const std::vector<BpeMergeRule>& merges,
                                    BpeModel::Options options = BpeModel::Options()) {
  std::vector<std::pair<std::string, uint32_t>> vocab;
  for (uint32_t id = 0; id < tokens.size(); ++id) vocab.emplace_back(tokens[id], id);
  absl::StatusOr<std::unique_ptr<BpeModel>> model =
      BpeModel::Create(std::move(vocab), merges, std::move(options));
  EXPECT_TRUE(model.ok()) << model.status();
  return *std::move(model);
}

std::vector<uint32_t> Ids(const BpeModel& model, const std::string& piece) {
  std::vector<ModelToken> tokens;
  model.Tokenize(piece, &tokens);
  std::vector<uint32_t> ids;
  for (const ModelToken& token : tokens) ids.push_back(token.id);
  return ids;
}

TEST(BpeCutsTest, TokenAcrossMarkerKeepsSentenceWhole) {
  // "a▁" joins a word to the marker of the next one, so the sentence may not
  // be split before that marker.
  const std::string marker = kMarker;
  const auto model = MakeModel({"a", marker, "a" + marker}, {{"a", marker}});
  EXPECT_EQ(Ids(*model, "a" + marker + "a"), (std::vector<uint32_t>{2, 0}));
}

TEST(BpeCutsTest, WordsEncodeWithSentenceOffsets) {
  const std::string marker = kMarker;
  const auto model = MakeModel({"a", "b", marker, marker + "a", marker + "a" + "b", marker + marker},
                               {{marker, "a"}, {marker + "a", "b"}, {marker, marker}});
  const std::string sentence = marker + "ab" + marker + marker + "ab" + marker + "a";
  std::vector<ModelToken> tokens;
  model->Tokenize(sentence, &tokens);
  // Words "▁ab", "▁▁ab" and "▁a": a run of markers stays with the word after
  // it, where "▁a" merges first and leaves the other "▁" alone.
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_EQ(tokens[0].id, 4u);
  EXPECT_EQ(tokens[1].id, 2u);
  EXPECT_EQ(tokens[2].id, 4u);
  EXPECT_EQ(tokens[3].id, 3u);
  EXPECT_EQ(tokens[1].begin, 5u);
  EXPECT_EQ(tokens[1].end, 8u);
  EXPECT_EQ(tokens[2].begin, 8u);
  EXPECT_EQ(tokens[2].end, 13u);
  EXPECT_EQ(tokens[3].begin, 13u);
  EXPECT_EQ(tokens[3].end, 17u);
  // The same sentence again, now from the per-thread cache.
  std::vector<ModelToken> again;
  model->Tokenize(sentence, &again);
  ASSERT_EQ(again.size(), tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) {
    EXPECT_EQ(again[i].id, tokens[i].id);
    EXPECT_EQ(again[i].begin, tokens[i].begin);
    EXPECT_EQ(again[i].end, tokens[i].end);
  }
}

TEST(BpeCutsTest, AsciiPairInTokenIsNotCut) {
  // "a(" is a token, so the piece may not be cut between "a" and "(", while
  // "(b" is in no token and may be.
  const auto model = MakeModel({"a", "(", "b", "a("}, {{"a", "("}});
  EXPECT_EQ(Ids(*model, "a(b"), (std::vector<uint32_t>{3, 2}));
  EXPECT_EQ(Ids(*model, "ba(a("), (std::vector<uint32_t>{2, 3, 3}));
}

TEST(BpeCutsTest, FusedUnknownsAreNotCut) {
  BpeModel::Options options;
  options.unk_token = "<unk>";
  options.fuse_unk = true;
  const auto model = MakeModel({"<unk>", "a"}, {}, options);
  std::vector<ModelToken> tokens;
  model->Tokenize("xya", &tokens);
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].id, 0u);
  EXPECT_EQ(tokens[0].begin, 0u);
  EXPECT_EQ(tokens[0].end, 2u);
  EXPECT_EQ(tokens[1].id, 1u);
}

}  // namespace
}  // namespace tokforge
