package dev.mkplat.service.testing;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.schema.SchemaValidator;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A service's OpenAPI document as the contract of a running service: requests are generated from
 * the document (valid ones, ones that break each stated constraint, and random methods and paths),
 * sent to the service, and every answer is checked against the document, so the two cannot drift
 * apart unnoticed.
 *
 * <p>The document is the one the service serves at {@code GET /openapi}. Each answer must be
 * documented for its operation (status, headers, content type and body schema, checked by
 * Atlassian's swagger-request-validator). Beyond what a validator of single answers can see:
 * <ul>
 *   <li>a request the document says is valid is never answered 400, 405, 415, 422 or 500: the
 *       service takes everything the document promises;</li>
 *   <li>a request the document says is invalid is answered 4xx: the service refuses what the
 *       document forbids (401 when only the credentials are missing);</li>
 *   <li>a path the document does not have is a 404, a method its path does not have a 405 whose
 *       {@code Allow} lists exactly the path's documented methods (a concrete path is matched
 *       before a templated one, as OpenAPI says), both with the document's {@code Error} body;</li>
 *   <li>every documented operation answered at least one generated request with a 2xx, so the
 *       generated requests are not all refused for some reason of their own.</li>
 * </ul>
 * The run is random but repeatable: its seed is in every failure, and {@code -Dmkplat.contract.seed=N}
 * repeats it.
 */
public final class OpenApiContract {
    /** Statuses that a request the document calls valid must never get. */
    private static final Set<Integer> NOT_FOR_VALID_REQUESTS = Set.of(400, 405, 415, 422, 500);

    private static final List<String> STANDARD_METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
    private static final Pattern TEMPLATE_PARAMETER = Pattern.compile("\\{([^}/]+)}");
    private static final int MAX_VIOLATIONS_SHOWN = 15;

    /** What the document cannot say: credentials, things that exist, bodies of non-JSON media types. */
    public interface Samples {
        /** An {@code Authorization} header value the service accepts now; asked for each request that sends one. */
        String authorization();

        /** A value of a path parameter that names something existing now, if any. */
        default Optional<String> existing(String pathTemplate, String parameter) {
            return Optional.empty();
        }

        /** Valid bodies of a media type that the document describes only as bytes (images), or examples for JSON. */
        default List<byte[]> bodies(String method, String pathTemplate, String mediaType) {
            return List.of();
        }

        /** Told of each answer, e.g. to log in again after a generated logout ended the session. */
        default void answered(String method, String pathTemplate, int status) {}
    }

    /** One generated request. {@code template} is the documented path it was made for, or null. */
    private record Call(
            String why,
            String method,
            String template,
            String path,
            Map<String, String> query,
            Map<String, String> headers,
            byte[] body) {
        String target() {
            if (query.isEmpty()) {
                return path;
            }
            return path + "?"
                    + query.entrySet().stream()
                            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                            .collect(Collectors.joining("&"));
        }
    }

    /** What a run did: every violation, and how many requests each documented operation answered with which status. */
    public record Result(long seed, int requests, List<String> violations, Map<String, Set<Integer>> statuses) {
        /** Operations ({@code METHOD /template}) that answered no generated request with a 2xx. */
        public Set<String> withoutSuccess() {
            Set<String> missing = new TreeSet<>();
            statuses.forEach((operation, seen) -> {
                if (seen.stream().noneMatch(status -> status / 100 == 2)) {
                    missing.add(operation + " " + seen);
                }
            });
            return missing;
        }

        /** Empty when the service kept the contract; otherwise a report that names the seed. */
        public String failures() {
            StringBuilder text = new StringBuilder();
            if (!violations.isEmpty()) {
                text.append(violations.size())
                        .append(" of ")
                        .append(requests)
                        .append(" answers broke the document (seed ")
                        .append(seed)
                        .append("):\n");
                violations.stream()
                        .limit(MAX_VIOLATIONS_SHOWN)
                        .forEach(v -> text.append("- ").append(v).append('\n'));
            }
            if (!withoutSuccess().isEmpty()) {
                text.append("operations that answered no generated request with a 2xx (seed ")
                        .append(seed)
                        .append("): ")
                        .append(withoutSuccess())
                        .append('\n');
            }
            return text.toString();
        }
    }

    private final String base;
    private final Samples samples;
    private final long seed;
    private final Random random;
    private final SchemaValues values;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String documentText;
    private final OpenAPI document;
    private final OpenApiInteractionValidator validator;
    private final SchemaValidator schemas;
    private final Schema<?> errorSchema;
    private final List<String> violations = new ArrayList<>();
    private final Map<String, Set<Integer>> statuses = new TreeMap<>();
    private int requests;

