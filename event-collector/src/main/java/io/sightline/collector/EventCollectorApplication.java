package io.sightline.collector;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/** Kubernetes Events as JSON log records and Prometheus metrics; see docs/event-collector.md. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class EventCollectorApplication {

    public static void main(String[] args) {
        SpringApplication.run(EventCollectorApplication.class, args);
    }

    /** The collector's own clock: observation times, checkpoint ages, gaps (tests bring a movable one). */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
