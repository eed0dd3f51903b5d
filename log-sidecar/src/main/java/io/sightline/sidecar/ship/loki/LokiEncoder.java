package io.sightline.sidecar.ship.loki;

import java.io.IOException;
import java.util.List;

/** Encodes the streams of one push in one of the formats Loki's push endpoint accepts. */
interface LokiEncoder {

    String contentType();

    byte[] encode(List<LokiStream> streams) throws IOException;
}