    private OpenApiContract(URI base, Samples samples, long seed) {
        this.base = base.toString().replaceAll("/$", "");
        this.samples = samples;
        this.seed = seed;
        this.random = new Random(seed);
        this.values = new SchemaValues(random);
        Answer served = send(new Call(
                "the document", "GET", null, "/openapi", Map.of(), Map.of("Accept", "application/yaml"), null));
        if (served.status() != 200) {
            throw new AssertionError("GET /openapi answered " + served.status() + ": " + excerpt(served.bodyText()));
        }
        this.documentText = served.bodyText();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(documentText, null, options);
        if (parsed.getOpenAPI() == null
                || (parsed.getMessages() != null && !parsed.getMessages().isEmpty())) {
            throw new AssertionError("GET /openapi is not a valid OpenAPI document: " + parsed.getMessages());
        }
        this.document = parsed.getOpenAPI();
        // Two things a request may carry that make it no less valid (RFC 9110): a body on a GET, which
        // has no meaning and is ignored, and an Accept the operation cannot meet, which a server may
        // disregard. Either way the answer is still checked against the document.
        this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(documentText)
                .withLevelResolver(LevelResolver.create()
                        .withLevel("validation.request.body.unexpected", ValidationReport.Level.IGNORE)
                        .withLevel("validation.request.accept.notAllowed", ValidationReport.Level.IGNORE)
                        .build())
                .build();
        this.schemas = new SchemaValidator(document, new MessageResolver());
        this.errorSchema = document.getComponents().getSchemas().get("Error");
        if (errorSchema == null) {
            throw new AssertionError(
                    "the document has no components.schemas.Error, which every error answer must follow");
        }
        document.getPaths()
                .forEach((template, item) -> item.readOperationsMap()
                        .keySet()
                        .forEach(method -> statuses.put(method.name() + " " + template, new TreeSet<>())));
    }

    /**
     * Runs the contract against the service at {@code base}: requests made from each documented
     * operation, then {@code randomRequests} with random methods and paths.
     */
    public static Result run(URI base, Samples samples, int randomRequests) {
        long seed = Long.getLong("mkplat.contract.seed", new Random().nextLong());
        OpenApiContract contract = new OpenApiContract(base, samples, seed);
        contract.document.getPaths().forEach((template, item) -> {
            item.readOperationsMap()
                    .forEach((method, operation) -> contract.operationCalls(template, item, method.name(), operation)
                            .forEach(contract::exchange));
            contract.otherMethodCalls(template, item).forEach(contract::exchange);
        });
        for (int i = 0; i < randomRequests; i++) {
            contract.exchange(contract.randomCall());
        }
        return new Result(seed, contract.requests, List.copyOf(contract.violations), contract.statuses);
    }

    // ---- generation ----

