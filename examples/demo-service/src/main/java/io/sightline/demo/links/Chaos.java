package io.sightline.demo.links;

import java.util.concurrent.ThreadLocalRandom;

import org.springframework.stereotype.Component;

/** Makes the configured share of requests slow or failing. */
@Component
class Chaos {

    private final DemoProperties properties;

    Chaos(DemoProperties properties) {
        this.properties = properties;
    }

    void strike(String operation) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (this.properties.slowRatio() > 0 && random.nextDouble() < this.properties.slowRatio()) {
            pause();
        }
        if (this.properties.failureRatio() > 0 && random.nextDouble() < this.properties.failureRatio()) {
            throw new SimulatedFailureException(operation);
        }
    }

    private void pause() {
        try {
            Thread.sleep(this.properties.slowDelay().toMillis());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** The failure the demo injects; its class name shows up in {@code sightline_exceptions_total}. */
    static class SimulatedFailureException extends RuntimeException {

        SimulatedFailureException(String operation) {
            super("Simulated failure in '" + operation + "' (demo.failure-ratio)");
        }
    }
}
