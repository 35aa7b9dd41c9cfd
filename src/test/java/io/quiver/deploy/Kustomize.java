package io.quiver.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.quiver.deploy.Manifests.Doc;

/**
 * The part of kustomize the kustomizations under k8s/ use, to see what each one deploys: resources (files and
 * directories), strategic-merge patches by file (including {@code $patch: delete}), {@code replicas} and
 * {@code images} (what {@code kustomize edit set image} writes). A
 * kustomization using anything else fails to load here, so this stays in step with what it is used for;
 * {@code KubernetesManifestsTest} compares the result with {@code kubectl kustomize} where kubectl is installed.
 */
final class Kustomize {

    /** The fields a kustomization.yaml may use; an unknown one fails its reading. */
    record Kustomization(String apiVersion, String kind, List<String> resources, List<PatchFile> patches, List<Replicas> replicas,
            List<Image> images) {

        Kustomization {
            resources = resources == null ? List.of() : resources;
            patches = patches == null ? List.of() : patches;
            replicas = replicas == null ? List.of() : replicas;
            images = images == null ? List.of() : images;
        }
    }

    record PatchFile(String path) {
    }

    record Replicas(String name, int count) {
    }

    /** Replaces the name, tag or digest of the images named {@code name} (without tag) in every container list. */
    record Image(String name, String newName, String newTag, String digest) {

        String apply(String image) {
            int at = image.indexOf('@');
            String ref = at < 0 ? image : image.substring(0, at);
            int colon = ref.lastIndexOf(':');
            String repository = colon > ref.lastIndexOf('/') ? ref.substring(0, colon) : ref;
            if (!repository.equals(name)) {
                return image;
            }
            String version = image.substring(repository.length());
            if (digest != null) {
                version = "@" + digest;
            } else if (newTag != null) {
                version = ":" + newTag;
            }
            return (newName != null ? newName : repository) + version;
        }
    }

    // Strategic merge keys of the lists the patches touch (k8s.io/api's patchMergeKey tags); other lists are replaced.
    private static final Map<String, String> MERGE_KEYS = Map.of("containers", "name", "initContainers", "name", "env", "name",
            "volumes", "name", "volumeMounts", "mountPath", "ports", "containerPort");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Kustomize() {
    }

    static Path file(Path dir) {
        return dir.resolve("kustomization.yaml");
    }

    static Kustomization load(Path dir) {
        Path file = file(dir);
        try {
            return YAML.readValue(file.toFile(), Kustomization.class);
        } catch (IOException e) {
            throw new AssertionError(file + " cannot be read, or uses a kustomize feature Kustomize (the test's helper) does "
                    + "not model: " + e.getMessage(), e);
        }
    }

    /** The documents the kustomization in {@code dir} produces, in resource order. */
    static List<Doc> build(Path dir) {
        Kustomization k = load(dir);
        List<Doc> out = new ArrayList<>();
        for (String resource : k.resources()) {
            Path path = dir.resolve(resource).normalize();
            if (Files.isDirectory(path)) {
                out.addAll(build(path));
            } else if (Files.isRegularFile(path)) {
                Manifests.read(path).forEach(d -> out.add(new Doc(d.file(), d.line(), d.tree().deepCopy())));
            } else {
                throw new AssertionError(file(dir) + " lists resource " + resource + ", which does not exist");
            }
        }
        for (Doc d : out) {
            if (out.stream().filter(o -> o.type().equals(d.type()) && o.name().equals(d.name())).count() > 1) {
                throw new AssertionError(file(dir) + " defines " + d.type() + " " + d.name() + " more than once (kustomize refuses that)");
            }
        }
        for (PatchFile patch : k.patches()) {
            Path path = dir.resolve(patch.path()).normalize();
            if (!Files.isRegularFile(path)) {
                throw new AssertionError(file(dir) + " lists patch " + patch.path() + ", which does not exist");
            }
            for (Doc p : Manifests.read(path)) {
                Doc target = out.stream().filter(d -> d.type().equals(p.type()) && d.name().equals(p.name())).findFirst()
                        .orElseThrow(() -> new AssertionError(p.file() + " patches " + p.type() + " " + p.name() + ", which "
                                + "none of the resources of " + file(dir) + " defines"));
                if ("delete".equals(p.tree().path("$patch").asText(null))) {
                    out.remove(target);
                } else {
                    merge((ObjectNode) target.tree(), (ObjectNode) p.tree(), p.where());
                }
            }
        }
        for (Doc d : out) {
            k.images().forEach(image -> setImages(d.tree(), image));
        }
        for (Replicas r : k.replicas()) {
            Doc target = out.stream().filter(d -> d.is("Deployment", r.name())).findFirst()
                    .orElseThrow(() -> new AssertionError(file(dir) + " sets replicas of Deployment " + r.name() + ", which none of "
                            + "its resources defines"));
            ((ObjectNode) target.tree().path("spec")).put("replicas", r.count());
        }
        return out;
    }

    private static void setImages(JsonNode node, Image image) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            if ((field.getKey().equals("containers") || field.getKey().equals("initContainers")) && field.getValue().isArray()) {
                for (JsonNode c : field.getValue()) {
                    if (c.path("image").isTextual()) {
                        ((ObjectNode) c).put("image", image.apply(c.get("image").asText()));
                    }
                }
            }
            setImages(field.getValue(), image);
        }
        if (node.isArray()) {
            node.forEach(n -> setImages(n, image));
        }
    }

    /** Strategic merge: maps merge, lists with a merge key merge by it (patch items first, as kustomize orders them), null removes. */
    static void merge(ObjectNode target, ObjectNode patch, String where) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = patch.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            JsonNode current = target.get(name);
            if (name.startsWith("$")) {
                if (!name.equals("$patch")) {
                    throw new AssertionError(where + " uses the directive " + name + ", which Kustomize (the test's helper) does not model");
                }
            } else if (value.isNull()) {
                target.remove(name);
            } else if (value.isObject() && current != null && current.isObject()) {
                merge((ObjectNode) current, (ObjectNode) value, where);
            } else if (value.isArray() && current != null && current.isArray() && MERGE_KEYS.containsKey(name)) {
                target.set(name, mergeList((ArrayNode) current, (ArrayNode) value, MERGE_KEYS.get(name), where));
            } else {
                target.set(name, value.deepCopy());
            }
        }
    }

    private static ArrayNode mergeList(ArrayNode current, ArrayNode patch, String key, String where) {
        ArrayNode out = current.arrayNode();
        List<JsonNode> rest = new ArrayList<>();
        current.forEach(rest::add);
        for (JsonNode item : patch) {
            JsonNode id = item.get(key);
            JsonNode match = rest.stream().filter(c -> c.get(key) != null && c.get(key).equals(id)).findFirst().orElse(null);
            if (match == null) {
                out.add(item.deepCopy());
            } else {
                rest.remove(match);
                ObjectNode merged = match.deepCopy();
                merge(merged, (ObjectNode) item, where);
                out.add(merged);
            }
        }
        rest.forEach(out::add);
        return out;
    }
}
