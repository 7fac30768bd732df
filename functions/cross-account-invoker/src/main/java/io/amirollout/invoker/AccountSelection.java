package io.amirollout.invoker;

import java.util.List;

/** The accounts to invoke, the accounts left out with their reasons, and where the list came from. */
public record AccountSelection(List<String> accounts, List<SkippedAccount> skipped, String source) {

    public AccountSelection {
        accounts = List.copyOf(accounts);
        skipped = List.copyOf(skipped);
    }
}
