package io.amirollout.pipeline;

/** Lets the local end-to-end runner (io.amirollout.it.LocalEndToEnd) build the handler around a service it wired. */
public final class LocalAccess {

    private LocalAccess() {
    }

    public static PipelineStarterHandler handler(PipelineStarterService service) {
        return new PipelineStarterHandler(service);
    }
}
