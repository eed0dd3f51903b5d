package io.sightline.telemetry.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sightline.telemetry.support.ServiceIdentity;

/**
 * {@code sightline_build_info{application,version} 1}: lets dashboards show which version runs
 * where, and join it onto other series by {@code application}.
 */
public class BuildInfoMetrics implements MeterBinder {

    private final ServiceIdentity identity;

    public BuildInfoMetrics(ServiceIdentity identity) {
        this.identity = identity;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("sightline.build.info", () -> 1)
                .description("Always 1; the version label says which build is running")
                .tag("version", this.identity.versionOrUnknown())
                .register(registry);
    }
}
