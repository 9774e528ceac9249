package dev.mkplat.api.items;

import dev.mkplat.service.auth.TokenVerifier;
import dev.mkplat.service.http.ApiException;
import dev.mkplat.service.http.Json;
import dev.mkplat.service.metrics.ServiceMetrics;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.prometheus.metrics.core.metrics.Counter;
import java.util.UUID;

/**
 * {@code /items}: create, list, read, replace and delete the caller's items. Every handler first
 * checks the Bearer token with auth, so an anonymous caller learns nothing (not even whether an id
 * is well formed); then it only ever touches rows owned by the token's user, and another user's
 * item answers 404 exactly like a missing one.
 */
public final class ItemService implements HttpService {
    /** Counter of items created, the dashboards' write rate. */
    public static final String ITEMS_CREATED_TOTAL = "items_created_total";
    /** Where the resource is mounted; its routes are {@code /items} and {@code /items/{id}}. */
    public static final String PATH = "/items";
    /**
     * A valid item is at most ~26 KB of JSON even with every character as a \\u escape, so 64 KiB
     * leaves room for formatting while refusing bulk uploads early.
     */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private final ItemStore store;
    private final TokenVerifier verifier;
    private final Counter created;

    public ItemService(ItemStore store, TokenVerifier verifier, ServiceMetrics metrics) {
        this.store = store;
        this.verifier = verifier;
        this.created = metrics.counter(ITEMS_CREATED_TOTAL, "Items created");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::postItemHandler)
                .get("/", this::listItemsHandler)
                .get("/{id}", this::getItemHandler)
                .put("/{id}", this::putItemHandler)
                .delete("/{id}", this::deleteItemHandler);
    }

    private void postItemHandler(ServerRequest req, ServerResponse res) {
        String owner = verifier.authenticate(req);
        ItemDraft draft = ItemDraft.from(Json.readObject(req, MAX_BODY_BYTES));
        Item item = store.create(owner, draft);
        created.inc();
        res.header(HeaderNames.LOCATION, PATH + "/" + item.id());
        Json.send(res, Status.CREATED_201, item);
    }

    private void listItemsHandler(ServerRequest req, ServerResponse res) {
        String owner = verifier.authenticate(req);
        PageRequest page = PageRequest.from(req.query());
        Json.send(res, Status.OK_200, store.list(owner, page));
    }

    private void getItemHandler(ServerRequest req, ServerResponse res) {
        String owner = verifier.authenticate(req);
        UUID id = itemId(req);
        Item item = store.find(owner, id).orElseThrow(() -> notFound(id));
        Json.send(res, Status.OK_200, item);
    }

    private void putItemHandler(ServerRequest req, ServerResponse res) {
        String owner = verifier.authenticate(req);
        UUID id = itemId(req);
        ItemDraft draft = ItemDraft.from(Json.readObject(req, MAX_BODY_BYTES));
        Item item = store.replace(owner, id, draft).orElseThrow(() -> notFound(id));
        Json.send(res, Status.OK_200, item);
    }

    private void deleteItemHandler(ServerRequest req, ServerResponse res) {
        String owner = verifier.authenticate(req);
        UUID id = itemId(req);
        if (!store.delete(owner, id)) {
            throw notFound(id);
        }
        res.status(Status.NO_CONTENT_204);
        res.send();
    }

    /** A malformed id is answered like an unknown one: there is no item at that URL either way. */
    private static UUID itemId(ServerRequest req) {
        String text = req.path().pathParameters().get("id");
        return Item.parseId(text).orElseThrow(() -> ApiException.notFound("no item with that id"));
    }

    private static ApiException notFound(UUID id) {
        return ApiException.notFound("no item " + id);
    }
}
