package io.sightline.sidecar.ship.opensearch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import io.sightline.sidecar.parse.Identity;
import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.source.SourcePosition;

/**
 * Document ids that are the same every time a record is read: a record is identified by the pod
 * and container it comes from (namespace, pod, container), its file (device, inode, fingerprint) and
 * its start offset, so a batch resent after a crash or a lost response hits the same ids and
 * {@code op_type=create} refuses the copies (409). The pod is part of it because files of two pods
 * can share an inode number and first bytes (an emptyDir on each of two nodes): without it the
 * second pod's record would be refused as already stored.
 * 120 bits of SHA-256, base64url: 20 characters, collisions negligible.
 */
final class DocumentIds {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final int ID_BYTES = 15;

    private final MessageDigest sha256;

    /** One instance per send: {@link MessageDigest} is not thread-safe. */
    DocumentIds() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The id of {@code record} of container {@code origin} (the sidecar's own, or the node agent's record's). */
    String idFor(Identity origin, LogRecord record) {
        sha256.update((origin.namespace() + '\u0000' + origin.pod() + '\u0000' + origin.container() + '\u0000')
                .getBytes(StandardCharsets.UTF_8));
        SourcePosition position = record.position();
        if (position != null) {
            sha256.update(position.fileId().getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            updateLong(position.startOffset());
        } else {
            // records without a file position (not read from a file): the content is the identity
            updateLong(record.timestampNanos());
            sha256.update(record.lineBytes());
        }
        byte[] digest = sha256.digest();
        byte[] id = new byte[ID_BYTES];
        System.arraycopy(digest, 0, id, 0, ID_BYTES);
        return BASE64URL.encodeToString(id);
    }

    private void updateLong(long value) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            sha256.update((byte) (value >>> shift));
        }
    }
}
