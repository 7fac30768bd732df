package io.amirollout.invoker;

import io.amirollout.shared.Log;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.Account;
import software.amazon.awssdk.services.organizations.model.OrganizationalUnit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which accounts to invoke: the static {@code TARGET_ACCOUNTS}, or the organization's accounts
 * (all of them, or those under {@code ORGANIZATIONAL_UNITS}, recursively), only ACTIVE ones,
 * narrowed by the allow list and minus the deny list.
 *
 * <p>Uses the SDK's paginators (page by page: these have no flattened item view), which follow {@code NextToken} until it is absent: Organizations
 * may return an empty page that still carries a token, and stopping there would silently drop
 * accounts.
 */
final class TargetAccounts {

    static final String ACTIVE = "ACTIVE";

    private final OrganizationsClient organizations;
    private final CrossAccountInvokerConfig config;

    TargetAccounts(OrganizationsClient organizations, CrossAccountInvokerConfig config) {
        this.organizations = organizations;
        this.config = config;
    }

    AccountSelection select() {
        return select(null, () -> false);
    }

    /**
     * Lists and filters the accounts; Organizations errors propagate (nothing can be attempted without them).
     * Listing counts against the invocation's time budget: {@code outOfTime} is checked before every page
     * (10,000 accounts are 500 pages), and a listing that cannot finish in time fails with
     * {@link ListingTimedOut} instead of running into the Lambda timeout.
     *
     * @param infraAccount the image's own account: left out unless TARGET_ACCOUNTS / ALLOW_ACCOUNTS name it or
     *                     INCLUDE_INFRA_ACCOUNT is set (its rollout stack, if any, is not a workload target)
     */
    AccountSelection select(String infraAccount, java.util.function.BooleanSupplier outOfTime) {
        this.outOfTime = outOfTime;
        AccountSelection selection = list();
        if (infraAccount == null || config.includeInfraAccount() || config.targetAccounts().contains(infraAccount)
                || config.allowAccounts().contains(infraAccount) || !selection.accounts().contains(infraAccount)) {
            return selection;
        }
        List<SkippedAccount> skipped = new ArrayList<>(selection.skipped());
        skipped.add(new SkippedAccount(infraAccount, "the infra account (a target only when TARGET_ACCOUNTS or "
                + "ALLOW_ACCOUNTS names it, or INCLUDE_INFRA_ACCOUNT=true)"));
        return new AccountSelection(selection.accounts().stream().filter(a -> !a.equals(infraAccount)).toList(), skipped,
                selection.source());
    }

    /** The listing ran out of the invocation's time budget. */
    static final class ListingTimedOut extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ListingTimedOut(int pages) {
            super("the time budget ran out while listing the organization (" + pages + " pages read)");
        }
    }

    private java.util.function.BooleanSupplier outOfTime = () -> false;
    private int pages;

    private <T> T page(T page) {
        pages++;
        if (outOfTime.getAsBoolean()) {
            throw new ListingTimedOut(pages);
        }
        return page;
    }

    private AccountSelection list() {
        pages = 0;
        Map<String, String> stateByAccount = new LinkedHashMap<>();
        String source;
        if (!config.targetAccounts().isEmpty()) {
            // A static list: the infra account may not be allowed to read the organization. States unknown.
            config.targetAccounts().forEach(a -> stateByAccount.putIfAbsent(a, ACTIVE));
            source = "TARGET_ACCOUNTS";
        } else if (!config.organizationalUnits().isEmpty()) {
            listUnder(config.organizationalUnits(), stateByAccount);
            source = "ORGANIZATIONAL_UNITS " + String.join(",", config.organizationalUnits());
        } else {
            organizations.listAccountsPaginator(r -> { }).stream().map(this::page).flatMap(page -> page.accounts().stream())
                    .forEach(a -> stateByAccount.putIfAbsent(a.id(), state(a)));
            source = "organization";
        }
        return filter(stateByAccount, source);
    }

    /** Breadth-first through the OU tree: each parent's accounts and child OUs, every page of each. */
    private void listUnder(List<String> parents, Map<String, String> stateByAccount) {
        Deque<String> queue = new ArrayDeque<>(parents);
        Set<String> seen = new HashSet<>();
        while (!queue.isEmpty()) {
            String parent = queue.poll();
            if (!seen.add(parent)) {
                continue;
            }
            organizations.listAccountsForParentPaginator(r -> r.parentId(parent)).stream().map(this::page)
                    .flatMap(page -> page.accounts().stream())
                    .forEach(a -> stateByAccount.putIfAbsent(a.id(), state(a)));
            organizations.listOrganizationalUnitsForParentPaginator(r -> r.parentId(parent)).stream().map(this::page)
                    .flatMap(page -> page.organizationalUnits().stream()).map(OrganizationalUnit::id).forEach(queue::add);
        }
        Log.info("organizational units walked", "units", seen.size(), "accounts", stateByAccount.size());
    }

    /**
     * The account's lifecycle state. Organizations added {@code State} (PENDING_ACTIVATION, ACTIVE,
     * SUSPENDED, PENDING_CLOSURE, CLOSED) beside the older {@code Status} (ACTIVE, SUSPENDED,
     * PENDING_CLOSURE), which it deprecates: prefer State, fall back to Status.
     */
    static String state(Account account) {
        if (account.stateAsString() != null) {
            return account.stateAsString();
        }
        return account.statusAsString() != null ? account.statusAsString() : "UNKNOWN";
    }

    private AccountSelection filter(Map<String, String> stateByAccount, String source) {
        List<String> accounts = new ArrayList<>();
        List<SkippedAccount> skipped = new ArrayList<>();
        Set<String> allow = new HashSet<>(config.allowAccounts());
        Set<String> deny = new HashSet<>(config.denyAccounts());
        stateByAccount.forEach((account, state) -> {
            if (!ACTIVE.equals(state)) {
                skipped.add(new SkippedAccount(account, "account state " + state));
            } else if (deny.contains(account)) {
                skipped.add(new SkippedAccount(account, "in DENY_ACCOUNTS"));
            } else if (!allow.isEmpty() && !allow.contains(account)) {
                skipped.add(new SkippedAccount(account, "not in ALLOW_ACCOUNTS"));
            } else {
                accounts.add(account);
            }
        });
        Log.info("target accounts selected", "source", source, "accounts", accounts.size(), "skipped", skipped.size());
        return new AccountSelection(accounts, skipped, source);
    }
}
