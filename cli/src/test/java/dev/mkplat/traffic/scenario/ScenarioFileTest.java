package dev.mkplat.traffic.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioFileTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("scenario.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void readsAValidFileIntoRecords() throws IOException {
        Scenario scenario = ScenarioFile.read(write("""
                name: shop
                users: 2
                targets:
                  api: http://127.0.0.1:3000
                setup:
                  - {target: api, method: post, path: /login, body: '{"user":"${user}"}', capture: {token: token}}
                requests:
                  - name: list items
                    weight: 3
                    target: api
                    path: /items
                    headers: {Authorization: 'Bearer ${token}'}
                  - target: api
                    method: POST
                    path: /upload
                    generate: png
                    capture: {id: id}
                    then:
                      - {name: fetch, target: api, path: '/images/${id}'}
                """));

        assertThat(scenario.name()).isEqualTo("shop");
        assertThat(scenario.users()).isEqualTo(2);
        assertThat(scenario.targets()).containsEntry("api", URI.create("http://127.0.0.1:3000"));
        assertThat(scenario.setup().getFirst().method()).isEqualTo("POST");
        assertThat(scenario.actions()).hasSize(2);
        assertThat(scenario.actions().getFirst().weight()).isEqualTo(3);
        assertThat(scenario.actions().get(1).weight()).isEqualTo(1);
        assertThat(scenario.actions().get(1).steps())
                .extracting(Step::name)
                .containsExactly("POST api /upload", "fetch");
        assertThat(scenario.actions().get(1).steps().getFirst().body()).isInstanceOf(Body.Png.class);
        assertThat(scenario.totalWeight()).isEqualTo(4);
    }

    @Test
    void unknownKeyIsReportedWithFileLineAndColumn() throws IOException {
        Path file = write("""
                requests:
                  - target: api
                    path: /
                    methd: GET
                """);

        assertThatThrownBy(() -> ScenarioFile.read(file))
                .hasMessageStartingWith(file
                        + ":4:5: unknown key 'methd' (known: body, capture, contentType, generate, headers, method,");
    }

    @Test
    void wrongTypeIsReportedWithFileLineAndColumn() throws IOException {
        Path file = write("""
                users: many
                requests:
                  - {target: api, path: /}
                """);

        assertThatThrownBy(() -> ScenarioFile.read(file)).hasMessageStartingWith(file + ":1:8: ");
    }

    @Test
    void problemsAfterParsingNameTheEntry() throws IOException {
        assertThatThrownBy(() -> ScenarioFile.read(write("requests:\n  - {target: api, path: items}\n")))
                .hasMessageEndingWith("requests[0].path: must start with /, got 'items'");
        assertThatThrownBy(() -> ScenarioFile.read(write("requests:\n  - {target: api, path: /, method: FETCH}\n")))
                .hasMessageContaining("requests[0].method: 'FETCH' is not one of");
        assertThatThrownBy(() -> ScenarioFile.read(write("requests:\n  - {target: api, path: /, weight: 0}\n")))
                .hasMessageEndingWith("requests[0].weight: must be 1 or more, got 0");
        assertThatThrownBy(() -> ScenarioFile.read(write("requests:\n  - {target: api, path: '/items/${itemId}'}\n")))
                .hasMessageContaining("request 'GET api /items/${itemId}' uses ${itemId}, which needs virtual users");
        assertThatThrownBy(() -> ScenarioFile.read(write("requests: []\n")))
                .hasMessageEndingWith("requests: at least one request is needed");
        assertThatThrownBy(() ->
                        ScenarioFile.read(write("targets: {api: 'ftp://x'}\nrequests:\n  - {target: api, path: /}\n")))
                .hasMessageContaining("targets.api: 'ftp://x' must be an http:// or https:// URL with a host");
    }

    @Test
    void missingFileSaysSo() {
        assertThatThrownBy(() -> ScenarioFile.read(dir.resolve("nope.yaml")))
                .hasMessageEndingWith("nope.yaml: no such file");
    }

    @Test
    void builtInsAreValidAndUseTheIngressHosts() {
        for (String name : BuiltInScenarios.NAMES) {
            Scenario scenario = BuiltInScenarios.named(name).orElseThrow();
            assertThat(scenario.users()).isPositive();
            for (String target : scenario.targetNames()) {
                assertThat(scenario.targets().get(target)).isEqualTo(URI.create("https://" + target + ".test"));
            }
        }
        assertThat(BuiltInScenarios.named("mixed").orElseThrow().targetNames())
                .containsExactlyInAnyOrder("api", "auth", "images");
    }

    @Test
    void generatedPngIsAValidImage() {
        byte[] png = PngImage.generate(16, 7);
        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        assertThat(png.length).isBetween(60, 2000);
    }
}
