package io.amirollout.invoker;

/** An account left out on purpose, and why (not ACTIVE, deny list, outside the allow list). */
public record SkippedAccount(String accountId, String reason) {
}
