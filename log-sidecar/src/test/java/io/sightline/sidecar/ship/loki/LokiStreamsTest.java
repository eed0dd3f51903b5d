package io.sightline.sidecar.ship.loki;

import java.util.List;

import io.sightline.sidecar.parse.Identity;
import io.sightline.sidecar.ship.loki.LokiStreams.StreamKey;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LokiStreamsTest {

    private static final StreamKey KEY =
            new StreamKey(new Identity("shop", "pod-1", "node-a", "app", "prod"), "checkout");

    /** The written-out {@code equals}/{@code hashCode} of the key and its identity: every component counts. */
    @Test
    void streamKeysDifferingInAnyOneComponentAreUnequal() {
        Identity origin = KEY.origin();
        List<StreamKey> others = List.of(
                new StreamKey(new Identity("other", "pod-1", "node-a", "app", "prod"), "checkout"),
                new StreamKey(new Identity("shop", "pod-2", "node-a", "app", "prod"), "checkout"),
                new StreamKey(new Identity("shop", "pod-1", "node-b", "app", "prod"), "checkout"),
                new StreamKey(new Identity("shop", "pod-1", "node-a", "db", "prod"), "checkout"),
                new StreamKey(new Identity("shop", "pod-1", "node-a", "app", "dev"), "checkout"),
                new StreamKey(new Identity("shop", "pod-1", "node-a", "app", null), "checkout"),
                new StreamKey(new Identity(null, null, null, null, null), "checkout"),
                new StreamKey(origin, "cart"),
                new StreamKey(origin, null));

        for (StreamKey other : others) {
            assertThat(other).as("%s", other).isNotEqualTo(KEY);
            assertThat(KEY).as("%s", other).isNotEqualTo(other);
        }
        assertThat(KEY).isNotEqualTo(null).isNotEqualTo(origin);
    }

    @Test
    void streamKeysWithEqualComponentsAreEqualWithEqualHashCodes() {
        for (StreamKey key : List.of(
                KEY,
                new StreamKey(new Identity("shop", null, null, "app", null), null),
                new StreamKey(new Identity(null, null, null, null, null), "checkout"))) {
            Identity origin = key.origin();
            StreamKey copy = new StreamKey(
                    new Identity(
                            copy(origin.namespace()),
                            copy(origin.pod()),
                            copy(origin.node()),
                            copy(origin.container()),
                            copy(origin.cluster())),
                    copy(key.serviceName()));

            assertThat(copy).isEqualTo(key).hasSameHashCodeAs(key);
            assertThat(copy.origin()).isEqualTo(origin).hasSameHashCodeAs(origin);
        }
    }

    /** An equal string that is not the same object, so that equality is not identity. */
    private static String copy(String value) {
        return value == null ? null : new String(value);
    }
}
