package io.amirollout.janitor;

/** Tag keys and values the janitor reads and writes. */
final class JanitorTags {

    /**
     * "To help you keep track of Amazon Machine Images (AMIs) that you've distributed, Image Builder
     * automatically adds the following tags to your output AMIs: "CreatedBy":"EC2 Image Builder",
     * "Ec2ImageBuilderArn":"arn:aws:imagebuilder:us-west-2:123456789012:image/simple-recipe-linux/1.0.0/10""
     * (EC2 Image Builder user guide, "Tag Image Builder output resources").
     */
    static final String CREATED_BY = "CreatedBy";
    static final String CREATED_BY_IMAGE_BUILDER = "EC2 Image Builder";
    static final String BUILDER_ARN = "Ec2ImageBuilderArn";

    /** The original design's protection: key and value both case-sensitive. */
    static final String RETAIN = "RetainIndefinitely";
    static final String RETAIN_VALUE = "true";

    /** The mark's mirror on the AMI (the state table is the record): the instant after which it is deregistered. */
    static final String DEREGISTER_AFTER = "ami-rollout:deregister-after";

    private JanitorTags() {
    }
}
