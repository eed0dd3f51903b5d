package io.sightline.sidecar.parse;

import io.sightline.sidecar.config.Settings;
import io.sightline.sidecar.config.SettingsTable;

/** Reads the {@link Identity} from the Downward API variables named in contract section 1. */
public final class Identities {

    private Identities() {}

    public static Identity from(Settings settings) {
        return new Identity(
                SettingsTable.POD_NAMESPACE.find(settings).orElse(null),
                SettingsTable.POD_NAME.find(settings).orElse(null),
                SettingsTable.NODE_NAME.find(settings).orElse(null),
                SettingsTable.CONTAINER_NAME.find(settings).orElse(null),
                SettingsTable.CLUSTER_NAME.find(settings).orElse(null));
    }
}
