package io.sightline.k8s.rules;

/** The value of a constant PromQL expression of numbers, {@code + - * /} and parentheses, such as {@code (14.4 * 0.001)}. */
final class Arithmetic {

    private final String text;
    private int pos;

    private Arithmetic(String text) {
        this.text = text;
    }

    static double evaluate(String expression) {
        Arithmetic parser = new Arithmetic(expression);
        double value = parser.sum();
        parser.skipSpaces();
        if (parser.pos != expression.length()) {
            throw new IllegalArgumentException("not a constant expression: " + expression);
        }
        return value;
    }

    private double sum() {
        double value = product();
        while (true) {
            skipSpaces();
            if (accept('+')) {
                value += product();
            } else if (accept('-')) {
                value -= product();
            } else {
                return value;
            }
        }
    }

    private double product() {
        double value = factor();
        while (true) {
            skipSpaces();
            if (accept('*')) {
                value *= factor();
            } else if (accept('/')) {
                value /= factor();
            } else {
                return value;
            }
        }
    }

    private double factor() {
        skipSpaces();
        if (accept('(')) {
            double value = sum();
            skipSpaces();
            if (!accept(')')) {
                throw new IllegalArgumentException("missing ) in " + text);
            }
            return value;
        }
        if (accept('-')) {
            return -factor();
        }
        int start = pos;
        while (pos < text.length()
                && (Character.isDigit(text.charAt(pos))
                        || ".eE".indexOf(text.charAt(pos)) >= 0
                        || ((text.charAt(pos) == '-' || text.charAt(pos) == '+')
                                && "eE".indexOf(text.charAt(pos - 1)) >= 0))) {
            pos++;
        }
        return Double.parseDouble(text.substring(start, pos));
    }

    private boolean accept(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }
}
