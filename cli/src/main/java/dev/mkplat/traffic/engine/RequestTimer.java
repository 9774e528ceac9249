package dev.mkplat.traffic.engine;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.apache.hc.core5.concurrent.Cancellable;

/**
 * Holds every request to {@code --timeout} from start to last byte, with one thread for all of
 * them. A socket read timeout alone would let a server that trickles a byte now and then keep a
 * request going forever; this timer cancels the request (the library closes its connection, which
 * also ends a blocked connect or read) once its time is up, and the engine then reports a timeout,
 * or a connect timeout when the request was still connecting.
 *
 * <p>Every request gets the same timeout, so deadlines come in the order requests start: a FIFO
 * queue is enough, and the thread only ever looks at its head. Requests that finished are dropped
 * from the head as the thread passes; the queue holds at most {@code rate × timeout} entries
 * behind a request that is still running.
 */
final class RequestTimer implements AutoCloseable {
    /** How often the thread clears finished requests from the queue when nothing is due. */
    private static final long SWEEP_NANOS = 20_000_000L;

    private final long timeoutNanos;
    private final ConcurrentLinkedQueue<Timed> queue = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    RequestTimer(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
        this.thread = Thread.ofPlatform().daemon().name("traffic-timeouts").start(this::loop);
    }

    /** Starts the clock of {@code request}; the caller must {@link Timed#finish()} it. */
    Timed start(Cancellable request) {
        Timed timed = new Timed(System.nanoTime() + timeoutNanos, request);
        queue.add(timed);
        return timed;
    }

    private void loop() {
        while (running) {
            Timed head = queue.peek();
            if (head == null) {
                LockSupport.parkNanos(this, SWEEP_NANOS);
                continue;
            }
            if (head.finished) {
                queue.poll();
                continue;
            }
            long left = head.deadline - System.nanoTime();
            if (left <= 0) {
                head.expiredConnecting = head.connecting;
                head.expired = true;
                head.request.cancel();
                queue.poll();
            } else {
                LockSupport.parkNanos(this, Math.min(left, SWEEP_NANOS));
            }
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
    }

    /** One request on the clock. */
    static final class Timed {
        private final long deadline;
        private volatile Cancellable request;
        private volatile boolean finished;
        private volatile boolean connecting;
        private volatile boolean expired;
        private volatile boolean expiredConnecting;

        private Timed(long deadline, Cancellable request) {
            this.deadline = deadline;
            this.request = request;
        }

        void finish() {
            finished = true;
        }

        /** The request is sent again as {@code next} (a replay): the same deadline now holds it. */
        void retarget(Cancellable next) {
            request = next;
            if (expired) {
                next.cancel();
            }
        }

        /** Marks the time spent opening a connection (TCP and TLS), to tell the two timeouts apart. */
        void connecting(boolean now) {
            connecting = now;
        }

        /** Whether the timer cancelled the request: a failure after that is a timeout. */
        boolean expired() {
            return expired;
        }

        /** Whether the request was still opening its connection when the timer cancelled it. */
        boolean expiredConnecting() {
            return expiredConnecting;
        }
    }
}
