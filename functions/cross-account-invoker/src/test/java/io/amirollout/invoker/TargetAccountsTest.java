package io.amirollout.invoker;

import io.amirollout.shared.Env;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.ListAccountsForParentRequest;
import software.amazon.awssdk.services.organizations.model.ListAccountsForParentResponse;
import software.amazon.awssdk.services.organizations.model.ListAccountsRequest;
import software.amazon.awssdk.services.organizations.model.ListAccountsResponse;
import software.amazon.awssdk.services.organizations.model.ListOrganizationalUnitsForParentRequest;
import software.amazon.awssdk.services.organizations.model.ListOrganizationalUnitsForParentResponse;
import software.amazon.awssdk.services.organizations.model.OrganizationalUnit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.amirollout.invoker.Fakes.account;
import static org.junit.jupiter.api.Assertions.*;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.*;

class TargetAccountsTest {

    /** Real paginator default methods over stubbed list calls (the paginators are what the code uses). */
    static OrganizationsClient organizations() {
        return mock(OrganizationsClient.class, withSettings().defaultAnswer(CALLS_REAL_METHODS));
    }

    static CrossAccountInvokerConfig config(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("TARGET_ROLE_NAME", "ami-rollout-invoke",
                "TARGET_FUNCTION_NAME", "ami-rollout-instance-refresh", "STATE_TABLE_NAME", "state",
                "SOURCE_PIPELINE_ARNS", "arn:aws:imagebuilder:eu-west-1:111122223333:image-pipeline/golden-al2023"));
        env.putAll(extra);
        return CrossAccountInvokerConfig.from(Env.of(env));
    }

    @Test
    void emptyPagesWithANextTokenDoNotEndTheListing() {
        OrganizationsClient org = organizations();
        doReturn(ListAccountsResponse.builder().accounts(account("111111111111", "ACTIVE", "ACTIVE")).nextToken("t1").build())
                .when(org).listAccounts(argThat((ListAccountsRequest r) -> r.nextToken() == null));
        doReturn(ListAccountsResponse.builder().accounts(List.of()).nextToken("t2").build())
                .when(org).listAccounts(argThat((ListAccountsRequest r) -> "t1".equals(r.nextToken())));
        doReturn(ListAccountsResponse.builder().accounts(List.of()).nextToken("t3").build())
                .when(org).listAccounts(argThat((ListAccountsRequest r) -> "t2".equals(r.nextToken())));
        doReturn(ListAccountsResponse.builder().accounts(account("222222222222", "ACTIVE", "ACTIVE")).build())
                .when(org).listAccounts(argThat((ListAccountsRequest r) -> "t3".equals(r.nextToken())));

        AccountSelection s = new TargetAccounts(org, config(Map.of())).select();

        assertEquals(List.of("111111111111", "222222222222"), s.accounts());
        verify(org, times(4)).listAccounts(any(ListAccountsRequest.class));
    }

    @Test
    void onlyActiveAccountsPreferringTheNewStateField() {
        OrganizationsClient org = organizations();
        doReturn(ListAccountsResponse.builder().accounts(
                account("111111111111", "ACTIVE", "ACTIVE"),
                account("222222222222", "SUSPENDED", "SUSPENDED"),
                account("333333333333", "PENDING_CLOSURE", "PENDING_CLOSURE"),
                account("444444444444", "CLOSED", "SUSPENDED"),
                account("555555555555", "PENDING_ACTIVATION", "ACTIVE"),
                account("666666666666", null, "ACTIVE"),
                account("777777777777", null, "SUSPENDED")).build())
                .when(org).listAccounts(any(ListAccountsRequest.class));

        AccountSelection s = new TargetAccounts(org, config(Map.of())).select();

        assertEquals(List.of("111111111111", "666666666666"), s.accounts());
        assertEquals(List.of(new SkippedAccount("222222222222", "account state SUSPENDED"),
                new SkippedAccount("333333333333", "account state PENDING_CLOSURE"),
                new SkippedAccount("444444444444", "account state CLOSED"),
                new SkippedAccount("555555555555", "account state PENDING_ACTIVATION"),
                new SkippedAccount("777777777777", "account state SUSPENDED")), s.skipped());
    }

    @Test
    void organizationalUnitsAreWalkedRecursivelyAcrossPages() {
        OrganizationsClient org = organizations();
        // ou-root-a has two pages of child OUs; ou-child-b has a grandchild ou-gc-c.
        stubAccounts(org, "ou-ab12-aaaaaaaa", null, List.of("111111111111"), null);
        stubAccounts(org, "ou-ab12-bbbbbbbb", null, List.of("222222222222"), "p2");
        stubAccounts(org, "ou-ab12-bbbbbbbb", "p2", List.of("333333333333"), null);
        stubAccounts(org, "ou-ab12-cccccccc", null, List.of("444444444444", "111111111111"), null);
        stubAccounts(org, "ou-ab12-dddddddd", null, List.of(), null);
        stubChildren(org, "ou-ab12-aaaaaaaa", null, List.of("ou-ab12-bbbbbbbb"), "c2");
        stubChildren(org, "ou-ab12-aaaaaaaa", "c2", List.of("ou-ab12-dddddddd"), null);
        stubChildren(org, "ou-ab12-bbbbbbbb", null, List.of("ou-ab12-cccccccc"), null);
        stubChildren(org, "ou-ab12-cccccccc", null, List.of(), null);
        stubChildren(org, "ou-ab12-dddddddd", null, List.of(), null);

        AccountSelection s = new TargetAccounts(org, config(Map.of("ORGANIZATIONAL_UNITS", "ou-ab12-aaaaaaaa"))).select();

        assertEquals(List.of("111111111111", "222222222222", "333333333333", "444444444444"), s.accounts());
        verify(org, never()).listAccounts(any(ListAccountsRequest.class));
    }

    private static void stubAccounts(OrganizationsClient org, String parent, String token, List<String> ids, String next) {
        doReturn(ListAccountsForParentResponse.builder()
                .accounts(ids.stream().map(id -> account(id, "ACTIVE", "ACTIVE")).toList()).nextToken(next).build())
                .when(org).listAccountsForParent(argThat((ListAccountsForParentRequest r) ->
                        r != null && parent.equals(r.parentId()) && java.util.Objects.equals(token, r.nextToken())));
    }

    private static void stubChildren(OrganizationsClient org, String parent, String token, List<String> ids, String next) {
        doReturn(ListOrganizationalUnitsForParentResponse.builder()
                .organizationalUnits(ids.stream().map(id -> OrganizationalUnit.builder().id(id).build()).toList())
                .nextToken(next).build())
                .when(org).listOrganizationalUnitsForParent(argThat((ListOrganizationalUnitsForParentRequest r) ->
                        r != null && parent.equals(r.parentId()) && java.util.Objects.equals(token, r.nextToken())));
    }

    @Test
    void allowAndDenyLists() {
        OrganizationsClient org = organizations();
        doReturn(ListAccountsResponse.builder().accounts(account("111111111111", "ACTIVE", null),
                account("222222222222", "ACTIVE", null), account("333333333333", "ACTIVE", null)).build())
                .when(org).listAccounts(any(ListAccountsRequest.class));

        AccountSelection s = new TargetAccounts(org, config(Map.of("ALLOW_ACCOUNTS", "111111111111,222222222222",
                "DENY_ACCOUNTS", "222222222222"))).select();

        assertEquals(List.of("111111111111"), s.accounts());
        assertEquals(List.of(new SkippedAccount("222222222222", "in DENY_ACCOUNTS"),
                new SkippedAccount("333333333333", "not in ALLOW_ACCOUNTS")), s.skipped());
    }

    @Test
    void staticListDoesNotCallOrganizations() {
        OrganizationsClient org = mock(OrganizationsClient.class);
        AccountSelection s = new TargetAccounts(org, config(Map.of("TARGET_ACCOUNTS", "111111111111 222222222222 111111111111",
                "DENY_ACCOUNTS", "222222222222"))).select();
        assertEquals(List.of("111111111111"), s.accounts());
        assertEquals("TARGET_ACCOUNTS", s.source());
        verifyNoInteractions(org);
    }
}
