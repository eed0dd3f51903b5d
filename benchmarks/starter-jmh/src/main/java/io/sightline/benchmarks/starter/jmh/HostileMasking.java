package io.sightline.benchmarks.starter.jmh;

import java.util.concurrent.TimeUnit;

import io.sightline.telemetry.masking.HostileLines;
import io.sightline.telemetry.masking.Masker;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Masking cost of hostile lines ({@link HostileLines}: fragments that start a rule's match and never
 * complete it) from 1 KB to 256 KB. Linear rules cost the same per KB at every length; a rule that
 * rescans the rest of the line per fragment costs per KB in proportion to the length.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HostileMasking {

    @Param({
        "oracle-without-at",
        "url-without-at",
        "userinfo-without-host",
        "keys-without-values",
        "key-then-long-rest",
        "bearer-short-words",
        "digit-groups",
        "jwt-heads",
        "cookie-colons"
    })
    public String shape;

    @Param({"1024", "16384", "262144"})
    public int length;

    private final Masker masker = Masker.defaults();

    private String line;

    @Setup
    public void buildLine() {
        this.line = HostileLines.SHAPES.get(this.shape).apply(this.length);
    }

    @Benchmark
    public String mask() {
        return this.masker.mask(this.line);
    }
}
