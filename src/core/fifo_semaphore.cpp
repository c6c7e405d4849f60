#include "core/fifo_semaphore.hpp"

#include <boost/asio/deferred.hpp>
#include <boost/asio/execution/context.hpp>
#include <boost/asio/execution_context.hpp>
#include <boost/asio/query.hpp>
#include <cassert>

namespace latencylab::core {

// The semaphores of one execution context. Its shutdown (an asio service is shut down before the
// scheduler that was created earlier) destroys every queued waiter, so their coroutine frames are
// unwound with the io_context's other pending work while every semaphore is still alive.
class FifoSemaphore::Registry : public asio::execution_context::service {
 public:
  using key_type = Registry;
  static inline asio::execution_context::id id;

  explicit Registry(asio::execution_context& context) : asio::execution_context::service(context) {}

  void add(FifoSemaphore& semaphore) noexcept {
    semaphore.next_registered_ = first_;
    if (first_ != nullptr) first_->prev_registered_ = &semaphore;
    first_ = &semaphore;
  }

  void remove(FifoSemaphore& semaphore) noexcept {
    if (semaphore.prev_registered_ != nullptr) {
      semaphore.prev_registered_->next_registered_ = semaphore.next_registered_;
    } else {
      first_ = semaphore.next_registered_;
    }
    if (semaphore.next_registered_ != nullptr) {
      semaphore.next_registered_->prev_registered_ = semaphore.prev_registered_;
    }
  }

 private:
  void shutdown() override {
    for (FifoSemaphore* semaphore = first_; semaphore != nullptr;
         semaphore = semaphore->next_registered_) {
      semaphore->shutdown();
    }
  }

  FifoSemaphore* first_ = nullptr;  // owned by the io thread
};

// What the timer's handlers reach the semaphore through. A wait that completed just before the
// semaphore was destroyed still runs its handler: the anchor, freed by the last handler, tells it
// the semaphore is gone. Plain counts: one thread.
struct FifoSemaphore::TimerAnchor {
  FifoSemaphore* semaphore;
  std::uint32_t handlers = 0;  // TimerHandlers alive (pending, queued or running)
};

class FifoSemaphore::TimerHandler {
 public:
  explicit TimerHandler(TimerAnchor& anchor) noexcept : anchor_(&anchor) { ++anchor.handlers; }
  TimerHandler(TimerHandler&& other) noexcept : anchor_(std::exchange(other.anchor_, nullptr)) {}
  TimerHandler& operator=(TimerHandler&&) = delete;
  ~TimerHandler() {
    if (anchor_ != nullptr && --anchor_->handlers == 0 && anchor_->semaphore == nullptr) {
      delete anchor_;
    }
  }

  void operator()(const error_code& ec) const {
    if (ec == asio::error::operation_aborted || anchor_->semaphore == nullptr) return;
    anchor_->semaphore->on_timer();
  }

 private:
  TimerAnchor* anchor_;
};

namespace {

// now + timeout, or the far future when that does not fit (or the timeout is "no limit").
asio::steady_timer::time_point deadline_after(std::chrono::nanoseconds timeout) {
  using Clock = asio::steady_timer::clock_type;
  const auto now = Clock::now();
  if (timeout > Clock::time_point::max() - now) return Clock::time_point::max();
  return now + timeout;
}

}  // namespace

FifoSemaphore::FifoSemaphore(const asio::any_io_executor& executor, std::uint32_t permits,
                             std::uint32_t max_waiting, std::chrono::nanoseconds acquire_timeout)
    : executor_(executor),
      registry_(asio::use_service<Registry>(asio::query(executor, asio::execution::context))),
      timer_(executor),
      timer_anchor_(new TimerAnchor{this}),
      permits_(permits),
      max_waiting_(max_waiting),
      timeout_(acquire_timeout) {
  registry_.add(*this);
}

FifoSemaphore::~FifoSemaphore() {
  registry_.remove(*this);
  while (head_ != nullptr) complete(*head_, AcquireError::cancelled);
  assert(in_use_ == 0 && "a FifoSemaphore::Permit outlived its semaphore");
  if (timer_anchor_->handlers == 0) {
    delete timer_anchor_;
  } else {
    timer_anchor_->semaphore = nullptr;  // the last handler frees it
  }
}

awaitable<FifoSemaphore::AcquireResult> FifoSemaphore::acquire() {
  if (std::optional<Permit> permit = try_acquire()) co_return std::move(*permit);
  if (waiting_ >= max_waiting_) co_return AcquireError::queue_full;
  co_return co_await async_wait(asio::deferred);
}

std::optional<FifoSemaphore::Permit> FifoSemaphore::try_acquire() noexcept {
  // A free permit means nobody waits: release_one() hands permits to waiters first.
  if (in_use_ >= permits_) return std::nullopt;
  ++in_use_;
  return Permit(*this);
}

void FifoSemaphore::push_back(Waiter& waiter) noexcept {
  waiter.deadline = deadline_after(timeout_);
  waiter.prev = tail_;
  waiter.next = nullptr;
  if (tail_ != nullptr) {
    tail_->next = &waiter;
  } else {
    head_ = &waiter;
  }
  tail_ = &waiter;
  ++waiting_;
  if (!timer_armed_) arm_timer();
}

void FifoSemaphore::unlink(Waiter& waiter) noexcept {
  (waiter.prev != nullptr ? waiter.prev->next : head_) = waiter.next;
  (waiter.next != nullptr ? waiter.next->prev : tail_) = waiter.prev;
  --waiting_;
}

void FifoSemaphore::complete(Waiter& waiter, AcquireResult result) {
  unlink(waiter);
  // An armed timer is pending work: with nobody left to time out it would keep io_context::run()
  // from returning until a deadline that no longer matters.
  if (head_ == nullptr && timer_armed_) {
    timer_armed_ = false;
    timer_.cancel();
  }
  waiter.complete(waiter, std::move(result), executor_);
}

void FifoSemaphore::cancel(Waiter& waiter) {
  complete(waiter, AcquireError::cancelled);
}

void FifoSemaphore::release_one() noexcept {
  if (head_ != nullptr && !shut_down_) {
    complete(*head_, Permit(*this));  // the permit changes hands: in_use_ stays
    return;
  }
  --in_use_;
}

// The timer is not re-armed while pending: it fires at the deadline of the waiter that was the
// head when it was armed, no later than any deadline queued now, so at worst it wakes, finds
// nobody due and re-arms. It is cancelled when the queue empties; a wait that completed before
// that cancel() still runs on_timer(), which is harmless: only due waiters expire.
void FifoSemaphore::arm_timer() {
  if (head_ == nullptr || head_->deadline == Clock::time_point::max()) return;
  timer_armed_ = true;
  timer_.expires_at(head_->deadline);
  timer_.async_wait(TimerHandler(*timer_anchor_));
}

void FifoSemaphore::on_timer() {
  timer_armed_ = false;
  const auto now = Clock::now();
  while (head_ != nullptr && head_->deadline <= now) complete(*head_, AcquireError::timeout);
  arm_timer();
}

void FifoSemaphore::shutdown() noexcept {
  shut_down_ = true;
  while (head_ != nullptr) {
    Waiter& waiter = *head_;
    unlink(waiter);
    waiter.destroy(waiter);
  }
}

}  // namespace latencylab::core