    private List<Call> operationCalls(String template, PathItem item, String method, Operation operation) {
        List<Parameter> parameters = new ArrayList<>();
        if (item.getParameters() != null) {
            parameters.addAll(item.getParameters());
        }
        if (operation.getParameters() != null) {
            parameters.addAll(operation.getParameters());
        }
        boolean secured = secured(operation);
        List<Call> calls = new ArrayList<>();
        // The samples' bodies first, before the generated wrong ones can earn a lockout (auth's /login).
        calls.add(validCall("valid, with a sample body", template, method, operation, parameters, secured, true));
        for (int i = 0; i < 8; i++) {
            calls.add(validCall("valid", template, method, operation, parameters, secured));
        }
        // What the client asks for does not change what the document promises.
        Set<String> produced = new TreeSet<>(List.of("application/json", "*/*"));
        operation.getResponses().values().forEach(response -> {
            if (response.getContent() != null) {
                produced.addAll(response.getContent().keySet());
            }
        });
        for (String accept : produced) {
            Call valid = validCall("valid, asking for " + accept, template, method, operation, parameters, secured);
            Map<String, String> headers = new LinkedHashMap<>(valid.headers());
            headers.put("Accept", accept);
            calls.add(new Call(valid.why(), method, template, valid.path(), valid.query(), headers, valid.body()));
        }
        for (Parameter parameter : parameters) {
            values.invalid(parameter.getSchema()).forEach((what, bad) -> {
                if (bad.isNull() || bad.isContainerNode()) {
                    return;
                }
                Call valid = validCall("", template, method, operation, parameters, secured);
                String text = bad.asText();
                if ("path".equals(parameter.getIn())) {
                    calls.add(withPath(
                            valid,
                            "path " + parameter.getName() + " " + what,
                            fill(template, parameters, parameter.getName(), text)));
                } else if ("query".equals(parameter.getIn())) {
                    Map<String, String> query = new LinkedHashMap<>(valid.query());
                    query.put(parameter.getName(), text);
                    calls.add(new Call(
                            "query " + parameter.getName() + " " + what,
                            method,
                            template,
                            valid.path(),
                            query,
                            valid.headers(),
                            valid.body()));
                }
            });
        }
        MediaType json =
                operation.getRequestBody() == null || operation.getRequestBody().getContent() == null
                        ? null
                        : operation.getRequestBody().getContent().get("application/json");
        if (json != null) {
            values.invalid(json.getSchema())
                    .forEach((what, bad) -> calls.add(withBody(
                            validCall("", template, method, operation, parameters, secured),
                            "body " + what,
                            "application/json",
                            bytes(bad.toString()))));
            for (String broken : List.of("{", "", "[1,", "{\"a\":1}}", "\"just a string\"")) {
                calls.add(withBody(
                        validCall("", template, method, operation, parameters, secured),
                        "body not the JSON asked for: " + broken,
                        "application/json",
                        bytes(broken)));
            }
            Call valid = validCall("", template, method, operation, parameters, secured);
            calls.add(withBody(valid, "a JSON body declared as text/plain", "text/plain", valid.body()));
        }
        if (operation.getRequestBody() != null
                && Boolean.TRUE.equals(operation.getRequestBody().getRequired())) {
            Call valid = validCall("", template, method, operation, parameters, secured);
            Map<String, String> headers = new LinkedHashMap<>(valid.headers());
            headers.remove("Content-Type");
            calls.add(new Call("no body", method, template, valid.path(), valid.query(), headers, null));
        }
        if (secured) {
            Call valid = validCall("", template, method, operation, parameters, secured);
            Map<String, String> without = new LinkedHashMap<>(valid.headers());
            without.remove("Authorization");
            calls.add(new Call("no credentials", method, template, valid.path(), valid.query(), without, valid.body()));
            Map<String, String> unknown = new LinkedHashMap<>(valid.headers());
            unknown.put("Authorization", "Bearer " + values.validText(new Schema<>().pattern("^[A-Za-z0-9_-]{43}$")));
            calls.add(
                    new Call("an unknown token", method, template, valid.path(), valid.query(), unknown, valid.body()));
            Map<String, String> basic = new LinkedHashMap<>(valid.headers());
            basic.put("Authorization", "Basic dXNlcjpwYXNz");
            calls.add(
                    new Call("Basic credentials", method, template, valid.path(), valid.query(), basic, valid.body()));
        }
        return calls;
    }

    /** Each standard method the path does not document, with credentials: a 405 naming the documented ones. */
    private List<Call> otherMethodCalls(String template, PathItem item) {
        List<Parameter> parameters = item.getParameters() == null ? List.of() : item.getParameters();
        Set<String> documented =
                item.readOperationsMap().keySet().stream().map(Enum::name).collect(Collectors.toSet());
        List<Call> calls = new ArrayList<>();
        for (String method : STANDARD_METHODS) {
            if (!documented.contains(method)) {
                calls.add(new Call(
                        "a method the path does not have",
                        method,
                        template,
                        fill(template, parameters, null, null),
                        Map.of(),
                        Map.of("Authorization", samples.authorization()),
                        null));
            }
        }
        return calls;
    }

    private Call validCall(
            String why,
            String template,
            String method,
            Operation operation,
            List<Parameter> parameters,
            boolean secured) {
        return validCall(why, template, method, operation, parameters, secured, false);
    }

