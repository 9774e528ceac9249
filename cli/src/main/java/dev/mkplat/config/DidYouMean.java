package dev.mkplat.config;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The "did you mean" of an unknown key: the known key a typo most likely meant. */
final class DidYouMean {
    private DidYouMean() {}

    /** The known key within edit distance 2 of {@code typed}, for "did you mean". */
    static Optional<String> closest(String typed, List<String> known) {
        return known.stream()
                .filter(k -> editDistance(typed.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT)) <= 2)
                .min(Comparator.comparingInt(k -> editDistance(typed, k)));
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
