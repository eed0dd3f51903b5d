package io.sightline.telemetry.masking;

import java.util.Collection;
import java.util.List;

/**
 * Replaces secrets in text that leaves the process (telemetry contract, section 6) with {@value #MASK}.
 * <p>
 * The starter builds one from {@code sightline.logging.masking.*} ({@link #withExtraKeys}) and uses it
 * for the log writer and for Sentry alike; an application that declares its own {@code Masker} bean
 * replaces it on both paths. Implementations must be thread-safe and linear in the text's length: they
 * run on the log writer thread for every line and on the reporting thread for every Sentry event.
 */
public interface Masker {

    /** What every secret is replaced with. */
    String MASK = "****";

    /**
     * Masks every secret found in free text.
     * @param text a log message, exception message or stack trace; may be {@code null}
     * @return the text with secrets replaced by {@value #MASK}; the same instance when nothing was found
     */
    String mask(String text);

    /**
     * Whether values under {@code key} are secrets.
     * @param key an MDC key, key/value pair key, header or field name
     * @return {@code true} if values under this key must never be written
     */
    boolean isSensitiveKey(String key);

    /**
     * Masks one value whose key is known: the whole value when the key is sensitive, else any secret
     * found inside the value.
     * @param key the value's key (MDC key, key/value pair key, header name)
     * @param value the value, may be {@code null}
     * @return {@value #MASK}, the value with secrets masked, or {@code null} for a {@code null} value
     */
    default String maskValue(String key, String value) {
        if (value == null) {
            return null;
        }
        return isSensitiveKey(key) ? MASK : mask(value);
    }

    /** The contract's rules with its default key words only. */
    static Masker defaults() {
        return ContractMasker.DEFAULTS;
    }

    /**
     * The contract's rules with further key words.
     * @param extraKeys key words whose values are masked as well (literal text, any case)
     * @return a masker for the default and the extra keys
     */
    static Masker withExtraKeys(Collection<String> extraKeys) {
        return extraKeys.isEmpty() ? defaults() : new ContractMasker(List.copyOf(extraKeys));
    }
}
