package io.sightline.sidecar.ship.loki;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.sightline.sidecar.parse.Identity;
import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.ship.SendResult;
import io.sightline.sidecar.ship.Sink;
import io.sightline.sidecar.ship.http.HttpSender;
import io.sightline.sidecar.ship.http.ResponseMapping;

/**
 * Pushes batches to Loki ({@code POST <LOKI_URL>/loki/api/v1/push}), one request per batch.
 * 204 (any 2xx) accepts the batch; 429 and 5xx ask for a retry with the server's {@code Retry-After};
 * other 4xx refuse the whole batch with Loki's message. Loki answers 400 also when it kept part of
 * a push (e.g. one line too long): the whole batch is then counted as rejected, because the response
 * does not say which entries were kept and resending them would duplicate the kept ones.
 */
public final class LokiSink implements Sink {

    static final String PUSH_PATH = "/loki/api/v1/push";

    private final HttpSender sender;
    private final URI pushUri;
    private final Map<String, String> headers;
    private final LokiStreams streams;
    private final LokiEncoder encoder;
    private final Clock clock;

    public LokiSink(LokiSettings settings, Identity identity) {
        this(settings, identity, Clock.systemUTC());
    }

    LokiSink(LokiSettings settings, Identity identity, Clock clock) {
        this.sender = new HttpSender(settings.http());
        this.pushUri = settings.http().resolve(PUSH_PATH);
        this.headers = settings.tenantId() == null ? Map.of() : Map.of("X-Scope-OrgID", settings.tenantId());
        this.streams = new LokiStreams(identity, settings.defaultServiceName());
        this.encoder = switch (settings.format()) {
            case PROTOBUF -> new ProtobufPushEncoder(streams);
            case JSON -> new JsonPushEncoder(streams);
        };
        this.clock = clock;
    }

    @Override
    public String name() {
        return "loki";
    }

    @Override
    public SendResult send(List<LogRecord> batch) throws IOException {
        if (batch.isEmpty()) {
            return SendResult.ok();
        }
        byte[] body = encoder.encode(streams.group(batch));
        HttpResponse<byte[]> response = sender.post(pushUri, encoder.contentType(), body, headers);
        return ResponseMapping.forBatch(response, batch, clock);
    }
}
