package io.sightline.sidecar.ship.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A throw-away server certificate for 127.0.0.1 made with the JDK's {@code keytool}, and its PEM
 * (the "custom CA file" a sink is configured with). Self-signed: the certificate is its own CA.
 */
public record SelfSignedCertificate(Path keyStore, Path pem) {

    private static final String PASSWORD = "test-only";

    public static SelfSignedCertificate create(Path dir, String alias) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path keyStore = dir.resolve(alias + ".p12");
        Path pem = dir.resolve(alias + ".pem");
        run(
                List.of(
                        keytool.toString(),
                        "-genkeypair",
                        "-alias",
                        alias,
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=127.0.0.1",
                        "-ext",
                        "san=ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-keystore",
                        keyStore.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        PASSWORD,
                        "-keypass",
                        PASSWORD),
                dir);
        run(
                List.of(
                        keytool.toString(),
                        "-exportcert",
                        "-rfc",
                        "-alias",
                        alias,
                        "-keystore",
                        keyStore.toString(),
                        "-storepass",
                        PASSWORD,
                        "-file",
                        pem.toString()),
                dir);
        return new SelfSignedCertificate(keyStore, pem);
    }

    /** The server side: presents this certificate. */
    public SSLContext serverContext() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static void run(List<String> command, Path dir) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(process.exitValue())
                .as("keytool %s: %s", command.get(1), output)
                .isZero();
    }
}
