package brocard.webhooks.support;

import io.quarkus.test.common.QuarkusTestResource;

/**
 * Declares {@link EmbeddedInfrastructure} once for every {@code @QuarkusTest} (a non-restricted test resource applies
 * to all of them, and the application starts once for the whole suite).
 */
@QuarkusTestResource(EmbeddedInfrastructure.class)
public final class TestInfrastructure {

    private TestInfrastructure() {}
}
