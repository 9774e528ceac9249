package dev.mkplat.traffic.scenario;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scenarios that ship with mkplat. They talk to the services through the ingress hosts by
 * default; {@code --target api=http://127.0.0.1:3000} points one at a locally running service.
 */
public final class BuiltInScenarios {
    /** The names, in the order the help lists them. */
    public static final List<String> NAMES = List.of("mixed", "api", "auth", "images");

    /** Virtual users per scenario: enough to spread tokens and items, few enough to set up in a second. */
    static final int USERS = 10;

    private static final Map<String, URI> INGRESS = Map.of(
            "api", URI.create("https://api.test"),
            "auth", URI.create("https://auth.test"),
            "images", URI.create("https://images.test"));

    private static final Step REGISTER = new Step(
            "auth register",
            "auth",
            "POST",
            Template.of("/register"),
            Map.of(),
            json("{\"username\":\"${user}\",\"password\":\"${password}\"}"),
            Map.of());
    private static final Step LOGIN = new Step(
                    "auth login",
                    "auth",
                    "POST",
                    Template.of("/login"),
                    Map.of(),
                    json("{\"username\":\"${user}\",\"password\":\"${password}\"}"),
                    Map.of())
            .capturing("token", "token");
    private static final Step CREATE_ITEM = new Step(
                    "api create item",
                    "api",
                    "POST",
                    Template.of("/items"),
                    Map.of(),
                    json("{\"name\":\"item-${run}-${seq}\",\"description\":\"created by mkplat traffic\"}"),
                    Map.of())
            .withBearerToken();
    private static final Step SEED_ITEM = CREATE_ITEM.capturing("itemId", "id");
    private static final Step LIST_ITEMS =
            Step.get("api list items", "api", "/items").withBearerToken();
    private static final Step GET_ITEM =
            Step.get("api get item", "api", "/items/${itemId}").withBearerToken();
    private static final Step API_ROOT = Step.get("api root", "api", "/");
    private static final Step VERIFY =
            Step.get("auth verify", "auth", "/verify").withBearerToken();
    private static final Step UPLOAD = Step.get("images upload", "images", "/images/upload")
            .withBody("POST", new Body.Png())
            .withBearerToken()
            .capturing("imageId", "id");
    private static final Step FETCH =
            Step.get("images fetch", "images", "/images/${imageId}").withBearerToken();
    private static final Step LIST_IMAGES =
            Step.get("images list", "images", "/images").withBearerToken();

    private BuiltInScenarios() {}

    /** The built-in scenario called {@code name}, if there is one. */
    public static Optional<Scenario> named(String name) {
        return Optional.ofNullable(
                switch (name) {
                    case "mixed" ->
                        new Scenario(
                                "mixed",
                                USERS,
                                INGRESS,
                                List.of(REGISTER, LOGIN, SEED_ITEM),
                                List.of(
                                        Action.of(3, LIST_ITEMS),
                                        Action.of(2, CREATE_ITEM),
                                        Action.of(3, GET_ITEM),
                                        Action.of(3, VERIFY),
                                        Action.of(1, UPLOAD, FETCH)));
                    case "api" ->
                        new Scenario(
                                "api",
                                USERS,
                                INGRESS,
                                List.of(REGISTER, LOGIN, SEED_ITEM),
                                List.of(
                                        Action.of(2, API_ROOT),
                                        Action.of(3, LIST_ITEMS),
                                        Action.of(1, CREATE_ITEM),
                                        Action.of(3, GET_ITEM)));
                    // Logins are not part of the load: auth locks a client address out after 5 logins in
                    // flight (brute-force protection), and a generator sends them all from one address.
                    case "auth" ->
                        new Scenario("auth", USERS, INGRESS, List.of(REGISTER, LOGIN), List.of(Action.of(1, VERIFY)));
                    case "images" ->
                        new Scenario(
                                "images",
                                USERS,
                                INGRESS,
                                List.of(REGISTER, LOGIN),
                                List.of(Action.of(2, UPLOAD, FETCH), Action.of(1, LIST_IMAGES)));
                    default -> null;
                });
    }

    /** GET each URL, equally weighted: how wrk and hey are used ({@code --url}). */
    public static Scenario urls(List<URI> urls) {
        Map<String, URI> targets = new LinkedHashMap<>();
        List<Action> actions = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            URI url = urls.get(i);
            String target = "url" + (i + 1);
            targets.put(target, URI.create(url.getScheme() + "://" + url.getRawAuthority()));
            String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                    + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
            actions.add(Action.of(
                    1,
                    new Step(
                            "GET " + url,
                            target,
                            "GET",
                            Template.of(path.replace("$", "%24")),
                            Map.of(),
                            Body.NONE,
                            Map.of())));
        }
        return new Scenario("url", 0, targets, List.of(), actions);
    }

    private static Body json(String template) {
        return new Body.Text(Template.of(template), "application/json");
    }
}
