package io.sightline.sidecar.ship.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
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
import io.sightline.sidecar.config.SettingsTable;

/**
 * Connection settings shared by the HTTP sinks, read under a prefix ({@code LOKI}, {@code OPENSEARCH};
 * see {@link SettingsTable.HttpKeys}). Validated here so a typo stops start-up with the setting's name.
 *
 * @param tls null for the JDK's default trust store; with {@code <P>_CA_FILE}, a context whose only trust
 *            anchors are that file's certificates (host names are still verified)
 */
public record HttpSettings(URI baseUrl, HttpAuth auth, SSLContext tls, Duration timeout) {

    public static HttpSettings from(Settings settings, SettingsTable.HttpKeys keys) {
        URI baseUrl = keys.url().value(settings);
        Optional<String> username = keys.username().find(settings);
        Optional<Path> passwordFile = keys.passwordFile().find(settings);
        Optional<Path> tokenFile = keys.bearerTokenFile().find(settings);
        if (username.isPresent() != passwordFile.isPresent()) {
            throw new ConfigException(keys.username().name() + " and "
                    + keys.passwordFile().name() + " go together for basic auth: set both or neither");
        }
        if (username.isPresent() && tokenFile.isPresent()) {
            throw new ConfigException("both basic auth (" + keys.username().name() + ") and "
                    + keys.bearerTokenFile().name() + " are set: choose one");
        }
        HttpAuth auth = username.<HttpAuth>map(user -> new HttpAuth.Basic(user, passwordFile.get()))
                .or(() -> tokenFile.map(HttpAuth.Bearer::new))
                .orElse(HttpAuth.NONE);
        Optional<Path> caFile = keys.caFile().find(settings);
        if (caFile.isPresent() && !"https".equals(baseUrl.getScheme())) {
            throw new ConfigException(keys.caFile().name() + " is set but "
                    + keys.url().name() + " '" + baseUrl + "' is not https: use an https:// URL or unset "
                    + keys.caFile().name());
        }
        SSLContext tls =
                caFile.map(file -> trusting(keys.caFile().name(), file)).orElse(null);
        return new HttpSettings(baseUrl, auth, tls, keys.timeout().value(settings));
    }

    /** {@code baseUrl} joined with an API path, keeping a path prefix the base URL may have (behind a gateway). */
    public URI resolve(String apiPath) {
        String base = baseUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + apiPath);
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
