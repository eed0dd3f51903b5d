package io.sightline.collector;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Kubernetes Events as JSON log records and Prometheus metrics; see docs/event-collector.md. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class EventCollectorApplication {

    public static void main(String[] args) {
        SpringApplication.run(EventCollectorApplication.class, args);
    }
}
