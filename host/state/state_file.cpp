/** @file
 * State files: a Writer and a bounds-checked Reader over the same field order,
 * streamed: neither holds the file in memory, and the spilled stores are
 * written from, and read into, their bounded form.
 */
#include "host/state/state_file.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <vector>

namespace agentsweep::state {

namespace {

constexpr char kMagic[] = "agentsweep-state\n";
// 9: per-second counts and correlation entries in blocks; 10: per-second records as
// stored (agent, then second and events in one word), at most AgentSecond::kMaxEvents each.
constexpr std::uint64_t kVersion = 10;
constexpr char kEnd[] = "end\n";
/// Records per block of a streamed section; a block of 0 records ends it.
constexpr std::size_t kBlockRecords = 4096;

/// Bytes a Writer gathers, and a Reader takes, per call on the stream: a state
/// is mostly 8-byte fields, and a stream call for each cost most of a load.
constexpr std::size_t kStreamChunk = std::size_t{1} << 20;

/// Writes little-endian fields through a buffer; flush() before checking the stream.
class Writer {
 public:
  explicit Writer(std::ostream& out) : out_(out) { buffer_.reserve(kStreamChunk); }
  void u64(std::uint64_t v) {
    char bytes[8];
    for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>(v >> (8 * i));
    put(bytes, 8);
  }
  void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
  void str(std::string_view s) {
    u64(s.size());
    put(s.data(), s.size());
  }
  void raw(const char* text) { put(text, std::strlen(text)); }
  void flush() {
    out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    buffer_.clear();
  }

 private:
  void put(const char* data, std::size_t n) {
    if (buffer_.size() + n > kStreamChunk) flush();
    if (n > kStreamChunk) {
      out_.write(data, static_cast<std::streamsize>(n));
      return;
    }
    buffer_.insert(buffer_.end(), data, data + n);
  }

  std::ostream& out_;
  std::vector<char> buffer_;
};

/// Reads from a stream of `size` bytes, never past it.
class Reader {
 public:
  Reader(std::istream& in, std::uint64_t size, const std::string& path)
      : in_(in), size_(size), path_(path) {}
  std::uint64_t u64() {
    unsigned char bytes[8];
    if (const char* at = take_in_chunk(8))
      std::memcpy(bytes, at, 8);
    else
      take(bytes, 8);
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= std::uint64_t{bytes[i]} << (8 * i);
    return v;
  }
  std::int64_t i64() { return static_cast<std::int64_t>(u64()); }
  std::string str() { return std::string(text()); }
  /// A string's bytes, valid until the next read: most lie whole in the chunk at hand
  /// and are not copied (ids, millions of them in a large state).
  std::string_view text() {
    const std::uint64_t length = u64();
    need(length);
    const auto n = static_cast<std::size_t>(length);
    if (const char* at = take_in_chunk(n)) return {at, n};
    text_.resize(n);
    take(text_.data(), n);
    return text_;
  }
  /// A count of items that take at least `min_bytes` each: checked against
  /// what is left, so a corrupt count cannot ask for a huge allocation.
  std::size_t count(std::size_t min_bytes) {
    const std::uint64_t n = u64();
    if (n > (size_ - pos_) / min_bytes) fail("a count larger than the file");
    return static_cast<std::size_t>(n);
  }
  void expect(const char* text) {
    std::string found(std::strlen(text), '\0');
    need(found.size());
    const std::uint64_t at = pos_;
    take(found.data(), found.size());
    if (found != text) {
      pos_ = at;
      fail("not an agentsweep state file here");
    }
  }
  bool at_end() const { return pos_ == size_; }
  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error(path_ + ": offset " + std::to_string(pos_) + ": " + what +
                             "; write the state again with `agentsweep scan --save-state`");
  }

