package io.sightline.sidecar.ship.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.sightline.sidecar.config.ConfigException;
import io.sightline.sidecar.config.Settings;

/**
 * Connection settings shared by the HTTP sinks, read under a prefix ({@code LOKI}, {@code OPENSEARCH}):
 * {@code <P>_URL}, {@code <P>_USERNAME} + {@code <P>_PASSWORD_FILE} or {@code <P>_BEARER_TOKEN_FILE},
 * {@code <P>_CA_FILE}, {@code <P>_TIMEOUT}. Validated here so a typo stops start-up with the setting's name.
 *
 * @param tls null for the JDK's default trust store; with {@code <P>_CA_FILE}, a context whose only trust
 *            anchors are that file's certificates (host names are still verified)
 */
public record HttpSettings(URI baseUrl, HttpAuth auth, SSLContext tls, Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public static HttpSettings from(Settings settings, String prefix, String defaultUrl) {
        String urlKey = prefix + "_URL";
        URI baseUrl = parseUrl(urlKey, settings.get(urlKey, defaultUrl));

        Optional<String> username = settings.get(prefix + "_USERNAME").filter(s -> !s.isBlank());
        Optional<Path> passwordFile = readableFile(settings, prefix + "_PASSWORD_FILE");
        Optional<Path> tokenFile = readableFile(settings, prefix + "_BEARER_TOKEN_FILE");
        if (username.isPresent() != passwordFile.isPresent()) {
            throw new ConfigException(prefix + "_USERNAME and " + prefix + "_PASSWORD_FILE go together for basic auth:"
                    + " set both or neither");
        }
        if (username.isPresent() && tokenFile.isPresent()) {
            throw new ConfigException("both basic auth (" + prefix + "_USERNAME) and " + prefix
                    + "_BEARER_TOKEN_FILE are set: choose one");
        }
        HttpAuth auth = username.<HttpAuth>map(user -> new HttpAuth.Basic(user, passwordFile.get()))
                .or(() -> tokenFile.map(HttpAuth.Bearer::new))
                .orElse(HttpAuth.NONE);

        Optional<Path> caFile = readableFile(settings, prefix + "_CA_FILE");
        if (caFile.isPresent() && !"https".equals(baseUrl.getScheme())) {
            throw new ConfigException(prefix + "_CA_FILE is set but " + urlKey + " '" + baseUrl
                    + "' is not https: use an https:// URL or unset " + prefix + "_CA_FILE");
        }
        Duration timeout = settings.getDuration(prefix + "_TIMEOUT", DEFAULT_TIMEOUT);
        if (timeout.isZero() || timeout.isNegative()) {
            throw ConfigException.invalid(prefix + "_TIMEOUT", timeout.toString(), "a positive duration such as 10s");
        }
        SSLContext tls = caFile.map(file -> trusting(prefix + "_CA_FILE", file)).orElse(null);
        return new HttpSettings(baseUrl, auth, tls, timeout);
    }

    /** {@code baseUrl} joined with an API path, keeping a path prefix the base URL may have (behind a gateway). */
    public URI resolve(String apiPath) {
        String base = baseUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + apiPath);
    }

    private static URI parseUrl(String key, String value) {
        String expected = "an http:// or https:// URL with a host, such as http://loki:3100";
        try {
            URI uri = new URI(value.strip());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    || uri.getHost() == null
                    || uri.getQuery() != null
                    || uri.getFragment() != null) {
                throw ConfigException.invalid(key, value, expected);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw ConfigException.invalid(key, value, expected);
        }
    }

    private static Optional<Path> readableFile(Settings settings, String key) {
        return settings.get(key).filter(s -> !s.isBlank()).map(value -> {
            Path path = Path.of(value.strip());
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw new ConfigException("cannot read " + key + " '" + value + "': mount the file there"
                        + " (e.g. from a Secret) or unset " + key);
            }
            return path;
        });
    }

    /** An SSL context whose only trust anchors are the certificates in a PEM file. */
    private static SSLContext trusting(String key, Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> certificates =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new ConfigException(
                        "no certificate in " + key + " '" + caFile + "': expected PEM-encoded X.509 certificates");
            }
            KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
            trustStore.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                trustStore.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("cannot use " + key + " '" + caFile + "' (" + e.getMessage()
                    + "): expected PEM-encoded X.509 certificates");
        }
    }
}
