#include "core/fifo_semaphore.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/cancellation_state.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <random>
#include <thread>
#include <vector>

#include "core/io_context.hpp"

namespace latencylab::core {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
constexpr auto no_limit = std::chrono::nanoseconds::max();

// An exception escaping a test coroutine fails the test (rethrown from io.poll()/run()).
void rethrow(const std::exception_ptr& error) {
  if (error) std::rethrow_exception(error);
}

template <typename Awaitable>
void spawn(asio::io_context& io, Awaitable&& coroutine) {
  asio::co_spawn(io, std::forward<Awaitable>(coroutine), rethrow);
}

// Acquires, records its id in `granted` and keeps the permit in `held` (released by the test).
awaitable<void> acquire_and_hold(FifoSemaphore& semaphore, int id, std::vector<int>& granted,
                                 std::vector<FifoSemaphore::Permit>& held) {
  FifoSemaphore::AcquireResult permit = co_await semaphore.acquire();
  EXPECT_TRUE(permit.has_value()) << "waiter " << id;
  if (!permit) co_return;
  granted.push_back(id);
  held.push_back(std::move(*permit));
}

// Acquires and stores the whole result, permit included, in `out`. Lets every cancellation type
// through to the acquire (a coroutine passes only terminal cancellation by default).
awaitable<void> acquire_into(FifoSemaphore& semaphore,
                             std::optional<FifoSemaphore::AcquireResult>& out) {
  co_await asio::this_coro::reset_cancellation_state(asio::enable_total_cancellation());
  out.emplace(co_await semaphore.acquire());
}

TEST(FifoSemaphore, WaitersGetPermitsInArrivalOrder) {
  asio::io_context io;
  FifoSemaphore semaphore(io.get_executor(), 2, 10, no_limit);
  std::vector<int> granted;
  std::vector<FifoSemaphore::Permit> held;
  for (int id = 0; id < 6; ++id) spawn(io, acquire_and_hold(semaphore, id, granted, held));
  io.poll();
  EXPECT_EQ(granted, (std::vector<int>{0, 1}));
  EXPECT_EQ(semaphore.in_use(), 2U);
  EXPECT_EQ(semaphore.waiting(), 4U);

  // Released out of order, the permits still go to the waiters in arrival order.
  held[1].release();
  EXPECT_EQ(granted.size(), 2U) << "release() must not resume the waiter inside the call";
  io.poll();
  EXPECT_EQ(granted, (std::vector<int>{0, 1, 2}));
  held[0].release();
  held[2].release();
  io.poll();
  EXPECT_EQ(granted, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(semaphore.in_use(), 2U);
  EXPECT_EQ(semaphore.waiting(), 1U);
  held[3].release();
  io.poll();
  EXPECT_EQ(granted, (std::vector<int>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(semaphore.waiting(), 0U);
  held.clear();
  EXPECT_EQ(semaphore.in_use(), 0U);
}

TEST(FifoSemaphore, RefusesAtOnceWhenTheQueueIsFull) {
  asio::io_context io;
  FifoSemaphore semaphore(io.get_executor(), 1, 2, no_limit);
  std::vector<int> granted;
  std::vector<FifoSemaphore::Permit> held;
  for (int id = 0; id < 3; ++id) spawn(io, acquire_and_hold(semaphore, id, granted, held));
  std::optional<FifoSemaphore::AcquireResult> refused;
  spawn(io, acquire_into(semaphore, refused));
  io.poll();
  ASSERT_TRUE(refused.has_value()) << "a refusal does not wait";
  ASSERT_FALSE(refused->has_value());
  EXPECT_EQ(refused->error(), AcquireError::queue_full);
  EXPECT_EQ(semaphore.waiting(), 2U);

  held.clear();  // one permit: 1 then 2 in turn
  io.poll();
  held.clear();
  io.poll();
  EXPECT_EQ(granted, (std::vector<int>{0, 1, 2})) << "the refusal did not disturb the queue";
}

// Records the outcome and how long the acquire waited.
struct TimedAcquire {
  std::optional<FifoSemaphore::AcquireResult> result;
  Clock::duration waited{};
};

awaitable<void> timed_acquire(FifoSemaphore& semaphore, TimedAcquire& out) {
  const auto start = Clock::now();
  out.result.emplace(co_await semaphore.acquire());
  out.waited = Clock::now() - start;
}

TEST(FifoSemaphore, AWaiterTimesOutWithoutAPermitAndNeverEarly) {
  asio::io_context io;
  FifoSemaphore semaphore(io.get_executor(), 1, 10, 20ms);
  std::vector<int> granted;
  std::vector<FifoSemaphore::Permit> held;
  spawn(io, acquire_and_hold(semaphore, 0, granted, held));
  TimedAcquire first;
  TimedAcquire second;
  spawn(io, timed_acquire(semaphore, first));
  spawn(io, timed_acquire(semaphore, second));
  io.run();  // the semaphore's timer is the only pending work

  for (const TimedAcquire* waiter : {&first, &second}) {
    ASSERT_TRUE(waiter->result.has_value());
    ASSERT_FALSE(waiter->result->has_value());
    EXPECT_EQ(waiter->result->error(), AcquireError::timeout);
    EXPECT_GE(waiter->waited, 20ms);
  }
  EXPECT_EQ(semaphore.in_use(), 1U) << "the timed-out waiters got no permit";
  EXPECT_EQ(semaphore.waiting(), 0U);
  held.clear();
  EXPECT_EQ(semaphore.in_use(), 0U);
}

// The timer is armed for the first waiter's deadline; once that waiter has left, the timer's
// firing must not time out the waiter behind it before its own deadline.
TEST(FifoSemaphore, AWaiterBehindADepartedHeadIsNotTimedOutEarly) {
  asio::cancellation_signal leave;
  asio::io_context io;
  FifoSemaphore semaphore(io.get_executor(), 1, 10, 60ms);
  std::vector<int> granted;
  std::vector<FifoSemaphore::Permit> held;
  spawn(io, acquire_and_hold(semaphore, 0, granted, held));
  std::optional<FifoSemaphore::AcquireResult> head;
  asio::co_spawn(io, acquire_into(semaphore, head),
                 asio::bind_cancellation_slot(leave.slot(), rethrow));
  TimedAcquire behind;
  asio::steady_timer later(io, 30ms);
  later.async_wait([&](const error_code&) {
    spawn(io, timed_acquire(semaphore, behind));
    leave.emit(asio::cancellation_type::terminal);
  });
  io.run();

  ASSERT_TRUE(behind.result.has_value());
  ASSERT_FALSE(behind.result->has_value());
  EXPECT_EQ(behind.result->error(), AcquireError::timeout);
  EXPECT_GE(behind.waited, 60ms);
  held.clear();
}

// Once nobody waits, the timeout timer is no pending work: run() returns without waiting for the
// deadline of a waiter that has left (here an hour away).
TEST(FifoSemaphore, AnEmptiedQueueLeavesNoTimerKeepingRunBusy) {
  asio::io_context io;
  FifoSemaphore semaphore(io.get_executor(), 1, 10, std::chrono::hours(1));
  std::vector<int> granted;
  std::vector<FifoSemaphore::Permit> held;
  spawn(io, acquire_and_hold(semaphore, 0, granted, held));
  spawn(io, acquire_and_hold(semaphore, 1, granted, held));
  io.poll();
  ASSERT_EQ(semaphore.waiting(), 1U);
  asio::post(io, [&] { held.clear(); });
  const auto start = Clock::now();
  io.run();
  EXPECT_LT(Clock::now() - start, std::chrono::minutes(30));
  EXPECT_EQ(granted, (std::vector<int>{0, 1}));
  held.clear();
}

TEST(FifoSemaphore, CancellingAMiddleWaiterKeepsTheOthersInOrder) {
  std::vector<asio::cancellation_signal> signals(3);
  asio::io_context io;
  FifoSemaphore semaphore(io.get_executor(), 1, 10, no_limit);
  std::vector<int> granted;
  std::vector<FifoSemaphore::Permit> held;
  spawn(io, acquire_and_hold(semaphore, 0, granted, held));
  std::vector<std::optional<FifoSemaphore::AcquireResult>> waiters(3);
  for (std::size_t i = 0; i < 3; ++i) {
    asio::co_spawn(io, acquire_into(semaphore, waiters[i]),
                   asio::bind_cancellation_slot(signals[i].slot(), rethrow));
  }
  io.poll();
  ASSERT_EQ(semaphore.waiting(), 3U);

  signals[1].emit(asio::cancellation_type::partial);
  io.poll();
  EXPECT_EQ(semaphore.waiting(), 2U) << "the cancelled waiter left the queue";
  ASSERT_TRUE(waiters[1].has_value());
  ASSERT_FALSE(waiters[1]->has_value());
  EXPECT_EQ(waiters[1]->error(), AcquireError::cancelled);

  held.clear();
  io.poll();
  ASSERT_TRUE(waiters[0].has_value());
  EXPECT_TRUE(waiters[0]->has_value());
  EXPECT_FALSE(waiters[2].has_value()) << "one permit: the last waiter still waits";
  waiters[0].reset();  // returns the permit
  io.poll();
  ASSERT_TRUE(waiters[2].has_value());
  EXPECT_TRUE(waiters[2]->has_value());
  waiters[2].reset();
  EXPECT_EQ(semaphore.in_use(), 0U);
}

// `acquire() || deadline`: the acquire loses when the deadline expires first.
awaitable<void> race_against_deadline(FifoSemaphore& semaphore, bool& deadline_won) {
  using namespace asio::experimental::awaitable_operators;
  asio::steady_timer deadline(co_await asio::this_coro::executor, 1ms);
  auto winner = co_await (semaphore.acquire() || deadline.async_wait(asio::use_awaitable));
  deadline_won = winner.index() == 1;
}

TEST(FifoSemaphore, TheLoserOfARaceLeavesTheQueue) {
  asio::io_context io;
  FifoSemaphore semaphore(io.get_executor(), 1, 10, no_limit);
  std::vector<int> granted;
  std::vector<FifoSemaphore::Permit> held;
  spawn(io, acquire_and_hold(semaphore, 0, granted, held));
  bool deadline_won = false;
  spawn(io, race_against_deadline(semaphore, deadline_won));
  io.run();
  EXPECT_TRUE(deadline_won);
  EXPECT_EQ(semaphore.waiting(), 0U);
  EXPECT_EQ(semaphore.in_use(), 1U);
  held.clear();
  EXPECT_EQ(semaphore.in_use(), 0U);
}

// One waiter of the random test: on a permit, appends its id to `served` and keeps the permit in
// `held[id]`; otherwise stores the error in `refused[id]`.
awaitable<void> acquire_in_turn(FifoSemaphore& semaphore, int id, std::vector<int>& served,
                                std::vector<std::optional<FifoSemaphore::Permit>>& held,
                                std::vector<std::optional<AcquireError>>& refused) {
  FifoSemaphore::AcquireResult permit = co_await semaphore.acquire();
  if (!permit) {
    refused[id] = permit.error();
    co_return;
  }
  served.push_back(id);
  held[id].emplace(std::move(*permit));
}

// Random interleavings (seeded, so reproducible) of arrivals, cancellations and releases: permits
// go to waiters in arrival order, never exceed the count, and none is lost or duplicated.
TEST(FifoSemaphore, RandomArrivalsCancellationsAndReleasesKeepOrderAndPermits) {
  constexpr int kWaiters = 400;
  constexpr std::uint32_t kPermits = 3;
  std::vector<asio::cancellation_signal> signals(kWaiters);
  asio::io_context io;
  FifoSemaphore semaphore(io.get_executor(), kPermits, 20, no_limit);
  std::vector<int> served;
  std::vector<std::optional<FifoSemaphore::Permit>> held(kWaiters);
  std::vector<std::optional<AcquireError>> refused(kWaiters);
  std::mt19937 rng(11);
  int arrived = 0;
  auto holders = [&] {
    std::vector<int> ids;
    for (int id = 0; id < arrived; ++id) {
      if (held[id]) ids.push_back(id);
    }
    return ids;
  };
  auto settle = [&] {
    io.restart();  // finished waiters leave it without work, which stops it
    io.poll();
    ASSERT_EQ(semaphore.in_use(), holders().size()) << "a permit was lost or duplicated";
    ASSERT_LE(semaphore.in_use(), kPermits);
  };

  while (arrived < kWaiters) {
    const int step = std::uniform_int_distribution<int>(0, 3)(rng);
    if (step <= 1) {
      asio::co_spawn(io, acquire_in_turn(semaphore, arrived, served, held, refused),
                     asio::bind_cancellation_slot(signals[arrived].slot(), rethrow));
      ++arrived;
    } else if (step == 2 && arrived > 0) {
      const int id = std::uniform_int_distribution<int>(0, arrived - 1)(rng);
      // Inside the io thread; a no-op unless that waiter is still queued.
      asio::post(io, [&signals, id] { signals[id].emit(asio::cancellation_type::terminal); });
    } else if (const std::vector<int> ids = holders(); !ids.empty()) {
      held[ids[std::uniform_int_distribution<std::size_t>(0, ids.size() - 1)(rng)]].reset();
    }
    settle();
  }
  while (!holders().empty()) {
    for (const int id : holders()) held[id].reset();
    settle();
  }

  EXPECT_EQ(semaphore.waiting(), 0U);
  EXPECT_TRUE(std::is_sorted(served.begin(), served.end()))
      << "a later arrival was served before an earlier one";
  int cancelled = 0;
  int queue_full = 0;
  for (int id = 0; id < kWaiters; ++id) {
    const bool was_served = std::find(served.begin(), served.end(), id) != served.end();
    ASSERT_TRUE(was_served || refused[id].has_value()) << "waiter " << id << " never completed";
    if (refused[id] == AcquireError::cancelled) ++cancelled;
    if (refused[id] == AcquireError::queue_full) ++queue_full;
  }
  // The script must have exercised every path for the checks above to mean something.
  EXPECT_GT(cancelled, 10);
  EXPECT_GT(queue_full, 10);
  EXPECT_GT(served.size(), 100U);
}

TEST(FifoSemaphore, PermitsReturnOnDestructionReleaseAndMoveAssignment) {
  asio::io_context io;
  FifoSemaphore semaphore(io.get_executor(), 2, 0, no_limit);
  std::vector<int> granted;
  std::vector<FifoSemaphore::Permit> held;
  spawn(io, acquire_and_hold(semaphore, 0, granted, held));
  spawn(io, acquire_and_hold(semaphore, 1, granted, held));
  io.poll();
  ASSERT_EQ(semaphore.in_use(), 2U);

  FifoSemaphore::Permit moved = std::move(held[0]);
  EXPECT_FALSE(held[0].held());
  EXPECT_EQ(semaphore.in_use(), 2U) << "moving a permit keeps it held";
  moved = std::move(held[1]);
  EXPECT_EQ(semaphore.in_use(), 1U) << "the overwritten permit was returned";
  moved.release();
  moved.release();
  EXPECT_EQ(semaphore.in_use(), 0U) << "release() is idempotent";

  io.restart();  // it ran out of work
  spawn(io, acquire_and_hold(semaphore, 2, granted, held));
  io.poll();
  EXPECT_EQ(semaphore.in_use(), 1U);
  held.clear();
  EXPECT_EQ(semaphore.in_use(), 0U);
}

TEST(FifoSemaphore, NoPermitIsLostWhenAWaiterIsCancelledAsItIsHandedOne) {
  asio::cancellation_signal cancel;
  asio::io_context io;
  FifoSemaphore semaphore(io.get_executor(), 1, 10, no_limit);
  std::vector<int> granted;
  std::vector<FifoSemaphore::Permit> held;
  spawn(io, acquire_and_hold(semaphore, 0, granted, held));
  std::optional<FifoSemaphore::AcquireResult> waiter;
  asio::co_spawn(io, acquire_into(semaphore, waiter),
                 asio::bind_cancellation_slot(cancel.slot(), rethrow));
  io.poll();

  // Inside the io thread the emission is synchronous: it lands after the hand-off, before the
  // waiter's posted completion runs.
  asio::post(io, [&] {
    held.clear();
    cancel.emit(asio::cancellation_type::terminal);
  });
  io.poll();
  ASSERT_TRUE(waiter.has_value());
  EXPECT_TRUE(waiter->has_value()) << "the waiter had already been handed the permit";
  EXPECT_EQ(semaphore.in_use(), 1U);
  waiter.reset();
  EXPECT_EQ(semaphore.in_use(), 0U);
}

TEST(FifoSemaphore, AHandedPermitReturnsWhenTheWaiterIsDestroyedUnresumed) {
  core::OwnedIoContext io;
  FifoSemaphore semaphore(io.get_executor(), 1, 10, no_limit);
  std::vector<int> granted;
  std::vector<FifoSemaphore::Permit> held;
  spawn(io, acquire_and_hold(semaphore, 0, granted, held));
  spawn(io, acquire_and_hold(semaphore, 1, granted, held));
  io.poll();
  held.clear();  // handed to waiter 1, whose completion never runs
  io.shutdown();
  EXPECT_EQ(granted, (std::vector<int>{0}));
  EXPECT_EQ(semaphore.in_use(), 0U);
}

// A coroutine holding a permit of `held_pool` while it waits in `wait_pool`.
awaitable<void> hold_one_wait_other(FifoSemaphore& held_pool, FifoSemaphore& wait_pool,
                                    bool& finished) {
  FifoSemaphore::AcquireResult first = co_await held_pool.acquire();
  EXPECT_TRUE(first.has_value());
  FifoSemaphore::AcquireResult second = co_await wait_pool.acquire();
  finished = true;
}

TEST(FifoSemaphore, ShutdownDestroysWaitersWhileEverySemaphoreIsAlive) {
  core::OwnedIoContext io;
  FifoSemaphore first(io.get_executor(), 1, 10, no_limit);
  FifoSemaphore second(io.get_executor(), 1, 10, no_limit);
  std::vector<int> granted;
  std::vector<FifoSemaphore::Permit> held;
  spawn(io, acquire_and_hold(second, 0, granted, held));
  bool finished = false;
  spawn(io, hold_one_wait_other(first, second, finished));
  io.poll();
  ASSERT_EQ(first.in_use(), 1U);
  ASSERT_EQ(second.waiting(), 1U);

  held.clear();  // handed to the waiter, which shutdown destroys before it runs
  io.shutdown();
  EXPECT_FALSE(finished);
  EXPECT_EQ(first.in_use(), 0U) << "the destroyed waiter's frame returned its permit";
  EXPECT_EQ(second.in_use(), 0U);
  EXPECT_EQ(second.waiting(), 0U);
}

// The semaphore's timer has fired (its handler is queued) when an earlier handler of the same
// io_context destroys the semaphore: the queued handler must not touch it (ASan would report it).
TEST(FifoSemaphore, ATimerHandlerQueuedWhenTheSemaphoreIsDestroyedDoesNothing) {
  asio::io_context io;
  asio::steady_timer earlier(io, 1ms);
  // On the heap, so that ASan sees a use after destruction.
  auto semaphore = std::make_unique<FifoSemaphore>(io.get_executor(), 0, 10, 2ms);
  std::optional<FifoSemaphore::AcquireResult> waiter;
  spawn(io, acquire_into(*semaphore, waiter));
  io.poll();  // queued: the semaphore's timer is armed for 2 ms from now
  earlier.async_wait([&](const error_code&) { semaphore.reset(); });
  std::this_thread::sleep_for(10ms);  // both timers are due: one poll finds them together
  io.run();
  ASSERT_TRUE(waiter.has_value());
  ASSERT_FALSE(waiter->has_value());
  EXPECT_EQ(waiter->error(), AcquireError::cancelled) << "destroyed before its deadline was seen";
}

TEST(FifoSemaphore, DestroyingTheSemaphoreCancelsItsWaiters) {
  asio::io_context io;
  std::optional<FifoSemaphore> semaphore(std::in_place, io.get_executor(), 0, 10, no_limit);
  std::optional<FifoSemaphore::AcquireResult> waiter;
  spawn(io, acquire_into(*semaphore, waiter));
  io.poll();
  ASSERT_FALSE(waiter.has_value());
  semaphore.reset();
  io.poll();
  ASSERT_TRUE(waiter.has_value());
  ASSERT_FALSE(waiter->has_value());
  EXPECT_EQ(waiter->error(), AcquireError::cancelled);
}

}  // namespace
}  // namespace latencylab::core
