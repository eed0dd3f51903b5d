package io.sightline.sidecar.source;

/**
 * Where a record came from: the file's identity (device, inode and a fingerprint of its first
 * bytes, so a reused inode is a different file) and the byte range of the record in that file.
 * {@code endOffset} is what the checkpoint stores once everything up to it is acknowledged.
 */
public record SourcePosition(String fileId, long startOffset, long endOffset) {}
