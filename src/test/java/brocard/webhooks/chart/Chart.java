package brocard.webhooks.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The helm chart, rendered and linted by the real helm engine (helm-java bundles it as a native library, so nothing
 * needs installing). Rendered manifests come back as JSON trees.
 */
final class Chart {

    static final Path DIR = Path.of("helm/brocard-webhooks");
    static final Path VALUES = DIR.resolve("values.yaml");
    /** A supported Kubernetes version (the chart needs >= 1.23; helm's default, 1.20, would be refused). */
    static final String KUBE_VERSION = "v1.30.0";

    static final String RELEASE = "brocard-webhooks";
    static final String NAMESPACE = "payments";
    /** The values without which the chart refuses to render: no database, Kafka or secret has a sensible default. */
    static final Map<String, String> REQUIRED = Map.of(
            "image.repository", "registry.example.com/brocard-webhooks",
            "database.jdbcUrl", "jdbc:postgresql://postgres:5432/brocard",
            "database.username", "brocard",
            "database.existingSecret", "brocard-webhooks-db",
            "kafka.bootstrapServers", "kafka:9092",
            "secrets.existingSecret", "brocard-webhooks");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Chart() {}

    /** The chart's CI values files (ci/*-values.yaml, as chart-testing finds them). */
    static List<Path> ciValues() {
        try (Stream<Path> files = Files.list(DIR.resolve("ci"))) {
            return files.filter(f -> f.getFileName().toString().endsWith("-values.yaml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code helm template} with these values files and {@code --set}s; fails with helm's message. */
    static Manifests render(List<Path> valuesFiles, Map<String, ?> sets) {
        TemplateCommand template = new Helm(DIR)
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        valuesFiles.forEach(template::withValuesFile);
        sets.forEach(template::set);
        return Manifests.parse(template.call());
    }

    /** The default values plus only what is required. */
    static Manifests renderDefaults(Map<String, ?> extra) {
        Map<String, Object> sets = new java.util.LinkedHashMap<>(REQUIRED);
        sets.putAll(extra);
        return render(List.of(), sets);
    }

    /**
     * {@code helm lint --strict} as if run with this values file ({@code -f}): helm-java's lint takes no values, and
     * the chart refuses to render without a database and Kafka, so a copy of the chart whose values.yaml has the file
     * merged over the defaults is linted.
     */
    static LintResult lintWith(Path valuesFile) {
        Path copy = null;
        try {
            copy = Files.createTempDirectory("chart-lint").resolve("brocard-webhooks");
            copyTree(DIR, copy);
            ObjectNode merged = (ObjectNode) YAML.readTree(VALUES.toFile());
            merge(merged, YAML.readTree(valuesFile.toFile()));
            new YAMLMapper().writeValue(copy.resolve("values.yaml").toFile(), merged);
            return new Helm(copy).lint().strict().call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(copy);
        }
    }

    static JsonNode readYaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void merge(ObjectNode base, JsonNode overlay) {
        overlay.fields().forEachRemaining(field -> {
            JsonNode current = base.get(field.getKey());
            if (current instanceof ObjectNode object && field.getValue().isObject()) {
                merge(object, field.getValue());
            } else {
                base.set(field.getKey(), field.getValue());
            }
        });
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir.getParent())) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }

    /** The rendered resources. */
    record Manifests(List<JsonNode> resources) {

        static Manifests parse(String yaml) {
            List<JsonNode> resources = new ArrayList<>();
            try (var parser = YAML.getFactory().createParser(yaml)) {
                var documents = YAML.readValues(parser, JsonNode.class);
                while (documents.hasNext()) {
                    JsonNode document = documents.next();
                    if (document != null && document.hasNonNull("kind")) {
                        resources.add(document);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Manifests(resources);
        }

        List<JsonNode> ofKind(String kind) {
            return resources.stream()
                    .filter(r -> kind.equals(r.path("kind").asText()))
                    .toList();
        }

        JsonNode one(String kind) {
            List<JsonNode> found = ofKind(kind);
            if (found.size() != 1) {
                throw new AssertionError("Expected one " + kind + ", found " + found.size());
            }
            return found.get(0);
        }
    }
}
