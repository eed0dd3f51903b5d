package io.sightline.sidecar.ship.loki;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sightline.sidecar.parse.Identity;
import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.ship.SendResult;
import io.sightline.sidecar.ship.Sink;
import io.sightline.sidecar.ship.http.DestinationCheck;
import io.sightline.sidecar.ship.http.HttpSender;
import io.sightline.sidecar.ship.http.ResponseMapping;

/**
 * Pushes batches to Loki ({@code POST <LOKI_URL>/loki/api/v1/push}), one request per batch.
 * 204 (any 2xx) accepts the batch; other statuses as {@link ResponseMapping} says, except 400:
 * Loki's distributor stores the valid entries of a push and answers 400 with one error per refused
 * entry, grouped by message ({@code N errors like: <message>}, joined by {@code "; "}; a single
 * error alone). Those are counted as rejected and the rest as accepted; nothing is resent, which
 * would store the valid entries twice. A 400 that names no entry (an undecodable push) refuses all.
 */
public final class LokiSink implements Sink {

    static final String PUSH_PATH = "/loki/api/v1/push";

    /** Loki's errors of a push, one per refused entry (about 200 bytes each), must be read to be counted. */
    private static final int RESPONSE_BYTES_BASE = 64 << 10;

    private static final int RESPONSE_BYTES_PER_RECORD = 512;
    private static final Pattern GROUP = Pattern.compile("(?:^|; )(\\d{1,9}) errors like: ");
    /** Loki's messages for one refused entry (line too long, too old, too new, structured metadata). */
    private static final Pattern ENTRY_ERROR =
            Pattern.compile("Max entry size|entry for stream .* has timestamp too|structured metadata", Pattern.DOTALL);

    private final HttpSender sender;
    private final URI pushUri;
    private final Map<String, String> headers;
    private final LokiStreams streams;
    private final LokiEncoder encoder;
    private final Clock clock;
    private final DestinationCheck check;

    public LokiSink(LokiSettings settings, Identity identity) {
        this(settings, identity, Clock.systemUTC(), null);
    }

    /** With {@code check} (Loki's {@code /ready}; null: none) run by {@link #checkDestination}. */
    public LokiSink(LokiSettings settings, Identity identity, DestinationCheck check) {
        this(settings, identity, Clock.systemUTC(), check);
    }

    LokiSink(LokiSettings settings, Identity identity, Clock clock) {
        this(settings, identity, clock, null);
    }

    private LokiSink(LokiSettings settings, Identity identity, Clock clock, DestinationCheck check) {
        this.sender = new HttpSender(settings.http());
        this.pushUri = settings.http().resolve(PUSH_PATH);
        this.headers = headers(settings);
        this.streams = new LokiStreams(identity, settings.defaultServiceName());
        this.encoder = switch (settings.format()) {
            case PROTOBUF -> new ProtobufPushEncoder(streams);
            case JSON -> new JsonPushEncoder(streams);
        };
        this.clock = clock;
        this.check = check;
    }

    /** The request headers of every push ({@code X-Scope-OrgID} with a tenant), for the destination check too. */
    public static Map<String, String> headers(LokiSettings settings) {
        return settings.tenantId() == null ? Map.of() : Map.of("X-Scope-OrgID", settings.tenantId());
    }

    @Override
    public String name() {
        return "loki";
    }

    @Override
    public void checkDestination() {
        if (check != null) {
            check.run(sender);
        }
    }

    @Override
    public SendResult send(List<LogRecord> batch) throws IOException {
        if (batch.isEmpty()) {
            return SendResult.ok();
        }
        byte[] body = encoder.encode(streams.group(batch));
        HttpSender.Response response = sender.post(
                pushUri,
                encoder.contentType(),
                body,
                headers,
                RESPONSE_BYTES_BASE + RESPONSE_BYTES_PER_RECORD * batch.size());
        if (response.status() == 400) {
            String errors = new String(response.body(), StandardCharsets.UTF_8);
            return SendResult.rejected(
                    refusedEntries(errors, batch.size()), ResponseMapping.message(400, response.body()));
        }
        return ResponseMapping.forBatch(response, batch, clock);
    }

    /** How many entries of a push of {@code pushed} Loki's 400 message says it refused. */
    static int refusedEntries(String errors, int pushed) {
        if (!ENTRY_ERROR.matcher(errors).find()) {
            return pushed; // not about entries: the push as a whole was refused
        }
        Matcher group = GROUP.matcher(errors);
        int refused = 0;
        boolean grouped = false;
        while (group.find()) {
            grouped = true;
            refused += Integer.parseInt(group.group(1));
        }
        return Math.min(pushed, grouped ? refused : 1);
    }
}
