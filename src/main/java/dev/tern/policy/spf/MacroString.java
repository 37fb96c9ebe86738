package dev.tern.policy.spf;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A parsed macro-string of RFC 7208 §7.1: literal text and {@code %{...}} macros, kept for expansion at evaluation
 * time (the values depend on the connection). Parsing checks the syntax only; see {@link MacroExpander}.
 */
record MacroString(String text, List<Part> parts) {

    /** One piece of the string. */
    sealed interface Part {}

    /** Literal text, including the expansions of {@code %%}, {@code %_} and {@code %-}. */
    record Literal(String text) implements Part {}

    /**
     * {@code %{letter digits r delimiters}}.
     *
     * @param letter the lower-case macro letter
     * @param escape true for an upper-case letter: URL-escape the value (§7.3)
     * @param keep the number of right-hand parts to keep, 0 for all
     * @param reverse the {@code r} transformer
     * @param delimiters the characters that split the value, "." when none are given
     */
    record Macro(char letter, boolean escape, int keep, boolean reverse, String delimiters) implements Part {}

    private static final String LETTERS = "slodiphcrtv";
    private static final String EXP_ONLY_LETTERS = "crt";
    private static final String DELIMITERS = ".-+,/_=";
    private static final Pattern TOPLABEL_END = Pattern.compile(
            ".*\\.([A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+-[A-Za-z0-9-]*[A-Za-z0-9])\\.?");

    /** A domain-spec (§7.1): a macro-string ending in a macro or in "." toplabel with an optional dot. */
    static MacroString domainSpec(String text) throws SpfException {
        List<Part> parts = new ArrayList<>();
        boolean endsInMacro = parse(text, false, parts);
        if (!endsInMacro && !TOPLABEL_END.matcher(text).matches()) {
            throw SpfException.perm("invalid domain-spec '" + text + "'");
        }
        return new MacroString(text, parts);
    }

    /** The value of an unknown modifier: any macro-string (§6). */
    static MacroString plain(String text) throws SpfException {
        List<Part> parts = new ArrayList<>();
        parse(text, false, parts);
        return new MacroString(text, parts);
    }

    /** An explanation string fetched by {@code exp=} (§6.2): macro-strings and spaces, "c", "r" and "t" allowed. */
    static MacroString explanation(String text) throws SpfException {
        List<Part> parts = new ArrayList<>();
        parse(text, true, parts);
        return new MacroString(text, parts);
    }

    /** Fills parts; returns whether the text ends with a macro-expand (§7.1 domain-end). */
    private static boolean parse(String text, boolean explanation, List<Part> parts) throws SpfException {
        StringBuilder literal = new StringBuilder();
        boolean endsInMacro = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            endsInMacro = c == '%';
            if (c != '%') {
                boolean visible = c >= 0x21 && c <= 0x7e;
                if (!visible && !(explanation && c == ' ')) {
                    throw SpfException.perm("invalid character in macro-string '" + text + "'");
                }
                literal.append(c);
                i++;
                continue;
            }
            if (i + 1 >= text.length()) {
                throw SpfException.perm("lone '%' in '" + text + "'");
            }
            char next = text.charAt(i + 1);
            switch (next) {
                case '%' -> literal.append('%');
                case '_' -> literal.append(' ');
                case '-' -> literal.append("%20");
                case '{' -> {
                    int close = text.indexOf('}', i);
                    if (close < 0) {
                        throw SpfException.perm("unterminated macro in '" + text + "'");
                    }
                    flush(literal, parts);
                    parts.add(macro(text.substring(i + 2, close), explanation));
                    i = close + 1;
                    continue;
                }
                default -> throw SpfException.perm("invalid macro escape '%" + next + "'");
            }
            i += 2;
        }
        flush(literal, parts);
        return endsInMacro;
    }

    private static void flush(StringBuilder literal, List<Part> parts) {
        if (!literal.isEmpty()) {
            parts.add(new Literal(literal.toString()));
            literal.setLength(0);
        }
    }

    /** macro-letter transformers *delimiter (§7.1). */
    private static Macro macro(String body, boolean explanation) throws SpfException {
        if (body.isEmpty()) {
            throw SpfException.perm("empty macro");
        }
        char raw = body.charAt(0);
        char letter = Character.toLowerCase(raw);
        if (LETTERS.indexOf(letter) < 0 || raw > 0x7e) {
            throw SpfException.perm("unknown macro letter '" + raw + "'");
        }
        if (!explanation && EXP_ONLY_LETTERS.indexOf(letter) >= 0) {
            throw SpfException.perm("macro '" + raw + "' is only allowed in explanations (§7.2)");
        }
        int i = 1;
        int digitsStart = i;
        while (i < body.length() && Character.isDigit(body.charAt(i))) {
            i++;
        }
        int keep = 0;
        if (i > digitsStart) {
            String digits = body.substring(digitsStart, i);
            keep = digits.length() > 3 ? 999 : Integer.parseInt(digits);
            if (keep == 0) {
                throw SpfException.perm("macro transformer digit must be nonzero (§7.3)");
            }
        }
        boolean reverse = false;
        if (i < body.length() && (body.charAt(i) == 'r' || body.charAt(i) == 'R')) {
            reverse = true;
            i++;
        }
        String delimiters = body.substring(i);
        for (char d : delimiters.toCharArray()) {
            if (DELIMITERS.indexOf(d) < 0) {
                throw SpfException.perm("invalid macro delimiter '" + d + "'");
            }
        }
        return new Macro(letter, Character.isUpperCase(raw), keep, reverse,
                delimiters.isEmpty() ? "." : delimiters);
    }
}
