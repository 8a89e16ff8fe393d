package brocard.webhooks.db;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Flyway migrates at startup over the pool's connections, with the statement and lock timeouts switched off
 * ({@code quarkus.flyway.init-sql}): a migration may rightly take minutes. Those settings belong to the connection's
 * session, so the connections Flyway left idle in the pool are closed before anything else runs; new ones get the
 * pool's timeouts again.
 */
@ApplicationScoped
public class MigrationSessions {

    void closeMigrationConnections(@Observes @Priority(1) StartupEvent started, AgroalDataSource dataSource) {
        dataSource.flush(AgroalDataSource.FlushMode.IDLE);
    }
}
