package brocard.webhooks;

import brocard.webhooks.local.LocalModeBanner;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;

/**
 * The application's entry point. It only exists so that the local-mode banner of {@code ./mvnw quarkus:dev} is the
 * last thing printed: Quarkus logs its own start-up lines ("started in", "Installed features") after every
 * {@code StartupEvent} observer, but before it runs this. Everywhere else it just waits for shutdown, as Quarkus'
 * default entry point does.
 */
@QuarkusMain
public class Main implements QuarkusApplication {

    @Inject
    LocalModeBanner banner;

    @Override
    public int run(String... args) {
        banner.printIfLocal();
        Quarkus.waitForExit();
        return 0;
    }
}