    private Call validCall(
            String why,
            String template,
            String method,
            Operation operation,
            List<Parameter> parameters,
            boolean secured,
            boolean sampleBody) {
        String path = fill(template, parameters, null, null);
        Map<String, String> query = new LinkedHashMap<>();
        for (Parameter parameter : parameters) {
            if ("query".equals(parameter.getIn())
                    && (Boolean.TRUE.equals(parameter.getRequired()) || random.nextBoolean())) {
                query.put(parameter.getName(), values.validText(parameter.getSchema()));
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (secured) {
            headers.put("Authorization", samples.authorization());
        }
        byte[] body = null;
        if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
            List<Map.Entry<String, byte[]>> candidates = new ArrayList<>();
            List<Map.Entry<String, byte[]>> sampled = new ArrayList<>();
            operation.getRequestBody().getContent().forEach((mediaType, content) -> {
                samples.bodies(method, template, mediaType)
                        .forEach(sample -> sampled.add(Map.entry(mediaType, sample)));
                if (mediaType.equals("application/json")) {
                    candidates.add(Map.entry(
                            mediaType, bytes(values.valid(content.getSchema()).toString())));
                }
            });
            if (sampleBody && !sampled.isEmpty()) {
                candidates.clear();
            }
            candidates.addAll(sampled);
            if (!candidates.isEmpty()) {
                Map.Entry<String, byte[]> chosen = candidates.get(random.nextInt(candidates.size()));
                headers.put("Content-Type", chosen.getKey());
                body = chosen.getValue();
            }
        }
        return new Call(why, method, template, path, query, headers, body);
    }

    /** The template with each parameter filled: {@code replaced} gets {@code value}, the others a valid or existing value. */
    private String fill(String template, List<Parameter> parameters, String replaced, String value) {
        StringBuilder path = new StringBuilder();
        var matcher = TEMPLATE_PARAMETER.matcher(template);
        while (matcher.find()) {
            String name = matcher.group(1);
            String filled;
            if (name.equals(replaced)) {
                filled = value;
            } else {
                Optional<String> existing = random.nextBoolean() ? samples.existing(template, name) : Optional.empty();
                Schema<?> schema = parameters.stream()
                        .filter(p -> p.getName().equals(name) && "path".equals(p.getIn()))
                        .map(Parameter::getSchema)
                        .findFirst()
                        .orElse(null);
                filled = existing.orElseGet(() -> values.validText(schema));
            }
            matcher.appendReplacement(path, java.util.regex.Matcher.quoteReplacement(encode(filled)));
        }
        matcher.appendTail(path);
        return path.toString();
    }

    private Call randomCall() {
        String method = switch (random.nextInt(4)) {
            case 0 ->
                "X" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36).toUpperCase(Locale.ROOT);
            default -> STANDARD_METHODS.get(random.nextInt(STANDARD_METHODS.size()));
        };
        List<String> templates = new ArrayList<>(document.getPaths().keySet());
        String template = templates.get(random.nextInt(templates.size()));
        PathItem item = document.getPaths().get(template);
        List<Parameter> parameters = item.getParameters() == null ? List.of() : item.getParameters();
        String path = switch (random.nextInt(5)) {
            // No '.': a segment of dots is removed before routing (RFC 3986), as it should be.
            case 0 -> "/" + values.validText(new Schema<>().pattern("^[a-zA-Z0-9_~-]{1,12}$"));
            case 1 ->
                (fill(template, parameters, null, null) + "/").replace("//", "/")
                        + values.validText(new Schema<>().pattern("^[a-z0-9]{1,8}$"));
            case 2 -> fill(template, parameters, null, null).toUpperCase(Locale.ROOT);
            default -> fill(template, parameters, null, null);
        };
        Map<String, String> headers = new LinkedHashMap<>();
        if (random.nextBoolean()) {
            headers.put("Authorization", samples.authorization());
        }
        byte[] body = null;
        if (random.nextBoolean()) {
            headers.put("Content-Type", "application/json");
            body = bytes(random.nextBoolean() ? "{}" : "{\"name\":\"x\"}");
        }
        return new Call(
                "random method and path", method, documentedTemplate(path).orElse(null), path, Map.of(), headers, body);
    }

    private static Call withPath(Call call, String why, String path) {
        return new Call(why, call.method(), call.template(), path, call.query(), call.headers(), call.body());
    }

    private static Call withBody(Call call, String why, String contentType, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>(call.headers());
        headers.put("Content-Type", contentType);
        return new Call(why, call.method(), call.template(), call.path(), call.query(), headers, body);
    }

    private boolean secured(Operation operation) {
        var requirements = operation.getSecurity() != null ? operation.getSecurity() : document.getSecurity();
        return requirements != null && requirements.stream().anyMatch(requirement -> !requirement.isEmpty());
    }

    // ---- checking ----

