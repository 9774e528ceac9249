package dev.mkplat.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UnifiedDiffTest {
    @Test
    void equalTextsHaveNoDiff() {
        assertThat(UnifiedDiff.diff("a", "b", "x\ny\n", "x\ny\n")).isEmpty();
    }

    @Test
    void changedLineShowsRemovalThenAdditionWithThreeLinesOfContext() {
        String before = lines(1, 10);
        String after = before.replace("line 5\n", "line five\n");
        assertThat(UnifiedDiff.diff("live", "after", before, after)).isEqualTo("""
                --- live
                +++ after
                @@ -2,7 +2,7 @@
                 line 2
                 line 3
                 line 4
                -line 5
                +line five
                 line 6
                 line 7
                 line 8
                """);
    }

    @Test
    void distantChangesMakeSeparateHunksAndNearOnesShareOne() {
        String before = lines(1, 30);
        String after = before.replace("line 3\n", "").replace("line 25\n", "line 25\nextra\n");
        String diff = UnifiedDiff.diff("a", "b", before, after);
        assertThat(diff)
                .contains("@@ -1,6 +1,5 @@")
                .contains("@@ -23,6 +22,7 @@")
                .contains("-line 3\n")
                .contains("+extra\n");
        assertThat(diff.lines().filter(line -> line.startsWith("@@")).count()).isEqualTo(2);

        String near = before.replace("line 10\n", "ten\n").replace("line 14\n", "fourteen\n");
        assertThat(UnifiedDiff.diff("a", "b", before, near)
                        .lines()
                        .filter(line -> line.startsWith("@@"))
                        .count())
                .isEqualTo(1);
    }

    @Test
    void additionToAnEmptyText() {
        assertThat(UnifiedDiff.diff("a", "b", "", "new\n")).isEqualTo("--- a\n+++ b\n@@ -0,0 +1 @@\n+new\n");
    }

    private static String lines(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining());
    }
}
