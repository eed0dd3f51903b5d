package io.sightline.telemetry.masking;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces secrets in log text with {@value #MASK} (telemetry contract, section 6).
 * <p>
 * Masked: values of sensitive keys ({@code password|passwd|secret|token|api[-_]?key|authorization|cookie|session},
 * any case, plus configured extra keys) written as {@code key=value}, {@code "key":"value"} or
 * {@code key: value}; {@code Bearer} tokens; passwords in URLs ({@code scheme://user:pass@host},
 * Oracle's {@code user/pass@host}); AWS access key ids; JSON Web Tokens; card numbers (13 to 19
 * digits that pass the Luhn check, so order ids and timestamps stay readable).
 * <p>
 * A sensitive word only counts when it ends a word part: {@code client_secret}, {@code accessToken}
 * and {@code JSESSIONID} are sensitive, {@code tokenizer} and {@code max_tokens} are not.
 * <p>
 * Instances are immutable and thread-safe. {@link #mask(String)} runs on every log line, so it
 * first does a cheap scan and only runs the regular expressions when the text could hold a secret.
 */
public final class Masker {

	/** What every secret is replaced with. */
	public static final String MASK = "****";

	private static final List<String> DEFAULT_KEYS = List.of("password", "passwd", "secret", "token", "api[-_]?key",
			"authorization", "cookie", "session");

	/** Literal prefixes of the default keys, for the cheap pre-check (lower case). */
	private static final List<String> DEFAULT_HINTS = List.of("passw", "secret", "token", "api", "authorization",
			"cookie", "session", "bearer");

	private static final String KEY_CHARS = "[\\w.\\-]";

	/** A value: double-quoted, escaped-quoted (JSON inside a string), single-quoted, or a bare word. */
	private static final String VALUE = "(?<value>\"(?:[^\"\\\\]|\\\\.)*\"|\\\\\"[^\"]*?\\\\\"|'[^']*'"
			+ "|(?<scheme>(?i:bearer|basic|digest|negotiate)\\s+)?[^\\s,;&\"'<>(){}\\[\\]]+)";

	private static final Pattern COOKIE_HEADER = Pattern.compile("(?i)(?<![\\w-])((?:set-)?cookie\\s*:\\s*)[^\\r\\n\"]+");

	private static final Pattern BEARER = Pattern.compile("(?<![\\w-])([Bb]earer|BEARER)(\\s+)([A-Za-z0-9\\-._~+/]+=*)");

	private static final Pattern URL_USER_INFO = Pattern
		.compile("(?<![\\w+.\\-])([a-zA-Z][a-zA-Z0-9+.\\-]*://[^/\\s:@]+:)[^/\\s@]+@");

	private static final Pattern ORACLE_CREDENTIALS = Pattern.compile("(jdbc:oracle:[a-z]+:[^/\\s:@]+/)[^@\\s]+@");

	private static final Pattern AWS_ACCESS_KEY_ID = Pattern.compile("(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])");

	private static final Pattern JWT = Pattern
		.compile("(?<![\\w-])eyJ[A-Za-z0-9_\\-]{5,}\\.eyJ[A-Za-z0-9_\\-]{5,}\\.[A-Za-z0-9_\\-]+");

	/** Digit runs with optional single space or dash separators, not part of a longer word or id. */
	private static final Pattern CARD_CANDIDATE = Pattern.compile("(?<![\\w\\-.+])[2-6](?:[ \\-]?\\d){12,18}(?![\\w\\-]|\\.\\d)");

	private static final int MIN_CARD_DIGITS = 13;

	private static final int MAX_CARD_DIGITS = 19;

	/** Bearer tokens shorter than this, or letters-only and shorter than {@link #LETTERS_ONLY_TOKEN}, are prose. */
	private static final int MIN_TOKEN = 6;

	private static final int LETTERS_ONLY_TOKEN = 20;

	private static final Masker DEFAULTS = new Masker(List.of());

	private final Pattern sensitiveKey;

	private final Pattern keyValue;

	private final String[] hints;

	/** A masker for the contract's default keys only. */
	public Masker() {
		this(List.of());
	}

	/**
	 * A masker for the default keys plus {@code extraKeys}.
	 * @param extraKeys further key words to treat as sensitive (literal text, any case)
	 */
	public Masker(Collection<String> extraKeys) {
		List<String> keys = new ArrayList<>(DEFAULT_KEYS);
		List<String> hintList = new ArrayList<>(DEFAULT_HINTS);
		for (String extra : extraKeys) {
			if (extra != null && !extra.isBlank()) {
				keys.add(Pattern.quote(extra.trim()));
				hintList.add(extra.trim().toLowerCase(Locale.ROOT));
			}
		}
		// The word must end a key part: followed by a non-lower-case character or the end ("id" allowed: sessionid).
		String word = "(?i:" + String.join("|", keys) + ")(?:id|Id|ID)?(?![a-z])";
		this.sensitiveKey = Pattern.compile(word);
		String key = "(?<key>(?<![\\w.\\-\"'])[\"']?" + KEY_CHARS + "*?" + word + KEY_CHARS + "*\\\\?[\"']?)";
		this.keyValue = Pattern.compile(key + "(?<sep>\\s*[=:]\\s*)" + VALUE);
		this.hints = hintList.toArray(String[]::new);
	}

	/** The shared masker for the contract's default keys. */
	public static Masker defaults() {
		return DEFAULTS;
	}

	/**
	 * Whether values under {@code key} are secrets (the key contains a sensitive word).
	 * @param key an MDC key, key/value pair key, header or field name
	 * @return {@code true} if values under this key must never be written
	 */
	public boolean isSensitiveKey(String key) {
		return key != null && this.sensitiveKey.matcher(key).find();
	}

	/**
	 * Masks one value whose key is known: the whole value when the key is sensitive, else any secret
	 * found inside the value.
	 * @param key the value's key (MDC key, key/value pair key, header name)
	 * @param value the value, may be {@code null}
	 * @return {@value #MASK}, the value with secrets masked, or {@code null} for a {@code null} value
	 */
	public String maskValue(String key, String value) {
		if (value == null) {
			return null;
		}
		return isSensitiveKey(key) ? MASK : mask(value);
	}

	/**
	 * Masks every secret found in free text.
	 * @param text a log message, exception message or stack trace; may be {@code null}
	 * @return the text with secrets replaced by {@value #MASK}; the same instance when nothing was found
	 */
	public String mask(String text) {
		if (text == null || text.isEmpty()) {
			return text;
		}
		String result = text;
		if (containsHint(result)) {
			result = replace(COOKIE_HEADER, result, m -> m.group(1) + MASK);
			result = replace(this.keyValue, result, Masker::maskKeyValue);
			result = replace(BEARER, result, Masker::maskBearer);
		}
		if (result.indexOf('@') >= 0 && result.indexOf(':') >= 0) {
			result = replace(URL_USER_INFO, result, m -> m.group(1) + MASK + "@");
			result = replace(ORACLE_CREDENTIALS, result, m -> m.group(1) + MASK + "@");
		}
		if (result.contains("AKIA") || result.contains("ASIA")) {
			result = replace(AWS_ACCESS_KEY_ID, result, m -> MASK);
		}
		if (result.contains("eyJ")) {
			result = replace(JWT, result, m -> MASK);
		}
		if (hasLongDigitRun(result)) {
			result = replace(CARD_CANDIDATE, result, Masker::maskCard);
		}
		return result;
	}

	private static String maskKeyValue(Matcher m) {
		String value = m.group("value");
		String masked;
		if (value.startsWith("\\\"")) {
			masked = "\\\"" + MASK + "\\\"";
		}
		else if (value.startsWith("\"") || value.startsWith("'")) {
			masked = value.charAt(0) + MASK + value.charAt(0);
		}
		else {
			String scheme = m.group("scheme");
			masked = (scheme != null ? scheme : "") + MASK;
		}
		return m.group("key") + m.group("sep") + masked;
	}

	private static String maskBearer(Matcher m) {
		String token = m.group(3);
		boolean lettersOnly = token.chars().allMatch(Character::isLetter);
		if (token.equals(MASK) || token.length() < MIN_TOKEN || (lettersOnly && token.length() < LETTERS_ONLY_TOKEN)) {
			return m.group();
		}
		return m.group(1) + m.group(2) + MASK;
	}

	private static String maskCard(Matcher m) {
		String digits = m.group().replaceAll("[ \\-]", "");
		if (digits.length() < MIN_CARD_DIGITS || digits.length() > MAX_CARD_DIGITS || !passesLuhn(digits)) {
			return m.group();
		}
		return MASK;
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
		}
		while (matcher.find());
		if (!changed) {
			return text; // e.g. a digit run that failed the Luhn check: keep the caller's instance
		}
		matcher.appendTail(out);
		return out.toString();
	}

	/** Cheap scan: does the text contain the start of any sensitive word (any case)? */
	private boolean containsHint(String text) {
		int length = text.length();
		for (int i = 0; i < length; i++) {
			char c = Character.toLowerCase(text.charAt(i));
			for (String hint : this.hints) {
				if (hint.charAt(0) == c && text.regionMatches(true, i, hint, 0, hint.length())) {
					return true;
				}
			}
		}
		return false;
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
			}
			else if ((c == ' ' || c == '-') && digits > 0 && !lastWasSeparator) {
				lastWasSeparator = true;
			}
			else {
				digits = 0;
				lastWasSeparator = false;
			}
		}
		return false;
	}

}