 private:
  void need(std::uint64_t n) const {
    if (n > size_ - pos_) fail("the file ends early (truncated?)");
  }
  /// The next `n` bytes, taken where the chunk at hand holds them all (most
  /// numbers and ids: no copy); nullptr, taking nothing, where it does not.
  const char* take_in_chunk(std::size_t n) {
    if (buffer_.size() - next_ < n) return nullptr;
    const char* at = buffer_.data() + next_;
    next_ += n;
    pos_ += n;
    return at;
  }
  void take(void* data, std::size_t n) {
    need(n);
    auto* out = static_cast<char*>(data);
    while (n > 0) {
      if (next_ == buffer_.size()) refill();
      const std::size_t k = std::min(n, buffer_.size() - next_);
      std::memcpy(out, buffer_.data() + next_, k);
      next_ += k;
      pos_ += k;
      out += k;
      n -= k;
    }
  }
  /// Reads the next chunk of the stream, never past its `size` bytes.
  void refill() {
    const auto k = static_cast<std::size_t>(std::min<std::uint64_t>(kStreamChunk, size_ - read_));
    buffer_.resize(k);
    if (!in_.read(buffer_.data(), static_cast<std::streamsize>(k)))
      fail(std::string("cannot read: ") + std::strerror(errno));
    read_ += k;
    next_ = 0;
  }

