package dev.mkplat.api.items;

import java.util.List;

/**
 * One page of a user's items, newest first, as the list endpoint returns it.
 *
 * @param items  at most {@code limit} items
 * @param limit  the limit that was applied
 * @param offset the offset that was applied
 * @param next   the offset of the next page, or {@code null} on the last page
 */
public record ItemPage(List<Item> items, int limit, long offset, Long next) {}
