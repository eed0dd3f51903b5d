package io.sightline.sidecar.ship.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * How a sink authenticates. Secrets live in files (Kubernetes Secret mounts) and are read again
 * for every request, so a rotated Secret takes effect without a restart.
 */
public sealed interface HttpAuth {

    /** The {@code Authorization} header value, or null when no authentication is configured. */
    String authorizationHeader() throws IOException;

    HttpAuth NONE = new None();

    record None() implements HttpAuth {
        @Override
        public String authorizationHeader() {
            return null;
        }
    }

    record Basic(String username, Path passwordFile) implements HttpAuth {
        @Override
        public String authorizationHeader() throws IOException {
            String credentials = username + ":" + readSecret(passwordFile);
            return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
        }
    }

    record Bearer(Path tokenFile) implements HttpAuth {
        @Override
        public String authorizationHeader() throws IOException {
            return "Bearer " + readSecret(tokenFile);
        }
    }

    /** Secret files often end with a newline (echo, kubectl create secret --from-file): it is not part of the secret. */
    private static String readSecret(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
    }
}
