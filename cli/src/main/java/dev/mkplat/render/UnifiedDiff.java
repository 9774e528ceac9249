package dev.mkplat.render;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two texts, line by line, with three lines of context, as {@code diff -u}
 * prints it. Objects are a few hundred lines at most, so the plain longest-common-subsequence
 * table is fast enough and easy to trust.
 */
public final class UnifiedDiff {
    private static final int CONTEXT = 3;

    private UnifiedDiff() {}

    /** The diff, or an empty string when the texts are equal. */
    public static String diff(String fromName, String toName, String from, String to) {
        List<String> a = from.lines().toList();
        List<String> b = to.lines().toList();
        List<Edit> edits = edits(a, b);
        if (edits.stream().allMatch(edit -> edit.op == ' ')) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        out.append("--- ")
                .append(fromName)
                .append('\n')
                .append("+++ ")
                .append(toName)
                .append('\n');
        List<Integer> changes = new ArrayList<>();
        for (int k = 0; k < edits.size(); k++) {
            if (edits.get(k).op != ' ') {
                changes.add(k);
            }
        }
        int first = 0;
        while (first < changes.size()) {
            int last = first;
            // Changes closer than twice the context share one hunk, as diff -u does.
            while (last + 1 < changes.size() && changes.get(last + 1) - changes.get(last) <= 2 * CONTEXT) {
                last++;
            }
            int start = Math.max(0, changes.get(first) - CONTEXT);
            int end = Math.min(edits.size(), changes.get(last) + CONTEXT + 1);
            int aCount = 0;
            int bCount = 0;
            StringBuilder hunk = new StringBuilder();
            for (int k = start; k < end; k++) {
                Edit edit = edits.get(k);
                hunk.append(edit.op).append(edit.text).append('\n');
                aCount += edit.op != '+' ? 1 : 0;
                bCount += edit.op != '-' ? 1 : 0;
            }
            out.append("@@ -")
                    .append(range(edits.get(start).aLine, aCount))
                    .append(" +")
                    .append(range(edits.get(start).bLine, bCount))
                    .append(" @@\n")
                    .append(hunk);
            first = last + 1;
        }
        return out.toString();
    }

    private static String range(int start, int count) {
        return count == 0 ? start + ",0" : (start + 1) + (count == 1 ? "" : "," + count);
    }

    private record Edit(char op, String text, int aLine, int bLine) {}

    private static List<Edit> edits(List<String> a, List<String> b) {
        int[][] common = new int[a.size() + 1][b.size() + 1];
        for (int x = a.size() - 1; x >= 0; x--) {
            for (int y = b.size() - 1; y >= 0; y--) {
                common[x][y] = a.get(x).equals(b.get(y))
                        ? common[x + 1][y + 1] + 1
                        : Math.max(common[x + 1][y], common[x][y + 1]);
            }
        }
        List<Edit> edits = new ArrayList<>();
        int x = 0;
        int y = 0;
        while (x < a.size() || y < b.size()) {
            if (x < a.size() && y < b.size() && a.get(x).equals(b.get(y))) {
                edits.add(new Edit(' ', a.get(x), x, y));
                x++;
                y++;
            } else if (x < a.size() && (y == b.size() || common[x + 1][y] >= common[x][y + 1])) {
                // Removals before additions, as diff -u prints a changed line.
                edits.add(new Edit('-', a.get(x), x, y));
                x++;
            } else {
                edits.add(new Edit('+', b.get(y), x, y));
                y++;
            }
        }
        return edits;
    }
}
