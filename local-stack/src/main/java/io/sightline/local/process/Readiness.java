package io.sightline.local.process;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/** Waits, for a bounded time, until a started process answers its readiness URL with 2xx. */
public final class Readiness {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(500);

    private final HttpClient http;

    public Readiness(HttpClient http) {
        this.http = http;
    }

    /**
     * @throws StartFailedException when the process ends first or {@code timeout} passes; the message holds the
     *         end of its output so the user sees why
     */
    public void await(ManagedProcess process, URI readyUrl, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        String lastProblem = "no answer yet";
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new StartFailedException(process.name() + " exited with code " + process.exitCode()
                        + " before it was ready; last output (" + process.outputFile() + "):\n"
                        + process.outputTail(30));
            }
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(readyUrl)
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() / 100 == 2) {
                    return;
                }
                lastProblem = "HTTP " + response.statusCode();
            } catch (IOException e) {
                lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartFailedException("interrupted while waiting for " + process.name());
            }
            LockSupport.parkNanos(POLL_INTERVAL.toNanos());
        }
        throw new StartFailedException(
                process.name() + " was not ready at " + readyUrl + " within " + timeout.toSeconds() + " s ("
                        + lastProblem + "); last output (" + process.outputFile() + "):\n" + process.outputTail(30));
    }

    /** A stage of the stack could not start; the message tells the user what happened. */
    public static final class StartFailedException extends RuntimeException {
        public StartFailedException(String message) {
            super(message);
        }
    }
}
