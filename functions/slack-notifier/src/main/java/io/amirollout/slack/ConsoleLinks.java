package io.amirollout.slack;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * AWS console links for messages. The scheme, for a region R and CONSOLE_BASE_URL B:
 * <ul>
 *   <li>B's host is {@code console.aws.amazon.com} (the default): {@code https://R.console.aws.amazon.com/<service
 *       path>?region=R#<page>} — the regional console host, which opens straight in R;</li>
 *   <li>any other B (GovCloud, China, a sign-in proxy): {@code B/<service path>?region=R#<page>}.</li>
 * </ul>
 * No link is made when the region is not a real region code (AWS's sample events carry placeholders).
 */
public final class ConsoleLinks {

    private static final String DEFAULT_HOST = "console.aws.amazon.com";
    private final URI base;

    public ConsoleLinks(String consoleBaseUrl) {
        this.base = URI.create(consoleBaseUrl.replaceAll("/+$", ""));
    }

    /** EC2 console, Auto Scaling group page on its Instance refresh tab. */
    public String autoScalingGroup(String region, String group) {
        return group == null ? null : page(region, "ec2/home", "AutoScalingGroupDetails:id=" + encode(group) + ";view=instanceRefresh");
    }

    /** EC2 console, AMI details page. */
    public String ami(String region, String imageId) {
        return imageId == null || !imageId.startsWith("ami-") ? null : page(region, "ec2/home", "ImageDetails:imageId=" + encode(imageId));
    }

    /** CloudWatch console, the alarm's page. */
    public String alarm(String region, String alarmName) {
        return alarmName == null ? null : page(region, "cloudwatch/home", "alarmsV2:alarm/" + encode(alarmName));
    }

    /** Image Builder console, the images list (its per-image page address is not documented). */
    public String imageBuilderImages(String region) {
        return page(region, "imagebuilder/home", "/images");
    }

    private String page(String region, String path, String fragment) {
        if (region == null || !region.matches("[a-z]{2}(-[a-z]+)+-\\d{1,2}")) {
            return null;
        }
        String origin = base.getScheme() + "://" + (DEFAULT_HOST.equals(base.getHost()) ? region + "." + DEFAULT_HOST : base.getRawAuthority());
        return origin + "/" + path + "?region=" + region + "#" + fragment;
    }

    /** Percent-encoding that also covers the characters Slack's link markup gives meaning to (| and >). */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
