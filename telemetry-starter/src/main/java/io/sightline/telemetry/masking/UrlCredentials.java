package io.sightline.telemetry.masking;

/**
 * Masks passwords in URLs: {@code scheme://user:password@host} (JDBC, Redis including its user-less
 * {@code redis://:password@host}, AMQP, MongoDB, HTTP) and Oracle's {@code jdbc:oracle:thin:user/password@host}.
 * E-mail addresses and {@code host:port} have no userinfo and stay as they are.
 * <p>
 * Hand-written scans rather than regular expressions: each scan stops at the next {@code '/'}, which
 * every fragment that starts a match contains, so no character is scanned more than twice and a line
 * of unfinished URL fragments costs time linear in its length.
 */
final class UrlCredentials {

    private static final String SCHEME_SEPARATOR = "://";

    private static final String ORACLE = "jdbc:oracle:";

    private UrlCredentials() {}

    /** Cheap pre-check: only text with an {@code '@'} can hold a credential in a URL. */
    static boolean mayContain(String text) {
        return text.indexOf('@') >= 0;
    }

    static String mask(String text) {
        return maskOracle(maskUserInfo(text));
    }

    private static String maskUserInfo(String text) {
        Replacements out = new Replacements(text);
        int from = 0;
        for (int separator = text.indexOf(SCHEME_SEPARATOR);
                separator >= 0;
                separator = text.indexOf(SCHEME_SEPARATOR, from)) {
            int authority = separator + SCHEME_SEPARATOR.length();
            int colon = -1;
            int at = -1;
            int end = authority;
            for (; end < text.length() && !endsAuthority(text.charAt(end)); end++) {
                char c = text.charAt(end);
                if (c == '@') {
                    at = end; // the last '@' ends the userinfo: a password may contain '@'
                } else if (c == ':' && colon < 0) {
                    colon = end;
                }
            }
            from = end;
            if (at >= 0 && colon >= 0 && colon < at && hasScheme(text, separator)) {
                out.replace(colon + 1, at);
            }
        }
        return out.result();
    }

    private static String maskOracle(String text) {
        if (!text.contains(ORACLE)) {
            return text;
        }
        Replacements out = new Replacements(text);
        int from = 0;
        for (int start = text.indexOf(ORACLE); start >= 0; start = text.indexOf(ORACLE, from)) {
            int position = start + ORACLE.length();
            while (position < text.length() && Character.isLetter(text.charAt(position))) {
                position++; // driver type: thin, oci
            }
            from = position;
            if (position >= text.length() || text.charAt(position) != ':') {
                continue;
            }
            int slash = scanTo(text, position + 1, '/', ":@");
            from = Math.max(from, slash);
            if (slash < 0 || slash == position + 1) {
                continue; // no user: jdbc:oracle:thin:@host
            }
            int at = scanTo(text, slash + 1, '@', "/");
            from = Math.max(from, (at < 0) ? slash + 1 : at);
            if (at > slash + 1) {
                out.replace(slash + 1, at);
            }
        }
        return out.result();
    }

    /** Index of {@code target} from {@code from}, or -1 when whitespace or one of {@code stops} comes first. */
    private static int scanTo(String text, int from, char target, String stops) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == target) {
                return i;
            }
            if (Character.isWhitespace(c) || stops.indexOf(c) >= 0) {
                return -1;
            }
        }
        return -1;
    }

    /** Characters that end a URL's authority (host part) in running text. */
    private static boolean endsAuthority(char c) {
        return c == '/' || c == '?' || c == '#' || Character.isWhitespace(c) || "\"'<>\\{}|^`".indexOf(c) >= 0;
    }

    /** A scheme of at least one letter right before {@code ://}. */
    private static boolean hasScheme(String text, int separator) {
        return separator > 0 && isSchemeChar(text.charAt(separator - 1));
    }

    private static boolean isSchemeChar(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '+'
                || c == '.'
                || c == '-';
    }

    /** Collects replacements of text ranges by {@link Masker#MASK}, left to right. */
    private static final class Replacements {

        private final String text;

        private StringBuilder out;

        private int copied;

        Replacements(String text) {
            this.text = text;
        }

        void replace(int start, int end) {
            if (end - start == Masker.MASK.length() && this.text.startsWith(Masker.MASK, start)) {
                return; // already masked
            }
            if (this.out == null) {
                this.out = new StringBuilder(this.text.length());
            }
            this.out.append(this.text, this.copied, start).append(Masker.MASK);
            this.copied = end;
        }

        String result() {
            return (this.out == null)
                    ? this.text
                    : this.out
                            .append(this.text, this.copied, this.text.length())
                            .toString();
        }
    }
}
