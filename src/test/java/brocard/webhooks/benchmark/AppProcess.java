package brocard.webhooks.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application (target/quarkus-app, prod profile) as a child process, started the way the container
 * starts it, on the test JVM's own java. Talks to it over {@link HttpURLConnection}: the load generator's JDK HTTP
 * client must be the only one in this JVM, so that its CPU time can be told apart.
 */
public final class AppProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    private final Process process;
    private final int port;
    private final Path log;

    private AppProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the app with these environment variables (on top of QUARKUS_HTTP_PORT) and extra JVM options. */
    public static AppProcess start(Map<String, String> env, List<String> jvmArgs, Path log) throws IOException {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run the benchmark with `./mvnw verify -Pbenchmark`");
        }
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment
                .keySet()
                .removeIf(name ->
                        name.startsWith("BROCARD_") || name.startsWith("QUARKUS_") || name.startsWith("KAFKA_"));
        environment.putAll(env);
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        return new AppProcess(builder.start(), port, log);
    }

    public long pid() {
        return process.pid();
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://localhost:" + port + pathAndQuery);
    }

    /** Waits for {@code /q/health/ready} to answer 200. */
    public void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (status("GET", "/q/health/ready", null, null) != 200) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The application exited with " + process.exitValue() + "; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The application is not ready after " + timeout + "; see " + log);
            }
            Thread.sleep(250);
        }
    }

    /** POSTs JSON to the operator API; fails unless the answer is 2xx. */
    void adminPost(String path, String adminToken, String json) {
        int status = status("POST", path, "Bearer " + adminToken, json);
        if (status / 100 != 2) {
            throw new IllegalStateException("POST " + path + " answered " + status + "; see " + log);
        }
    }

    private int status(String method, String path, String authorization, String json) {
        try {
            HttpURLConnection http = (HttpURLConnection) uri(path).toURL().openConnection();
            http.setRequestMethod(method);
            http.setConnectTimeout(1000);
            http.setReadTimeout(10_000);
            if (authorization != null) {
                http.setRequestProperty("Authorization", authorization);
            }
            if (json != null) {
                http.setDoOutput(true);
                http.setRequestProperty("Content-Type", "application/json");
                try (OutputStream out = http.getOutputStream()) {
                    out.write(json.getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = http.getResponseCode();
            try (InputStream in = status < 400 ? http.getInputStream() : http.getErrorStream()) {
                if (in != null) {
                    in.readAllBytes();
                }
            }
            return status;
        } catch (IOException notYet) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** SIGKILL, as the kernel's OOM killer or a lost node would: no shutdown hook runs. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as Kubernetes does first; waits for the exit. @return whether it exited in time */
    public boolean terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the app as Kubernetes would (SIGTERM), so that a JFR recording is written on exit. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
