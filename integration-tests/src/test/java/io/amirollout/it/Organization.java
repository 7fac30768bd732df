package io.amirollout.it;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.CreateAccountStatus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * An AWS Organization in moto, managed from the default account (the infra account):
 * <pre>
 * root
 *  ├─ sandbox                       ACTIVE, outside the workloads OU
 *  └─ OU workloads
 *      ├─ prod-b                    ACTIVE
 *      ├─ closed                    SUSPENDED (CloseAccount: moto's closed state)
 *      └─ OU prod
 *          └─ prod-a                ACTIVE
 * </pre>
 * Each account gets the instance-refresh function (a stand-in zip) in the regions asked for.
 */
public final class Organization {

    public static final String FUNCTION = "ami-rollout-instance-refresh";
    public static final String ROLE = "ami-rollout-invoker";

    public final String rootId;
    public final String workloadsOu;
    public final String prodOu;
    public final String prodA;
    public final String prodB;
    public final String closed;
    public final String sandbox;

    private Organization(String rootId, String workloadsOu, String prodOu, String prodA, String prodB, String closed, String sandbox) {
        this.rootId = rootId;
        this.workloadsOu = workloadsOu;
        this.prodOu = prodOu;
        this.prodA = prodA;
        this.prodB = prodB;
        this.closed = closed;
        this.sandbox = sandbox;
    }

    public static Organization create() {
        OrganizationsClient org = Moto.client(OrganizationsClient.builder().region(Region.AWS_GLOBAL));
        org.createOrganization(r -> r.featureSet("ALL"));
        String root = org.listRoots(r -> { }).roots().get(0).id();
        String workloads = org.createOrganizationalUnit(r -> r.parentId(root).name("workloads")).organizationalUnit().id();
        String prod = org.createOrganizationalUnit(r -> r.parentId(workloads).name("prod")).organizationalUnit().id();
        String prodA = account(org, "prod-a");
        String prodB = account(org, "prod-b");
        String closed = account(org, "closed");
        String sandbox = account(org, "sandbox");
        org.moveAccount(r -> r.accountId(prodA).sourceParentId(root).destinationParentId(prod));
        org.moveAccount(r -> r.accountId(prodB).sourceParentId(root).destinationParentId(workloads));
        org.moveAccount(r -> r.accountId(closed).sourceParentId(root).destinationParentId(workloads));
        org.closeAccount(r -> r.accountId(closed));
        return new Organization(root, workloads, prod, prodA, prodB, closed, sandbox);
    }

    private static String account(OrganizationsClient org, String name) {
        CreateAccountStatus status = org.createAccount(r -> r.accountName(name).email(name + "@example.com")).createAccountStatus();
        return org.describeCreateAccountStatus(r -> r.createAccountRequestId(status.id())).createAccountStatus().accountId();
    }

    /** Deploys the (stand-in) instance-refresh function into each account × region. */
    public void deployFunction(List<String> accounts, List<Region> regions) {
        for (String account : accounts) {
            String role = Moto.createLambdaRole(account, "instance-refresh-exec");
            for (Region region : regions) {
                Moto.client(LambdaClient.builder(), account, region).createFunction(r -> r.functionName(FUNCTION)
                        .runtime(Runtime.JAVA21).handler("io.amirollout.refresh.InstanceRefreshHandler").role(role)
                        .code(c -> c.zipFile(SdkBytes.fromByteArray(standInZip()))));
            }
        }
    }

    public void deleteFunction(String account, Region region) {
        Moto.client(LambdaClient.builder(), account, region).deleteFunction(r -> r.functionName(FUNCTION));
    }

    public List<String> active() {
        return List.of(prodA, prodB, sandbox);
    }

    private static byte[] standInZip() {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("README.txt"));
            zip.write("stand-in: moto does not run Java functions without Docker".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.finish();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
