package io.sightline.local.logstore;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** Where the sidecars ship the records, and how the launcher counts what arrived. */
public interface LogStore extends AutoCloseable {

    /** For the start-up summary, e.g. "OpenSearch 2.19 (embedded)". */
    String description();

    /** The URL the user opens (and the sidecars write to). */
    URI url();

    /** The sidecar's environment variables that select this store (contract of docs/log-sidecar.md). */
    Map<String, String> sidecarEnvironment();

    /** Records in the store whose metadata says they come from {@code pod} in {@code namespace}. */
    long count(String namespace, String pod) throws IOException;

    /** Records in the store from {@code container} of {@code pod} in {@code namespace}. */
    long count(String namespace, String pod, String container) throws IOException;

    /** For each of {@code fields}: how many records of {@code namespace} lack it (all zero when the contract holds). */
    Map<String, Long> recordsMissing(String namespace, List<String> fields) throws IOException;

    @Override
    void close();
}
