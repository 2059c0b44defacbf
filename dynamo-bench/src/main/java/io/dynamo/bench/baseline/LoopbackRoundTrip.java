package io.dynamo.bench.baseline;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * The physical floor of a request over loopback TCP: a raw Java ping-pong on 127.0.0.1, one
 * blocking {@link Socket} each side ({@code TCP_NODELAY} on both), one thread each side. The client
 * writes {@link Settings#payloadBytes} bytes, the echo thread reads them all and writes them back,
 * the client reads them all: that is one round trip, timed with {@link System#nanoTime()} around
 * the write and the read. No framing, no serialization, no thread hand-off beyond the two
 * blocked threads, so anything a real request path adds (Netty's event loops, protobuf, the
 * node's thread, replica messages) shows as a multiple of this.
 *
 * <p>{@link #run} warms up ({@link Settings#warmupRoundTrips}, not recorded), then measures
 * {@link Settings#roundTrips} round trips or until {@link Settings#maxDuration}, whichever comes
 * first. A {@link Session} keeps the connection and echo thread open for benchmarks that measure
 * the loopback in several blocks interleaved with their own work.
 */
public final class LoopbackRoundTrip {

    /** The longest round trip recorded as such; slower ones are recorded as this (60 s). */
    static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);

    private LoopbackRoundTrip() {
    }

    /**
     * @param payloadBytes bytes sent each way per round trip, 1 to 65,536
     * @param warmupRoundTrips round trips before measuring, not recorded (0 for none)
     * @param roundTrips round trips measured, at least 1
     * @param maxDuration the longest the measured part may take (it ends early with fewer round
     *     trips); null for no limit
     */
    public record Settings(int payloadBytes, long warmupRoundTrips, long roundTrips, Duration maxDuration) {

        public static final int MAX_PAYLOAD = 65_536;

        public Settings {
            if (payloadBytes < 1 || payloadBytes > MAX_PAYLOAD) {
                throw new IllegalArgumentException("loopback payload must be from 1 to " + MAX_PAYLOAD
                        + " bytes, was " + payloadBytes);
            }
            if (warmupRoundTrips < 0) {
                throw new IllegalArgumentException("loopback warm-up round trips must be at least 0, was "
                        + warmupRoundTrips);
            }
            if (roundTrips < 1) {
                throw new IllegalArgumentException("loopback round trips must be at least 1, was " + roundTrips);
            }
            if (maxDuration != null && (maxDuration.isNegative() || maxDuration.isZero())) {
                throw new IllegalArgumentException("loopback max duration must be positive (or none), was "
                        + maxDuration);
            }
        }

        /** 64-byte payload, 10,000 warm-up round trips, 50,000 measured, at most 30 s. */
        public static Settings defaults() {
            return new Settings(64, 10_000, 50_000, Duration.ofSeconds(30));
        }

        public Settings withPayloadBytes(int value) {
            return new Settings(value, warmupRoundTrips, roundTrips, maxDuration);
        }

        public Settings withWarmupRoundTrips(long value) {
            return new Settings(payloadBytes, value, roundTrips, maxDuration);
        }

        public Settings withRoundTrips(long value) {
            return new Settings(payloadBytes, warmupRoundTrips, value, maxDuration);
        }

        public Settings withMaxDuration(Duration value) {
            return new Settings(payloadBytes, warmupRoundTrips, roundTrips, value);
        }
    }

    /**
     * What one measurement saw.
     *
     * @param settings what was asked for
     * @param roundTrips round trips measured (fewer than asked when the time limit ended it)
     * @param seconds how long the measured part took
     * @param latency the round trips' percentiles (microseconds)
     * @param histogram the round trips in nanoseconds (a copy is kept)
     */
    public record Result(Settings settings, long roundTrips, double seconds, LatencySummary latency,
            Histogram histogram) {

        public Result {
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(latency, "latency");
            histogram = histogram.copy();
        }

        @Override
        public Histogram histogram() {
            return histogram.copy();
        }

        /** Round trips per second over the measured part. */
        public double roundTripsPerSecond() {
            return seconds > 0 ? roundTrips / seconds : Double.NaN;
        }
    }

    /** Warms up, measures, closes. */
    public static Result run(Settings settings) throws IOException {
        Objects.requireNonNull(settings, "settings");
        try (Session session = Session.open(settings.payloadBytes())) {
            if (settings.warmupRoundTrips() > 0) {
                session.measure(settings.warmupRoundTrips(), settings.maxDuration());
            }
            long start = System.nanoTime();
            Histogram h = session.measure(settings.roundTrips(), settings.maxDuration());
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(settings, h.getTotalCount(), seconds, LatencySummary.fromNanos(h), h);
        }
    }

    /** One connection to one echo thread on 127.0.0.1, for measuring in several blocks. */
    public static final class Session implements AutoCloseable {
        private final int payloadBytes;
        private final ServerSocket listener;
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final Thread echo;
        private final AtomicReference<Throwable> echoFailure;
        private final byte[] sent;
        private final byte[] received;
        private boolean closed;

        private Session(int payloadBytes, ServerSocket listener, Socket socket, Thread echo,
                AtomicReference<Throwable> echoFailure) throws IOException {
            this.payloadBytes = payloadBytes;
            this.echoFailure = echoFailure;
            this.listener = listener;
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
            this.echo = echo;
            this.sent = new byte[payloadBytes];
            Arrays.fill(sent, (byte) 0x5A);
            this.received = new byte[payloadBytes];
        }

        /** Listens on 127.0.0.1 (a free port), starts the echo thread and connects to it. */
        public static Session open(int payloadBytes) throws IOException {
            if (payloadBytes < 1 || payloadBytes > Settings.MAX_PAYLOAD) {
                throw new IllegalArgumentException("loopback payload must be from 1 to " + Settings.MAX_PAYLOAD
                        + " bytes, was " + payloadBytes);
            }
            InetAddress loopback = InetAddress.getLoopbackAddress();
            ServerSocket listener = new ServerSocket(0, 1, loopback);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread echo = null;
            Socket socket = null;
            try {
                listener.setSoTimeout(10_000);
                echo = Thread.ofPlatform().daemon().name("loopback-echo")
                        .start(() -> echo(listener, payloadBytes, failure));
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(loopback, listener.getLocalPort()), 10_000);
                return new Session(payloadBytes, listener, socket, echo, failure);
            } catch (IOException | RuntimeException e) {
                if (socket != null) {
                    socket.close();
                }
                listener.close();
                throw e;
            }
        }

        private static void echo(ServerSocket listener, int payloadBytes, AtomicReference<Throwable> failure) {
            try (Socket s = listener.accept()) {
                s.setTcpNoDelay(true);
                DataInputStream in = new DataInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                byte[] buffer = new byte[payloadBytes];
                while (true) {
                    try {
                        in.readFully(buffer);
                    } catch (java.io.EOFException e) {
                        return; // the client closed: done
                    }
                    out.write(buffer);
                }
            } catch (SocketTimeoutException e) {
                failure.set(e);
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    failure.set(e);
                }
            }
        }

        public int payloadBytes() {
            return payloadBytes;
        }

        /**
         * Measures up to {@code count} round trips, stopping early once {@code limit} (null: none)
         * has passed; returns them as a new histogram of nanoseconds.
         */
        public Histogram measure(long count, Duration limit) throws IOException {
            if (closed) {
                throw new IllegalStateException("the loopback session is closed");
            }
            if (count < 1) {
                throw new IllegalArgumentException("count must be at least 1, was " + count);
            }
            Histogram h = LatencySummary.nanosHistogram();
            long deadline = limit == null ? 0 : System.nanoTime() + limit.toNanos();
            for (long i = 0; i < count; i++) {
                long start = System.nanoTime();
                out.write(sent);
                readFully(received);
                long end = System.nanoTime();
                h.recordValue(Math.min(HIGHEST_NANOS, Math.max(1, end - start)));
                if (limit != null && end - deadline >= 0) {
                    break;
                }
            }
            return h;
        }

        private void readFully(byte[] buffer) throws IOException {
            int read = 0;
            while (read < buffer.length) {
                int n = in.read(buffer, read, buffer.length - read);
                if (n < 0) {
                    Throwable why = echoFailure.get();
                    throw new IOException("the loopback echo thread closed the connection"
                            + (why == null ? "" : ": " + why), why);
                }
                read += n;
            }
        }

        /** Closes the connection and waits for the echo thread to end. */
        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                socket.close();
            } finally {
                listener.close();
                try {
                    echo.join(TimeUnit.SECONDS.toMillis(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
