package io.amirollout.slack;

/** Lets the local end-to-end runner (io.amirollout.it.LocalEndToEnd) build the handler around a service it wired. */
public final class LocalAccess {

    private LocalAccess() {
    }

    public static SlackNotifierHandler handler(SlackNotifierService service) {
        return new SlackNotifierHandler(service);
    }

    /** The production wiring (webhook source, cache, JDK transport) for a configuration. */
    public static SlackNotifierService production(SlackNotifierConfig config) {
        return SlackNotifierHandler.create(config);
    }
}
