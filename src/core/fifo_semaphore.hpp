// A counting semaphore for coroutines on the io thread: the bounded resource under the graph's
// database pools and downstream connection pools. `permits` holders at a time; the others queue
// and are served strictly in arrival order, at most `max_waiting` of them (one more is refused at
// once with queue_full), each for at most `acquire_timeout` (then timeout). A waiter whose
// cancellation slot is emitted (terminal, partial or total: the loser of `a || b`, a route
// deadline) leaves the queue at once with cancelled.
//
//   FifoSemaphore pool(io.get_executor(), 4, 100, std::chrono::milliseconds(50));
//   FifoSemaphore::AcquireResult permit = co_await pool.acquire();
//   if (!permit) co_return permit.error();  // queue_full, timeout or cancelled
//   co_await hold_connection();            // the permit returns when `permit` is destroyed
//
// acquire() is a coroutine: a waiter parks its frame (~180 bytes) beside the caller's. A caller
// that parks many requests takes the two halves instead and waits in its own frame:
//
//   std::optional<FifoSemaphore::Permit> free_permit = pool.try_acquire();
//   FifoSemaphore::AcquireResult waited = AcquireError::cancelled;
//   if (!free_permit) waited = co_await pool.async_wait(asio::deferred);
//
// Cost: a waiter is a node of a few dozen bytes beside its coroutine frames, and the semaphore
// has ONE timer for all of them: the timeout is the same for every waiter, so deadlines grow in
// queue order and the timer only ever needs the head's. A released permit goes straight to the
// first waiter, whose completion is posted to its executor (never resumed inside release()).
//
// Threading: one io thread, no locks. Lifetime: the semaphore lives inside its io_context's
// lifetime, and its permits inside the semaphore's (asserted in debug builds). Waiting coroutines
// are destroyed when the io_context shuts down (core::OwnedIoContext::shutdown()), with the rest of
// its pending work and while every semaphore is still alive, so the permits their frames hold
// return cleanly.
//
// Asio's rule still holds around acquire(): once a coroutine's cancellation was emitted, its next
// co_await throws operation_aborted (this_coro::throw_if_cancelled). A caller that wants values
// checks `(co_await this_coro::cancellation_state).cancelled()` first, as graph::DbPool does.
//
// The timeout is a constructor argument rather than acquire()'s: one timeout per semaphore is what
// keeps deadlines in queue order and one timer enough.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_allocator.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/result.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>

#include "core/asio.hpp"

namespace latencylab::core {

enum class AcquireError { queue_full, timeout, cancelled };

class FifoSemaphore {
 public:
  // One permit held; destroying it (or release()) gives the permit to the first waiter, if any.
  class Permit {
   public:
    Permit(Permit&& other) noexcept : semaphore_(std::exchange(other.semaphore_, nullptr)) {}
    Permit& operator=(Permit&& other) noexcept {
      if (this != &other) {
        release();
        semaphore_ = std::exchange(other.semaphore_, nullptr);
      }
      return *this;
    }
    ~Permit() { release(); }

    // Idempotent; a moved-from or released permit holds nothing.
    void release() noexcept {
      if (FifoSemaphore* semaphore = std::exchange(semaphore_, nullptr)) semaphore->release_one();
    }
    [[nodiscard]] bool held() const noexcept { return semaphore_ != nullptr; }

   private:
    friend class FifoSemaphore;
    explicit Permit(FifoSemaphore& semaphore) noexcept : semaphore_(&semaphore) {}

    FifoSemaphore* semaphore_;
  };

  using AcquireResult = boost::system::result<Permit, AcquireError>;

  // acquire_timeout: how long a waiter may queue; std::chrono::nanoseconds::max() = no limit.
  FifoSemaphore(const asio::any_io_executor& executor, std::uint32_t permits,
                std::uint32_t max_waiting, std::chrono::nanoseconds acquire_timeout);
  // Waiters still queued complete with cancelled (posted, like a destroyed asio timer's).
  ~FifoSemaphore();
  FifoSemaphore(const FifoSemaphore&) = delete;
  FifoSemaphore& operator=(const FifoSemaphore&) = delete;

  // Completes without suspending when a permit is free or the queue is full.
  [[nodiscard]] awaitable<AcquireResult> acquire();

  // A free permit, if any. None is free while anyone waits (a released permit goes to the first
  // waiter), so this never overtakes the queue.
  [[nodiscard]] std::optional<Permit> try_acquire() noexcept;

  // Queues for a permit: an asio asynchronous operation completing with an AcquireResult
  // (queue_full at once, posted, when max_waiting wait already). With asio::deferred, `co_await`
  // waits in the awaiting coroutine's own frame.
  template <typename CompletionToken>
  auto async_wait(CompletionToken&& token) {
    // this-> spelled out: Clang 16 (the fuzz preset) takes the implicit one for an unused capture.
    return asio::async_initiate<CompletionToken, void(AcquireResult)>(
        [this](auto handler) { this->start_wait(std::move(handler)); }, token);
  }

  [[nodiscard]] std::uint32_t permits() const noexcept { return permits_; }
  [[nodiscard]] std::uint32_t in_use() const noexcept { return in_use_; }
  [[nodiscard]] std::uint32_t waiting() const noexcept { return waiting_; }

 private:
  using Clock = asio::steady_timer::clock_type;
  class Registry;

