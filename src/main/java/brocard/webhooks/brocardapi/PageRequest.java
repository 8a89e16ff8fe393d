package brocard.webhooks.brocardapi;

/**
 * Which page of a list to ask for: the first one (no {@code page}, no {@code cursor}: valid in both API versions),
 * a page number (current version's payments) or a cursor (previous version's payments, refunds in both).
 */
public record PageRequest(Integer page, String cursor) {

    public static PageRequest first() {
        return new PageRequest(null, null);
    }

    public static PageRequest page(int page) {
        return new PageRequest(page, null);
    }

    public static PageRequest cursor(String cursor) {
        return new PageRequest(null, cursor);
    }
}
