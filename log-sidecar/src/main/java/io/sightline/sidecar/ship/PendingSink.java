package io.sightline.sidecar.ship;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import io.sightline.sidecar.parse.LogRecord;

/**
 * A sink built on a thread of its own, so that its HTTP client, TLS context and snappy's native library are
 * made while the first files are read and parsed (2 cores; issue 16, docs/benchmarks.md). Start-up calls
 * {@link #await} before the sender starts: a sink that cannot be built still stops start-up with its own
 * error, before anything is sent.
 */
public final class PendingSink implements Sink {

    /** How the sink is made; its {@link IOException} or {@link RuntimeException} reaches {@link #await}. */
    @FunctionalInterface
    public interface Builder {
        Sink build() throws IOException;
    }

    /** How long the destination check waits for a first push before it goes anyway (nothing to send yet). */
    static final Duration CHECK_WITHOUT_A_PUSH_AFTER = Duration.ofSeconds(1);

    private final String name;
    private final FutureTask<Sink> building;
    private final CountDownLatch firstSendReturned = new CountDownLatch(1);

    private PendingSink(String name, Builder builder) {
        this.name = name;
        this.building = new FutureTask<>((Callable<Sink>) builder::build);
    }

    /** Starts building the sink named {@code name} (the metric label, known before the sink exists). */
    public static PendingSink build(String name, Builder builder) {
        PendingSink sink = new PendingSink(name, builder);
        Thread thread = new Thread(sink::buildThenCheck, "sidecar-sink-start");
        thread.setDaemon(true);
        thread.start();
        return sink;
    }

    /**
     * Builds the sink, then (on this thread, after {@link #await} has its answer) checks its destination once the
     * first push has returned, answered or not, or after {@link #CHECK_WITHOUT_A_PUSH_AFTER} with nothing sent: run
     * beside the first batch it competed for the 2 cores and delayed it (issue 16, docs/benchmarks.md). Neither
     * start-up nor any push waits for the check. The thread is a daemon: a check still waiting does not hold up
     * shutdown.
     */
    private void buildThenCheck() {
        building.run();
        Sink built;
        try {
            built = building.get(); // done: does not wait
            firstSendReturned.await(CHECK_WITHOUT_A_PUSH_AFTER.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            return; // not built: start-up reports why (await)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        built.checkDestination();
    }

    /** The built sink, waiting for it; rethrows what building it threw. */
    public Sink await() throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return building.get();
                } catch (InterruptedException e) {
                    // building is short and bounded (no network): finish waiting, keep the interrupt
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw (Error) cause;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SendResult send(List<LogRecord> batch) throws IOException {
        try {
            return await().send(batch);
        } finally {
            firstSendReturned.countDown();
        }
    }

    @Override
    public void close() {
        try {
            await().close();
        } catch (IOException | RuntimeException e) {
            // never built: nothing to close (start-up reported why)
        }
    }
}
