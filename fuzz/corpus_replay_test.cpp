// Replays one fuzz target's seed corpus (fuzz/corpus/<name>/, LATENCYLAB_FUZZ_CORPUS_DIR) through
// its LLVMFuzzerTestOneInput, so sanitizer test builds without libFuzzer exercise every seed and
// every saved crash reproducer. A crash or broken invariant aborts the test process.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz_target.hpp"

namespace {

std::vector<std::filesystem::path> corpus_files() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(LATENCYLAB_FUZZ_CORPUS_DIR)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());  // a stable order makes a failure reproducible
  return files;
}

TEST(CorpusReplay, EverySeedRunsWithoutBreakingAnInvariant) {
  const auto files = corpus_files();
  ASSERT_FALSE(files.empty()) << "no seeds in " << LATENCYLAB_FUZZ_CORPUS_DIR;
  for (const auto& file : files) {
    SCOPED_TRACE(file.string());
    std::ifstream in(file, std::ios::binary);
    ASSERT_TRUE(in) << "cannot read " << file;
    const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    EXPECT_EQ(
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()),
        0);
  }
}

}  // namespace
