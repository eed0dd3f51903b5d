package io.sightline.sidecar.node.frame;

/** Receives the messages a {@link ContainerLogFramer} completes. */
@FunctionalInterface
public interface FrameHandler {
    void message(FramedMessage message);
}
