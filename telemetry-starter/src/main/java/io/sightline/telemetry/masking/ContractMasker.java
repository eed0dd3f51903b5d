package io.sightline.telemetry.masking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The contract's masking rules (telemetry contract, section 6); what {@link Masker#defaults()} and
 * {@link Masker#withExtraKeys} return.
 * <p>
 * Masked: values of sensitive keys ({@link #KEY_WORDS}, any case, plus configured extra keys) written as
 * {@code key=value}, {@code "key":"value"} or {@code key: value}; whole {@code Cookie:}/{@code Set-Cookie:}
 * headers; {@code Bearer} tokens; passwords in URLs ({@link UrlCredentials}); AWS access key ids; JSON Web
 * Tokens; card numbers (13 to 19 digits that pass the Luhn check, so order ids and timestamps stay
 * readable).
 * <p>
 * A sensitive word only counts when it ends a word part: {@code client_secret}, {@code accessToken}
 * and {@code JSESSIONID} are sensitive, {@code tokenizer} and {@code max_tokens} are not.
 * <p>
 * Instances are immutable and thread-safe. {@link #mask(String)} runs on every log line, so cheap
 * scans come first: key/value matching is only tried where a sensitive word starts, and the other
 * rules only run when their tell-tale characters are present. Every rule is linear in the text's
 * length (each match attempt is bounded, or a hand-written scan that never revisits a character more
 * than twice) and never recurses deeply, so a huge or hostile message cannot stall the log writer.
 */
final class ContractMasker implements Masker {

    /**
     * The contract's sensitive key words, the one list both the key expression and the cheap scan's
     * hints are derived from. A {@code '-'} stands for an optional {@code '-'} or {@code '_'}:
     * {@code api-key} covers {@code apikey}, {@code api_key} and {@code api-key}.
     */
    static final List<String> KEY_WORDS =
            List.of("password", "passwd", "secret", "token", "api-key", "authorization", "cookie", "session");

    /** Starts a {@code Bearer} token, which is masked without a key. */
    private static final String BEARER_HINT = "bearer";

    /** Rest of a key after the sensitive word ({@code _hash} in {@code password_hash}); bounded to keep matching linear. */
    private static final String KEY_REST = "[\\w.\\-]{0,64}";

    /**
     * Start of a value: an opening quote, an escaped quote (JSON inside a string), or a whole bare word
     * with an optional authorization scheme. Quoted values are ended by {@link #quotedValueEnd} rather
     * than by the regex: Java's regex engine recurses per repetition, which a long quoted value with
     * escapes would turn into a stack overflow on the log writer thread.
     */
    private static final String VALUE =
            "(?<value>\"|\\\\\"|'" + "|(?<scheme>(?i:bearer|basic|digest|negotiate)\\s+)?[^\\s,;&\"'<>(){}\\[\\]]+)";

    private static final String ESCAPED_QUOTE = "\\\"";

    /** A whole {@code Cookie:} or {@code Set-Cookie:} header value (all its cookies). */
    private static final Pattern COOKIE_HEADER = Pattern.compile("(?i)(?<!\\w)cookie\\s*:\\s*(?<value>[^\\r\\n\"]+)");

    private static final Pattern BEARER =
            Pattern.compile("(?<![\\w-])(?:[Bb]earer|BEARER)\\s+(?<value>[A-Za-z0-9\\-._~+/]++=*+)");

    private static final Pattern AWS_ACCESS_KEY_ID =
            Pattern.compile("(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])");

    private static final Pattern JWT =
            Pattern.compile("(?<![\\w-])eyJ[A-Za-z0-9_\\-]{5,}+\\.eyJ[A-Za-z0-9_\\-]{5,}+\\.[A-Za-z0-9_\\-]++");

    /** Digit runs with optional single space or dash separators, not part of a longer word or id. */
    private static final Pattern CARD_CANDIDATE =
            Pattern.compile("(?<![\\w\\-.+])[2-6](?:[ \\-]?\\d){12,18}(?![\\w\\-]|\\.\\d)");

    private static final int MIN_CARD_DIGITS = 13;

    private static final int MAX_CARD_DIGITS = 19;

    /** Bearer tokens shorter than this, or letters-only and shorter than {@link #LETTERS_ONLY_TOKEN}, are prose. */
    private static final int MIN_TOKEN = 6;

    private static final int LETTERS_ONLY_TOKEN = 20;

    /** Distinct keys whose verdict is remembered; keys come from code, so a few hundred is plenty. */
    private static final int MAX_CACHED_KEYS = 1024;

    static final ContractMasker DEFAULTS = new ContractMasker(List.of());

    private final Pattern sensitiveKey;

    private final Pattern keyValue;

    /** The hints by their first character, in either case (ASCII only: every hint starts with one). */
    private final String[][] hintsByFirstChar = new String[128][];

    /** Extra keys that start with a non-ASCII letter, checked at every non-ASCII character. */
    private final String[] nonAsciiHints;

    /** {@link #isSensitiveKey} runs for every MDC entry and key/value pair of every event. */
    private final Map<String, Boolean> sensitiveKeys = new ConcurrentHashMap<>();

    /**
     * @param extraKeys further key words to treat as sensitive (literal text, any case)
     */
    ContractMasker(Collection<String> extraKeys) {
        List<String> keys = new ArrayList<>();
        Set<String> hintSet = new LinkedHashSet<>();
        for (String word : KEY_WORDS) {
            keys.add(Arrays.stream(word.split("-")).map(Pattern::quote).collect(Collectors.joining("[-_]?")));
            hintSet.addAll(spellings(word));
        }
        for (String extra : extraKeys) {
            if (extra != null && !extra.isBlank()) {
                keys.add(Pattern.quote(extra.trim()));
                hintSet.add(extra.trim().toLowerCase(Locale.ROOT));
            }
        }
        hintSet.add(BEARER_HINT);
        // The word must end a key part: followed by a non-lower-case character or the end ("id" allowed: sessionid).
        String word = "(?i:" + String.join("|", keys) + ")(?:id|Id|ID)?(?![a-z])";
        this.sensitiveKey = Pattern.compile(word);
        // Matching starts at the sensitive word, so any key prefix (db., client_, X-Api-) stays as it is.
        String key = "(?<key>" + word + KEY_REST + "\\\\?[\"']?)";
        this.keyValue = Pattern.compile(key + "(?<sep>\\s*[=:]\\s*)" + VALUE);
        List<String> nonAscii = new ArrayList<>();
        for (String hint : hintSet) {
            char first = hint.charAt(0);
            if (first >= 128) {
                nonAscii.add(hint);
                continue;
            }
            for (char c : new char[] {Character.toLowerCase(first), Character.toUpperCase(first)}) {
                String[] known = this.hintsByFirstChar[c];
                this.hintsByFirstChar[c] = (known == null) ? new String[] {hint} : append(known, hint);
            }
        }
        this.nonAsciiHints = nonAscii.toArray(String[]::new);
    }

    private static String[] append(String[] array, String element) {
        String[] longer = Arrays.copyOf(array, array.length + 1);
        longer[array.length] = element;
        return longer;
    }

    /** The literal spellings of a key word: each {@code '-'} as nothing, {@code '-'} or {@code '_'}. */
    static List<String> spellings(String word) {
        List<String> spellings = List.of("");
        String[] parts = word.split("-");
        for (int i = 0; i < parts.length; i++) {
            List<String> next = new ArrayList<>();
            for (String prefix : spellings) {
                for (String separator : (i == 0) ? List.of("") : List.of("", "-", "_")) {
                    next.add(prefix + separator + parts[i]);
                }
            }
            spellings = next;
        }
        return spellings;
    }

    @Override
    public boolean isSensitiveKey(String key) {
        if (key == null) {
            return false;
        }
        Boolean known = this.sensitiveKeys.get(key);
        if (known != null) {
            return known;
        }
        boolean sensitive = this.sensitiveKey.matcher(key).find();
        if (this.sensitiveKeys.size() < MAX_CACHED_KEYS) {
            this.sensitiveKeys.put(key, sensitive);
        }
        return sensitive;
    }

    @Override
    public String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = maskAtHints(text);
        if (UrlCredentials.mayContain(result)) {
            result = UrlCredentials.mask(result);
        }
        if (result.contains("AKIA") || result.contains("ASIA")) {
            result = replace(AWS_ACCESS_KEY_ID, result, m -> MASK);
        }
        if (result.contains("eyJ")) {
            result = replace(JWT, result, m -> MASK);
        }
        if (hasLongDigitRun(result)) {
            result = replace(CARD_CANDIDATE, result, ContractMasker::maskCard);
        }
        return result;
    }

    /**
     * Masks what follows a sensitive word: a cookie header, a key's value, a bearer token. Matching is
     * only tried where the cheap scan found such a word, not at every position of the text.
     */
    private String maskAtHints(String text) {
        int position = nextHint(text, 0);
        if (position < 0) {
            return text;
        }
        Matcher cookie = lookingAtMatcher(COOKIE_HEADER, text);
        Matcher keyValue = lookingAtMatcher(this.keyValue, text);
        Matcher bearer = lookingAtMatcher(BEARER, text);
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        while (position >= 0) {
            Replacement replacement = cookieHeader(cookie, position);
            replacement = (replacement != null) ? replacement : keyValue(keyValue, text, position);
            replacement = (replacement != null) ? replacement : bearerToken(bearer, position);
            if (replacement == null) {
                position = nextHint(text, position + 1);
                continue;
            }
            out.append(text, copied, replacement.start()).append(replacement.text());
            copied = replacement.end();
            position = nextHint(text, copied);
        }
        String result = out.append(text, copied, text.length()).toString();
        return result.equals(text) ? text : result;
    }

    /** Text between {@code start} and {@code end} is to be replaced by {@code text}. */
    private record Replacement(int start, int end, String text) {}

    /** A matcher for {@code lookingAt} from a given position that still sees the text around it. */
    private static Matcher lookingAtMatcher(Pattern pattern, String text) {
        return pattern.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
    }

    private static boolean lookingAt(Matcher matcher, int position) {
        // The region's end stays the text's end: only its start moves.
        return matcher.region(position, matcher.regionEnd()).lookingAt();
    }

    private static Replacement cookieHeader(Matcher matcher, int position) {
        if (!lookingAt(matcher, position)) {
            return null;
        }
        return new Replacement(matcher.start("value"), matcher.end(), MASK);
    }

    private static Replacement keyValue(Matcher matcher, String text, int position) {
        if (!lookingAt(matcher, position)) {
            return null;
        }
        String value = matcher.group("value");
        int valueStart = matcher.start("value");
        if (value.equals(ESCAPED_QUOTE)) {
            int close = text.indexOf(ESCAPED_QUOTE, valueStart + ESCAPED_QUOTE.length());
            int valueEnd = (close < 0) ? text.length() : close + ESCAPED_QUOTE.length();
            return new Replacement(valueStart, valueEnd, ESCAPED_QUOTE + MASK + ESCAPED_QUOTE);
        }
        if (value.equals("\"") || value.equals("'")) {
            return new Replacement(
                    valueStart, quotedValueEnd(text, valueStart + 1, value.charAt(0)), value + MASK + value);
        }
        String scheme = matcher.group("scheme");
        return new Replacement(valueStart, matcher.end(), ((scheme != null) ? scheme : "") + MASK);
    }

    private static Replacement bearerToken(Matcher matcher, int position) {
        if (!lookingAt(matcher, position)) {
            return null;
        }
        String token = matcher.group("value");
        boolean lettersOnly = token.chars().allMatch(Character::isLetter);
        if (token.length() < MIN_TOKEN || (lettersOnly && token.length() < LETTERS_ONLY_TOKEN)) {
            return null;
        }
        return new Replacement(matcher.start("value"), matcher.end(), MASK);
    }

    /** Index after the closing quote (a backslash escapes the next character), or the text's end when unclosed. */
    private static int quotedValueEnd(String text, int from, char quote) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote) {
                return i + 1;
            }
        }
        return text.length();
    }

    private static String maskCard(Matcher m) {
        String digits = digitsOf(m.group());
        if (digits.length() < MIN_CARD_DIGITS || digits.length() > MAX_CARD_DIGITS || !passesLuhn(digits)) {
            return m.group();
        }
        return MASK;
    }

    private static String digitsOf(String candidate) {
        StringBuilder digits = new StringBuilder(candidate.length());
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            }
        }
        return digits.toString();
    }

    static boolean passesLuhn(String digits) {
        int sum = 0;
        boolean doubled = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (doubled) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }

    private static String replace(Pattern pattern, String text, Function<Matcher, String> how) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        boolean changed = false;
        do {
            String replacement = how.apply(matcher);
            changed |= !replacement.equals(matcher.group());
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        } while (matcher.find());
        if (!changed) {
            return text; // e.g. a digit run that failed the Luhn check: keep the caller's instance
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** Cheap scan: where the next sensitive word (any case) starts at or after {@code from}, or -1. */
    private int nextHint(String text, int from) {
        int length = text.length();
        for (int i = from; i < length; i++) {
            char c = text.charAt(i);
            String[] candidates = (c < 128) ? this.hintsByFirstChar[c] : this.nonAsciiHints;
            if (candidates == null) {
                continue; // most characters: one array read
            }
            char next = (i + 1 < length) ? Character.toLowerCase(text.charAt(i + 1)) : 0;
            for (String hint : candidates) {
                if ((hint.length() == 1 || hint.charAt(1) == next)
                        && text.regionMatches(true, i, hint, 0, hint.length())) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Cheap scan: at least {@link #MIN_CARD_DIGITS} digits with at most single separators between them. */
    private static boolean hasLongDigitRun(String text) {
        int digits = 0;
        boolean lastWasSeparator = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++digits >= MIN_CARD_DIGITS) {
                    return true;
                }
                lastWasSeparator = false;
            } else if ((c == ' ' || c == '-') && digits > 0 && !lastWasSeparator) {
                lastWasSeparator = true;
            } else {
                digits = 0;
                lastWasSeparator = false;
            }
        }
        return false;
    }
}
