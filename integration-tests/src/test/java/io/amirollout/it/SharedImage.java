package io.amirollout.it;

import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeImageAttributeRequest;
import software.amazon.awssdk.services.ec2.model.DescribeImageAttributeResponse;
import software.amazon.awssdk.services.ec2.model.LaunchPermission;

/**
 * DescribeImageAttribute launchPermission for the scenarios: the golden AMIs shared with the organization
 * (moto does not model Image Builder's organization launch permissions; cross-account-invoker's unit tests
 * cover shared and unshared AMIs).
 */
public final class SharedImage {

    private SharedImage() {
    }

    public static Ec2Client withOrganization() {
        return new Ec2Client() {
            @Override
            public DescribeImageAttributeResponse describeImageAttribute(DescribeImageAttributeRequest request) {
                return DescribeImageAttributeResponse.builder().imageId(request.imageId()).launchPermissions(
                        LaunchPermission.builder().organizationArn("arn:aws:organizations::" + Moto.ACCOUNT
                                + ":organization/o-a1b2c3d4e5").build()).build();
            }

            @Override
            public String serviceName() {
                return "ec2";
            }

            @Override
            public void close() {
            }
        };
    }
}
