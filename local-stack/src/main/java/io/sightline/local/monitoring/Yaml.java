package io.sightline.local.monitoring;

import java.util.ArrayList;
import java.util.List;

import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/** Block-style YAML out, plain objects in; the one place that knows snakeyaml-engine. */
final class Yaml {

    private Yaml() {}

    static String dump(Object document) {
        return new Dump(DumpSettings.builder()
                        .setDefaultFlowStyle(FlowStyle.BLOCK)
                        .build())
                .dumpToString(document);
    }

    static List<Object> loadAll(String text) {
        List<Object> documents = new ArrayList<>();
        new Load(LoadSettings.builder().build()).loadAllFromString(text).forEach(documents::add);
        return documents;
    }
}
