/** @file
 * The ids the state keeps and the collisions it counts, from hand-made batch
 * results (a real 64-bit collision cannot be produced): a key's first id is
 * kept, a later batch's other id under the same key counts once per tally,
 * escaped and plain spellings of one id are the same id, whether the rows
 * are compared at once (one row per event, with copies of the ids or not) or
 * gathered, merged whole or in shards (sharded_rows.hpp), a batch with
 * more known ids than are gathered at once counts all of them, and a
 * correlation group's label is kept and compared the same way.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "host/state/scan_state.hpp"

namespace agentsweep::state {
namespace {

/// A batch whose bytes are `text` and whose agents and operators are the given (key, id) pairs.
struct FakeBatch {
  std::string text;
  engine::BatchResult result;

  /// Ids go into the rows as copies (as rows per event carry short ones), and
  /// the batch holds only '#' where they would be: reading it would find other ids.
  bool copy_ids = false;

  engine::IdSpan add_text(const std::string& raw) {
    engine::IdSpan span{static_cast<std::uint32_t>(text.size()),
                        static_cast<std::uint32_t>(raw.size()),
                        raw.find('\\') != std::string::npos};
    if (copy_ids && raw.size() <= kernels::kIdCopyBytes) {
      span.copied = true;
      std::copy(raw.begin(), raw.end(), span.raw);
      text += std::string(raw.size(), '#');
    } else {
      text += raw;
    }
    text += ' ';
    return span;
  }
  void agent(std::uint64_t key, const std::string& raw) {
    engine::AgentTally t;
    t.key = key;
    t.id = add_text(raw);
    t.events = 1;
    result.agents.push_back(t);
  }
  void op(std::uint64_t key, std::uint64_t agent_key, const std::string& raw) {
    engine::EntityAgentTally t;
    t.key = key;
    t.agent_key = agent_key;
    t.id = add_text(raw);
    t.events = 1;
    result.operators.push_back(t);
  }
  const engine::BatchResult& done(bool per_event_rows = false) {
    result.bytes = text.data();
    if (per_event_rows) result.rows = kernels::BatchRows::kPerEvent;
    return result;
  }
};

/// How a batch's rows come: reduced, one per event (kernels::BatchRows::kPerEvent:
/// their ids are compared at once), or one per event with copies of the ids.
enum class Rows { kReduced, kPerEvent, kPerEventWithCopies };

class ScanStateIdsByRowOrder : public ::testing::TestWithParam<Rows> {
 protected:
  FakeBatch batch() const {
    FakeBatch b;
    b.copy_ids = GetParam() == Rows::kPerEventWithCopies;
    return b;
  }
  bool per_event() const { return GetParam() != Rows::kReduced; }
  void keeps_the_first_id_and_counts_other_ids(std::size_t shards) const;
};

TEST_P(ScanStateIdsByRowOrder, KeepsTheFirstIdAndCountsOtherIdsUnderItsKey) {
  for (const std::size_t shards : {1, 3}) {  // merged whole, or in shards on 3 threads
    SCOPED_TRACE(shards);
    keeps_the_first_id_and_counts_other_ids(shards);
  }
}

void ScanStateIdsByRowOrder::keeps_the_first_id_and_counts_other_ids(std::size_t shards) const {
  ScanState state(0);
  state.set_merge_threads(shards - 1, shards);
  const std::uint32_t file = state.add_file("f");
  FakeBatch first = batch();
  first.agent(5, "alpha");
  first.op(9, 5, "op_one");
  state.add_batch(file, first.done(per_event()));
  EXPECT_EQ(state.id_collisions(), 0u);

  FakeBatch second = batch();
  second.agent(5, "beta");           // another id under agent key 5
  second.agent(6, "gamma");          // new
  second.op(9, 5, "op_one");         // the same
  second.op(9, 6, "op_two");         // another id under operator key 9
  second.op(10, 6, "op_\\u0074wo");  // new, escaped: stored decoded
  second.op(11, 5, "op_three");      // new, and again under another id in the same batch
  second.op(11, 6, "op_four");
  state.add_batch(file, second.done(per_event()));
  EXPECT_EQ(state.id_collisions(), 3u);
  EXPECT_EQ(state.agents().at(5).id.view(), "alpha");
  EXPECT_EQ(state.agents().at(6).id.view(), "gamma");
  EXPECT_EQ(state.operators().at(9).id.view(), "op_one");
  EXPECT_EQ(state.operators().at(10).id.view(), "op_two");
  EXPECT_EQ(state.operators().at(9).agents.size(), 2u);
  EXPECT_EQ(state.operators().at(11).id.view(), "op_three");
  EXPECT_EQ(state.operators().index_of(11), 2u) << "entries numbered in row order";

  FakeBatch third = batch();
  third.agent(6, "g\\u0061mma");  // the same id, escaped
  third.op(10, 6, "op_two");      // the same id, plain
  third.op(10, 7, "op_\\u0074wo");
  state.add_batch(file, third.done(per_event()));
  EXPECT_EQ(state.id_collisions(), 3u);
}

std::string rows_name(const ::testing::TestParamInfo<Rows>& param) {
  switch (param.param) {
    case Rows::kReduced:
      return "Reduced";
    case Rows::kPerEvent:
      return "PerEvent";
    case Rows::kPerEventWithCopies:
      break;
  }
  return "PerEventWithCopies";
}

INSTANTIATE_TEST_SUITE_P(EveryRowForm, ScanStateIdsByRowOrder,
                         ::testing::Values(Rows::kReduced, Rows::kPerEvent,
                                           Rows::kPerEventWithCopies),
                         rows_name);

/// A correlation tally of group `group` whose group-by values are `values`
/// (raw JSON strings, or nullptr for an absent value), added to `batch`.
void correlation_tally(FakeBatch& batch, std::uint64_t group,
                       const std::vector<const char*>& values) {
  engine::CorrelationTally t;
  t.group = group;
  t.events = 1;
  t.label = static_cast<std::uint32_t>(batch.result.group_values.size());
  t.label_fields = static_cast<std::uint32_t>(values.size());
  for (const char* raw : values) {
    kernels::FieldValue v;
    if (raw != nullptr) {
      const engine::IdSpan span = batch.add_text(raw);
      v = {span.offset, span.length, kernels::ValueKind::kString, span.escaped};
    }
    batch.result.group_values.push_back(v);
  }
  batch.result.correlations.push_back(t);
}

TEST(ScanStateIds, CorrelationGroupsKeepTheirFirstLabelAndCountOthers) {
  ScanState state(0, 0, 0, 1);
  const std::uint32_t file = state.add_file("f");
  FakeBatch first;
  correlation_tally(first, 3, {"agt_1", "op_\\u0031"});  // stored decoded: "op_1"
  correlation_tally(first, 4, {"agt_2", nullptr});       // an absent value is "null"
  state.add_batch(file, first.done());
  EXPECT_EQ(state.id_collisions(), 0u);
  using Label = std::vector<std::string>;
  EXPECT_EQ(state.correlations()[0].at(3).label, (Label{"agt_1", "op_1"}));
  EXPECT_EQ(state.correlations()[0].at(4).label, (Label{"agt_2", "null"}));

  FakeBatch second;
  correlation_tally(second, 3, {"agt_1", "op_1"});   // the same values, plain
  correlation_tally(second, 4, {"agt_2", nullptr});  // the same
  correlation_tally(second, 5, {"agt_3", "op_3"});   // new
  state.add_batch(file, second.done());
  EXPECT_EQ(state.id_collisions(), 0u);

  FakeBatch third;
  correlation_tally(third, 3, {"agt_1", "op_2"});  // other values under group 3
  correlation_tally(third, 4, {"agt_2", "null"});  // reads as the label of an absent value
  correlation_tally(third, 5, {"agt_3"});          // fewer values
  state.add_batch(file, third.done());
  EXPECT_EQ(state.id_collisions(), 2u);
  EXPECT_EQ(state.correlations()[0].at(3).label, (Label{"agt_1", "op_1"}));
}

TEST(ScanStateIds, ManyKnownIdsInOneBatchAreAllCompared) {
  constexpr std::uint64_t kAgents = 300000;  // more than are compared at once
  // Keys spread like the hashes they stand for: the state's maps place keys by their high bits.
  const auto key = [](std::uint64_t a) { return a * 0x9E3779B97F4A7C15ULL; };
  ScanState state(0);
  const std::uint32_t file = state.add_file("f");
  FakeBatch first;
  for (std::uint64_t a = 1; a <= kAgents; ++a) first.agent(key(a), "agt_" + std::to_string(a));
  state.add_batch(file, first.done());
  FakeBatch second;
  // Every 1000th agent comes with another id; the batch's bytes are in another order.
  for (std::uint64_t a = kAgents; a >= 1; --a)
    second.agent(key(a), (a % 1000 == 0 ? "other_" : "agt_") + std::to_string(a));
  std::sort(second.result.agents.begin(), second.result.agents.end(),
            [](const engine::AgentTally& x, const engine::AgentTally& y) { return x.key < y.key; });
  state.add_batch(file, second.done());
  EXPECT_EQ(state.id_collisions(), kAgents / 1000);
  EXPECT_EQ(state.agents().size(), kAgents);
  EXPECT_EQ(state.agents().at(key(1000)).id.view(), "agt_1000");
  EXPECT_EQ(state.agents().at(key(1000)).events, 2u);
}

}  // namespace
}  // namespace agentsweep::state