    private record Answer(int status, Map<String, List<String>> headers, byte[] body) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        Optional<String> header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream())
                    .findFirst();
        }
    }

    private void exchange(Call call) {
        Answer answer = send(call);
        requests++;
        // What the answer is checked against: the documented path, concrete before templated.
        Optional<String> template = documentedTemplate(call.path());
        template.ifPresent(t -> samples.answered(call.method(), t, answer.status()));
        List<String> problems = new ArrayList<>();
        if (template.isEmpty()) {
            expectError(answer, 404, problems);
        } else {
            PathItem item = document.getPaths().get(template.get());
            Set<String> documented = item.readOperationsMap().keySet().stream()
                    .map(Enum::name)
                    .collect(Collectors.toCollection(TreeSet::new));
            if (!documented.contains(call.method())) {
                expectError(answer, 405, problems);
                Set<String> allow = answer.header("Allow")
                        .map(value -> Arrays.stream(value.split(","))
                                .map(String::trim)
                                .collect(Collectors.toCollection(TreeSet::new)))
                        .orElse(new TreeSet<>());
                if (!allow.equals(documented)) {
                    problems.add("Allow " + allow + ", but the document has " + documented + " on " + template.get());
                }
            } else {
                statuses.get(call.method() + " " + template.get()).add(answer.status());
                checkOperation(call, answer, problems);
            }
        }
        if (!problems.isEmpty()) {
            violations.add(call.method() + " " + call.target() + " (" + call.why() + ") -> " + answer.status() + " "
                    + excerpt(answer.bodyText()) + ": " + String.join("; ", problems));
        }
    }

    private void checkOperation(Call call, Answer answer, List<String> problems) {
        Request.Method method = Request.Method.valueOf(call.method());
        SimpleRequest.Builder request = new SimpleRequest.Builder(method, call.path());
        call.headers().forEach(request::withHeader);
        call.query().forEach(request::withQueryParam);
        if (call.body() != null) {
            request.withBody(call.body());
        }
        ValidationReport requestReport = validator.validateRequest(request.build());

        SimpleResponse.Builder response = SimpleResponse.Builder.status(answer.status());
        answer.headers().forEach((name, list) -> {
            if (name.equalsIgnoreCase("Content-Type")) {
                response.withContentType(list.getFirst());
            } else {
                response.withHeader(name, list);
            }
        });
        if (answer.body().length > 0) {
            response.withBody(answer.body());
        }
        ValidationReport responseReport = validator.validateResponse(call.path(), method, response.build());
        if (responseReport.hasErrors()) {
            problems.add("the answer is not the document's: " + messages(responseReport));
        }
        if (requestReport.hasErrors()) {
            boolean onlyCredentials = requestReport.getMessages().stream()
                    .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                    .allMatch(m -> m.getKey().startsWith("validation.request.security"));
            if (onlyCredentials && answer.status() != 401) {
                problems.add("the document requires credentials (" + messages(requestReport)
                        + "), but the answer is not 401");
            } else if (answer.status() / 100 != 4) {
                problems.add(
                        "the document forbids this request (" + messages(requestReport) + "), but the service took it");
            }
        } else if (NOT_FOR_VALID_REQUESTS.contains(answer.status())) {
            problems.add("the document allows this request, but the service refused it");
        }
    }

    private void expectError(Answer answer, int status, List<String> problems) {
        if (answer.status() != status) {
            problems.add("expected " + status);
        }
        if (!answer.header("Content-Type").orElse("").startsWith("application/json")) {
            problems.add("error without application/json: "
                    + answer.header("Content-Type").orElse("no Content-Type"));
        }
        ValidationReport report = schemas.validate(answer.bodyText(), errorSchema, "response.body");
        if (report.hasErrors()) {
            problems.add("the body is not the document's Error: " + messages(report));
        }
    }

    /** The documented path that {@code path} is, concrete templates before templated ones (OpenAPI's rule). */
    private Optional<String> documentedTemplate(String path) {
        String best = null;
        int fewest = Integer.MAX_VALUE;
        for (String template : document.getPaths().keySet()) {
            String regex = Arrays.stream(template.split("/", -1))
                    .map(segment -> TEMPLATE_PARAMETER.matcher(segment).matches() ? "[^/]+" : Pattern.quote(segment))
                    .collect(Collectors.joining("/"));
            if (Pattern.matches(regex, path)) {
                int parameters =
                        (int) TEMPLATE_PARAMETER.matcher(template).results().count();
                if (parameters < fewest) {
                    fewest = parameters;
                    best = template;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private Answer send(Call call) {
        HttpRequest.BodyPublisher publisher = call.body() == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(call.body());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + call.target()))
                .timeout(Duration.ofSeconds(20))
                .method(call.method(), publisher);
        call.headers().forEach(request::header);
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new AssertionError(
                    "no answer to " + call.method() + " " + call.target() + " (" + call.why() + ", seed " + seed + "): "
                            + e,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String messages(ValidationReport report) {
        return report.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .map(m -> m.getKey() + ": " + m.getMessage())
                .collect(Collectors.joining(" | "));
    }

    private static String excerpt(String body) {
        String oneLine = body.replace('\n', ' ');
        return oneLine.length() <= 160 ? oneLine : oneLine.substring(0, 160) + "...";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
