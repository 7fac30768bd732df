package io.amirollout.refresh;

/**
 * Whether an AMI name belongs to an image name. A bare prefix is not enough: "golden-al2023" is a
 * prefix of "golden-al2023-arm64 …", another image (usually another architecture) that must never
 * be taken for it just because it was built a little later.
 *
 * <p>The rule: the AMI name is the image name itself, or the image name followed by a space
 * (Image Builder's own naming and this project's distribution configuration:
 * {@code <image name> {{ imagebuilder:buildDate }}}). Fallback for AMIs named the other common way,
 * {@code <image name>-{{ imagebuilder:buildDate }}} or {@code <name>-1.0.3}: the image name followed
 * by {@code -}, {@code _} or {@code .} and then a digit (a date or a version, never a word such as
 * {@code -arm64}). Known limit of the fallback: image names that differ only by a trailing
 * "-&lt;digit&gt;…" ("app" and "app-2") cannot be told apart; give images distinct names.
 */
final class ImageNames {

    private ImageNames() {
    }

    static boolean matches(String imageName, String amiName) {
        if (imageName == null || amiName == null || !amiName.startsWith(imageName)) {
            return false;
        }
        if (amiName.length() == imageName.length()) {
            return true;
        }
        char next = amiName.charAt(imageName.length());
        if (next == ' ') {
            return true;
        }
        return (next == '-' || next == '_' || next == '.') && amiName.length() > imageName.length() + 1
                && Character.isDigit(amiName.charAt(imageName.length() + 1));
    }
}