  // A queued acquire: an intrusive list node; the handler lives in the derived HandlerWaiter.
  struct Waiter {
    Waiter* prev = nullptr;
    Waiter* next = nullptr;
    Clock::time_point deadline;
    // Frees the node and posts the handler with `result` to its executor.
    void (*complete)(Waiter& self, AcquireResult result, const asio::any_io_executor& fallback);
    // Frees the node and destroys the handler unrun (io_context shutdown).
    void (*destroy)(Waiter& self) noexcept;
  };
  template <typename Handler>
  struct HandlerWaiter;
  struct CancelWaiter;
  struct TimerAnchor;
  class TimerHandler;

  template <typename Handler>
  void start_wait(Handler handler);
  template <typename Handler>
  void enqueue(Handler handler);
  void push_back(Waiter& waiter) noexcept;
  void unlink(Waiter& waiter) noexcept;
  void complete(Waiter& waiter, AcquireResult result);
  void cancel(Waiter& waiter);
  void release_one() noexcept;
  void arm_timer();
  void on_timer();
  void shutdown() noexcept;

  asio::any_io_executor executor_;
  Registry& registry_;
  asio::steady_timer timer_;   // armed for the head's deadline while waiters queue
  TimerAnchor* timer_anchor_;  // outlives the semaphore while timer handlers are pending
  const std::uint32_t permits_;
  const std::uint32_t max_waiting_;
  const std::chrono::nanoseconds timeout_;
  // Owned by the io thread.
  std::uint32_t in_use_ = 0;  // permits held, or handed to a waiter whose completion is posted
  std::uint32_t waiting_ = 0;
  Waiter* head_ = nullptr;
  Waiter* tail_ = nullptr;
  bool timer_armed_ = false;
  bool shut_down_ = false;  // the io_context shut down: no more hand-offs
  FifoSemaphore* next_registered_ = nullptr;
  FifoSemaphore* prev_registered_ = nullptr;
};

// Emitted cancellation (terminal, partial or total) takes the waiter out of the queue.
struct FifoSemaphore::CancelWaiter {
  FifoSemaphore* semaphore;
  Waiter* waiter;

  void operator()(asio::cancellation_type_t type) const {
    // cancel() clears the slot, destroying this object: nothing may touch it afterwards.
    if ((type & (asio::cancellation_type::terminal | asio::cancellation_type::partial |
                 asio::cancellation_type::total)) != asio::cancellation_type::none) {
      semaphore->cancel(*waiter);
    }
  }
};

// Without an allocator of its own, the handler's node is allocated at its exact size: Asio's
// recycling allocator would hand it the cached block of the operation before (a socket read's,
// 240 bytes) for as long as it waits.
template <typename Handler>
struct FifoSemaphore::HandlerWaiter final : Waiter {
  using Allocator =
      typename std::allocator_traits<asio::associated_allocator_t<Handler, std::allocator<void>>>::
          template rebind_alloc<HandlerWaiter>;

  explicit HandlerWaiter(Handler&& handler_) : handler(std::move(handler_)) {
    Waiter::complete = &complete_handler;
    Waiter::destroy = &destroy_handler;
  }

  static Allocator allocator_of(const Handler& handler) {
    return Allocator(asio::get_associated_allocator(handler, std::allocator<void>()));
  }

  // Detaches the cancellation handler and frees the node; returns the handler.
  static Handler take(Waiter& base) noexcept {
    auto& self = static_cast<HandlerWaiter&>(base);
    auto slot = asio::get_associated_cancellation_slot(self.handler);
    if (slot.is_connected()) slot.clear();
    Handler handler = std::move(self.handler);
    Allocator allocator = allocator_of(handler);
    std::allocator_traits<Allocator>::destroy(allocator, &self);
    std::allocator_traits<Allocator>::deallocate(allocator, &self, 1);
    return handler;
  }

  static void complete_handler(Waiter& base, AcquireResult result,
                               const asio::any_io_executor& fallback) {
    Handler handler = take(base);
    auto executor = asio::get_associated_executor(handler, fallback);
    asio::post(executor, [handler = std::move(handler), result = std::move(result)]() mutable {
      std::move(handler)(std::move(result));
    });
  }

  static void destroy_handler(Waiter& base) noexcept { (void)take(base); }

  Handler handler;
};

template <typename Handler>
void FifoSemaphore::start_wait(Handler handler) {
  if (waiting_ < max_waiting_) {
    enqueue(std::move(handler));
    return;
  }
  auto executor = asio::get_associated_executor(handler, executor_);
  asio::post(executor, [handler = std::move(handler)]() mutable {
    std::move(handler)(AcquireResult(AcquireError::queue_full));
  });
}

template <typename Handler>
void FifoSemaphore::enqueue(Handler handler) {
  using Node = HandlerWaiter<Handler>;
  typename Node::Allocator allocator = Node::allocator_of(handler);
  Node* node = std::allocator_traits<typename Node::Allocator>::allocate(allocator, 1);
  std::allocator_traits<typename Node::Allocator>::construct(allocator, node, std::move(handler));
  auto slot = asio::get_associated_cancellation_slot(node->handler);
  if (slot.is_connected()) slot.template emplace<CancelWaiter>(CancelWaiter{this, node});
  push_back(*node);
}

}  // namespace latencylab::core