  std::istream& in_;
  std::uint64_t size_;
  const std::string& path_;
  std::uint64_t pos_ = 0;   ///< bytes taken
  std::uint64_t read_ = 0;  ///< bytes read from the stream, taken or in buffer_
  std::vector<char> buffer_;
  std::size_t next_ = 0;  ///< of buffer_, the first byte not taken
  std::string text_;      ///< text()'s bytes where they span two chunks
};

/// Writes the records `each` hands out in blocks: a count, then the records
/// (`put` writes one); a count of 0 ends the section.
template <class Record, class Each, class Put>
void write_blocks(Writer& w, Each each, Put put) {
  std::vector<Record> block;
  block.reserve(kBlockRecords);
  const auto flush = [&] {
    w.u64(block.size());
    for (const Record& r : block) put(r);
    block.clear();
  };
  each([&](const Record& r) {
    block.push_back(r);
    if (block.size() == kBlockRecords) flush();
  });
  if (!block.empty()) flush();
  w.u64(0);
}

/// Reads a section of write_blocks, `record_bytes` a record, calling `get` for each.
template <class Get>
void read_blocks(Reader& r, std::size_t record_bytes, Get get) {
  while (const std::size_t n = r.count(record_bytes))
    for (std::size_t i = 0; i < n; ++i) get();
}

/// The keys of a hash map or set in ascending order: the same state always
/// writes the same bytes.
template <class Map>
std::vector<std::uint64_t> sorted_keys(const Map& map) {
  std::vector<std::uint64_t> keys;
  keys.reserve(map.size());
  for (const auto& entry : map) {
    if constexpr (requires { entry.first; })
      keys.push_back(entry.first);
    else
      keys.push_back(entry);
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

void write_entities(Writer& w, const EntityMap& map) {
  w.u64(map.size());
  for (const std::uint64_t key : sorted_keys(map)) {
    const EntitySummary& entity = map.at(key);
    w.u64(key);
    w.str(entity.id.view());
    w.u64(entity.events);
    w.u64(entity.agents.size());
    for (const std::uint64_t agent : sorted_keys(entity.agents)) w.u64(agent);
  }
}

void read_entities(Reader& r, EntityMap& map) {
  const std::size_t entities = r.count(32);
  map.reserve(map.size() + entities);
  for (std::size_t n = entities; n > 0; --n) {
    EntitySummary& entity = map[r.u64()];
    entity.id = r.text();
    entity.events = r.u64();
    const std::size_t agents = r.count(8);
    entity.agents.reserve(agents);
    for (std::size_t a = agents; a > 0; --a) {
      const std::uint64_t agent = r.u64();
      if (agent == KeySet::kNoKey) r.fail("an entity's agent without a key");
      entity.agents.insert(agent);
    }
  }
}

}  // namespace

/// Reads and writes the private parts of a ScanState, in one order.
class StateCodec {
 public:
  // Templates, so that a const state gives const pointers.
  template <class State>
  static auto counters(State& s) {
    return std::array{&s.events_without_agent_,
                      &s.events_without_operator_,
                      &s.events_without_key_,
                      &s.events_without_ip_,
                      &s.events_without_time_,
                      &s.events_with_invalid_time_,
                      &s.hit_lines_,
                      &s.id_collisions_,
                      &s.host_walks_};
  }
  template <class File>
  static auto file_counts(File& f) {
    return std::array{&f.compressed_bytes, &f.decoded_bytes,   &f.scanned_bytes,
                      &f.skipped_bytes,    &f.lines,           &f.blank_lines,
                      &f.events,           &f.malformed_lines, &f.oversized_lines,
                      &f.incomplete_lines};
  }

  static void write(Writer& w, const ScanState& s) {
    for (const std::uint64_t* counter : counters(s)) w.u64(*counter);
    w.u64(s.evidence_per_rule_);
    w.u64(s.files_.size());
    for (const FileSummary& f : s.files_) {
      w.str(f.path);
      w.str(f.codec);
      for (const std::uint64_t* v : file_counts(f)) w.u64(*v);
      w.u64(f.errors.size());
      for (const std::string& e : f.errors) w.str(e);
    }
    w.u64(s.agents_.size());
    for (const std::uint64_t key : sorted_keys(s.agents_)) {
      const AgentSummary& a = s.agents_.at(key);
      w.u64(key);
      w.str(a.id.view());
      w.u64(a.events);
      w.u64(a.hit_events);
      w.u64(a.events_with_operator);
      w.i64(a.first_ms);
      w.i64(a.last_ms);
      for (const auto* counts : {&a.rule_events, &a.pattern_events}) {
        w.u64(counts->size());
        for (const auto& [id, events] : *counts) {
          w.u64(id);
          w.u64(events);
        }
      }
    }
    write_entities(w, s.operators_);
    write_entities(w, s.keys_);
    write_entities(w, s.ips_);
    w.u64(s.pattern_hits_.size());
    for (const PatternHits& p : s.pattern_hits_) {
      w.u64(p.lines);
      w.u64(p.events);
    }
    w.u64(s.rule_hits_.size());
    for (const RuleHits& h : s.rule_hits_) {
      w.u64(h.events);
      w.u64(h.evidence.size());
      for (const EvidenceLine& e : h.evidence) {
        w.u64(e.file);
        w.u64(e.line_number);
        w.u64(e.offset);
      }
    }
    w.u64(s.correlations_.size());
    for (const CorrelationGroups& groups : s.correlations_) {
      w.u64(groups.size());
      for (const std::uint64_t key : sorted_keys(groups)) {
        w.u64(key);
        w.u64(groups.at(key).label.size());
        for (const std::string& value : groups.at(key).label) w.str(value);
      }
    }
    // The spilled stores stream out in order, a block at a time.
    write_blocks<AgentSecond>(
        w, [&](const auto& put) { s.seconds_.for_each(put); },
        [&](const AgentSecond& c) {
          w.u64(c.agent);
          w.u64(c.second_and_events);
        });
    write_blocks<CorrelationRecord>(
        w, [&](const auto& put) { s.correlation_entries_.for_each(put); },
        [&](const CorrelationRecord& e) {
          w.u64(e.correlation);
          w.u64(e.group);
          w.i64(e.time);
          w.u64(e.value);
          w.u64(e.events);
        });
  }

  static ScanState read(Reader& r, const SpillOptions& spill) {
    ScanState s(0, 0, 0, 1, spill);  // 1 correlation: its memory in halves, as with correlations
    for (std::uint64_t* counter : counters(s)) *counter = r.u64();
    s.evidence_per_rule_ = static_cast<std::size_t>(r.u64());
    for (std::size_t n = r.count(16 + 8 * 10 + 8); n > 0; --n) {
      FileSummary& f = s.files_.emplace_back();
      f.path = r.str();
      f.codec = r.str();
      for (std::uint64_t* v : file_counts(f)) *v = r.u64();
      for (std::size_t e = r.count(8); e > 0; --e) f.errors.push_back(r.str());
    }
    const std::size_t agents = r.count(72);
    s.agents_.reserve(agents);
    for (std::size_t n = agents; n > 0; --n) {
      AgentSummary& a = s.agents_[r.u64()];
      a.id = r.text();
      a.events = r.u64();
      a.hit_events = r.u64();
      a.events_with_operator = r.u64();
      a.first_ms = r.i64();
      a.last_ms = r.i64();
      for (std::size_t e = r.count(16); e > 0; --e) {
        const std::uint64_t rule = r.u64();
        a.add_rule_events(static_cast<std::uint32_t>(rule), r.u64());
      }
      for (std::size_t e = r.count(16); e > 0; --e) {
        const std::uint64_t pattern = r.u64();
        a.add_pattern_events(static_cast<std::uint32_t>(pattern), r.u64());
      }
    }
    read_entities(r, s.operators_);
    read_entities(r, s.keys_);
    read_entities(r, s.ips_);
    s.pattern_hits_.resize(r.count(16));
    for (PatternHits& p : s.pattern_hits_) {
      p.lines = r.u64();
      p.events = r.u64();
    }
    s.rule_hits_.resize(r.count(16));
    for (RuleHits& h : s.rule_hits_) {
      h.events = r.u64();
      for (std::size_t e = r.count(24); e > 0; --e) {
        const std::uint64_t file = r.u64();
        if (file >= s.files_.size()) r.fail("evidence names a file the state does not have");
        const std::uint64_t line = r.u64();
        h.evidence.push_back({static_cast<std::uint32_t>(file), line, r.u64()});
      }
    }
    for (const auto& [key, a] : s.agents_) {
      for (const auto& [rule, events] : a.rule_events)
        if (rule >= s.rule_hits_.size()) r.fail("an agent's rule is not among the state's rules");
      for (const auto& [pattern, events] : a.pattern_events)
        if (pattern >= s.pattern_hits_.size())
          r.fail("an agent's pattern is not among the state's patterns");
    }
    s.correlations_.resize(r.count(8));
    for (CorrelationGroups& groups : s.correlations_) {
      for (std::size_t n = r.count(16); n > 0; --n) {
        CorrelationGroup& g = groups[r.u64()];
        g.label.clear();
        for (std::size_t f = r.count(8); f > 0; --f) g.label.push_back(r.str());
      }
    }
    read_blocks(r, 16, [&] {
      AgentSecond c;
      c.agent = r.u64();
      c.second_and_events = r.u64();  // every value is a second in range
      if (!s.agents_.contains(c.agent)) r.fail("per-second counts of an agent the state lacks");
      if (c.events() == 0) r.fail("a per-second count of no events");
      s.seconds_.add(c);
    });
    read_blocks(r, 40, [&] {
      CorrelationRecord e;
      e.correlation = r.u64();
      e.group = r.u64();
      e.time = r.i64();
      e.value = r.u64();
      e.events = r.u64();
      if (e.correlation >= s.correlations_.size() ||
          !s.correlations_[e.correlation].contains(e.group))
        r.fail("a correlation entry of a group the state lacks");
      s.correlation_entries_.add(e);
    });
    return s;
  }
};

void save_state(const std::string& path, const ScanState& state, const std::string& setup) {
  // Written beside the target and renamed when complete: a failed write leaves no half state.
  const std::string partial = path + ".partial";
  try {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out)
      throw std::runtime_error(path + ": cannot write the state file: " + std::strerror(errno));
    Writer w(out);
    w.raw(kMagic);
    w.u64(kVersion);
    w.str(setup);
    StateCodec::write(w, state);
    w.raw(kEnd);
    w.flush();
    out.close();
    if (!out)
      throw std::runtime_error(path + ": cannot write the state file: " + std::strerror(errno));
    std::filesystem::rename(partial, path);
  } catch (...) {
    std::error_code ignored;  // the error being thrown says what went wrong
    std::filesystem::remove(partial, ignored);
    throw;
  }
}

SavedState load_state(const std::string& path, const SpillOptions& spill) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open state file: " + std::strerror(errno));
  std::error_code error;
  const std::uint64_t size = std::filesystem::file_size(path, error);
  if (error) throw std::runtime_error(path + ": cannot read state file: " + error.message());
  Reader r(in, size, path);
  r.expect(kMagic);
  if (const std::uint64_t version = r.u64(); version != kVersion)
    r.fail("state file format " + std::to_string(version) + ", this agentsweep reads " +
           std::to_string(kVersion));
  std::string setup = r.str();
  ScanState state = StateCodec::read(r, spill);
  r.expect(kEnd);
  if (!r.at_end()) r.fail("bytes after the end of the state");
  return {std::move(setup), std::move(state)};
}

}  // namespace agentsweep::state
