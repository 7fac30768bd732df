package io.amirollout.refresh;

/** Lets the local end-to-end runner (io.amirollout.it.LocalEndToEnd) build the handler around a service it wired. */
public final class LocalAccess {

    private LocalAccess() {
    }

    public static InstanceRefreshHandler handler(InstanceRefreshService service) {
        return new InstanceRefreshHandler(service);
    }
}
