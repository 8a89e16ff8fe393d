package brocard.webhooks.admin;

import jakarta.enterprise.context.RequestScoped;

/**
 * The operator behind the current operator-API request, as {@link AdminAuthFilter} recognised them. Resources pass
 * {@link #name()} to the audit log, so every change names who made it.
 */
@RequestScoped
public class AdminPrincipal {

    private String name;
    private AdminScope scope;

    void authenticated(String name, AdminScope scope) {
        this.name = name;
        this.scope = scope;
    }

    /** The token's name ({@code ops-alice}); fails outside an authenticated operator request. */
    public String name() {
        if (name == null) {
            throw new IllegalStateException("No authenticated operator in this request");
        }
        return name;
    }

    public AdminScope scope() {
        return scope;
    }
}
