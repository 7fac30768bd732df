package io.amirollout.invoker;

/** Lets the local end-to-end runner (io.amirollout.it.LocalEndToEnd) build the handler around a service it wired. */
public final class LocalAccess {

    private LocalAccess() {
    }

    public static CrossAccountInvokerHandler handler(CrossAccountInvokerService service) {
        return new CrossAccountInvokerHandler(service);
    }
}
