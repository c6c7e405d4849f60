#include "core/worker.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace latencylab::core {
namespace {

using namespace std::chrono_literals;

// A job that blocks the worker until the test opens the gate; `entered` is ready once it runs.
struct Gate {
  std::promise<void> opened;
  std::shared_future<void> open = opened.get_future().share();
  std::promise<void> entering;
  std::future<void> entered = entering.get_future();
  auto blocker() {
    return [this] {
      entering.set_value();
      open.wait();
    };
  }
};

TEST(Worker, RunsJobsInOrderOffTheCallingThread) {
  std::mutex mutex;
  std::vector<int> ran;
  std::vector<std::thread::id> threads;
  {
    Worker worker;
    for (int i = 0; i < 100; ++i) {
      ASSERT_TRUE(worker.try_post([&, i] {
        std::lock_guard lock(mutex);
        ran.push_back(i);
        threads.push_back(std::this_thread::get_id());
      }));
    }
    worker.wait_idle();
    std::lock_guard lock(mutex);
    ASSERT_EQ(ran.size(), 100U);
  }
  for (int i = 0; i < 100; ++i) EXPECT_EQ(ran[i], i);
  for (const auto id : threads) {
    EXPECT_NE(id, std::this_thread::get_id());
    EXPECT_EQ(id, threads.front()) << "one thread";
  }
}

TEST(Worker, BoundedWorkerRefusesJobsWhileFull) {
  Gate gate;
  int ran = 0;
  Worker worker(3);
  ASSERT_TRUE(worker.try_post(gate.blocker()));
  EXPECT_TRUE(worker.try_post([&] { ++ran; }));
  EXPECT_TRUE(worker.try_post([&] { ++ran; }));
  EXPECT_FALSE(worker.try_post([&] { ran += 100; })) << "three jobs are unfinished";
  gate.opened.set_value();
  worker.wait_idle();
  EXPECT_EQ(ran, 2);
  EXPECT_TRUE(worker.try_post([&] { ++ran; })) << "room again once the jobs ran";
  worker.wait_idle();
  EXPECT_EQ(ran, 3);
}

TEST(Worker, WaitIdleForAnIdleWorkerReturnsAtOnce) {
  Worker worker;
  EXPECT_TRUE(worker.wait_idle_for(std::chrono::milliseconds(0)));
  ASSERT_TRUE(worker.try_post([] {}));
  worker.wait_idle();
  EXPECT_TRUE(worker.wait_idle_for(std::chrono::milliseconds(0)));
}

TEST(Worker, WaitIdleForReportsAJobStillRunning) {
  Gate gate;
  Worker worker;
  ASSERT_TRUE(worker.try_post(gate.blocker()));
  EXPECT_FALSE(worker.wait_idle_for(10ms));
  gate.opened.set_value();
  EXPECT_TRUE(worker.wait_idle_for(10s));
}

TEST(Worker, DestructorRunsTheJobsStillQueued) {
  Gate gate;
  int ran = 0;
  {
    Worker worker;
    ASSERT_TRUE(worker.try_post(gate.blocker()));
    ASSERT_TRUE(worker.try_post([&] { ++ran; }));
    ASSERT_TRUE(worker.try_post([&] { ++ran; }));
    gate.opened.set_value();
  }
  EXPECT_EQ(ran, 2);
}

TEST(WriteAll, WritesEverythingAndReportsFailure) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const std::string data(10000, 'x');
  EXPECT_TRUE(write_all(fds[1], data));
  std::string read_back(data.size(), '\0');
  std::size_t got = 0;
  while (got < data.size()) {
    const ssize_t n = ::read(fds[0], read_back.data() + got, data.size() - got);
    ASSERT_GT(n, 0);
    got += static_cast<std::size_t>(n);
  }
  EXPECT_EQ(read_back, data);
  ::close(fds[1]);
  ::close(fds[0]);
  EXPECT_FALSE(write_all(-1, "nowhere"));
}

}  // namespace
}  // namespace latencylab::core
