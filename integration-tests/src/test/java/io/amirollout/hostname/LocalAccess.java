package io.amirollout.hostname;

/** Lets the local end-to-end runner (io.amirollout.it.LocalEndToEnd) build the handler around a service it wired. */
public final class LocalAccess {

    private LocalAccess() {
    }

    public static TerminationHostnameHandler handler(HostnameService service) {
        return new TerminationHostnameHandler(service);
    }
}
