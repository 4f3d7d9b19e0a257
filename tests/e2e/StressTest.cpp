// Slow tests: each takes minutes on a busy machine, so they carry the
// `stress` label, which the full check (`./workbook test`) runs and the quick
// `dev` suite leaves out.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "tests/support/PoetryServer.h"
#include "tests/support/Programs.h"

namespace {

using namespace testing_support;

TEST(Stress, AOneGibibytePoemKeepsMemoryNearItsSize) {
  constexpr std::size_t kSize = std::size_t{1} << 30;
  const std::string path = ::testing::TempDir() + "gibibyte-poem.txt";
  {
    std::ofstream file(path, std::ios::binary);
    const std::string line(1023, 'a');
    for (std::size_t written = 0; written < kSize; written += 1024) file << line << '\n';
  }
  PoetryServer server(path, {}, kFastPoetryName);
  Process client(kClient2, {std::to_string(server.port())});
  ASSERT_EQ(client.wait(600s), 0) << client.err();
  EXPECT_NE(client.out().find("Task 1: 1073741824 characters of poetry"),
            std::string::npos);
  // The poem is kept in one std::string, which grows by doubling: while it
  // grows past the last power of two, the old buffer and the new one are
  // both alive. Anything beyond that would be a copy too many.
  EXPECT_LT(client.peakMemoryBytes(), static_cast<long>(kSize) * 5 / 2)
      << "peak " << (client.peakMemoryBytes() >> 20) << " MiB";
  std::remove(path.c_str());
}

}  // namespace
