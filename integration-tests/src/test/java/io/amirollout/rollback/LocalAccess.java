package io.amirollout.rollback;

/** Lets the local end-to-end runner (io.amirollout.it.LocalEndToEnd) build the handler around a service it wired. */
public final class LocalAccess {

    private LocalAccess() {
    }

    public static RollbackOnAlarmHandler handler(RollbackService service) {
        return new RollbackOnAlarmHandler(service);
    }
}
