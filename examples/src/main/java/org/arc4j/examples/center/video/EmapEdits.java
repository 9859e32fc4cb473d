package org.arc4j.examples.center.video;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the console's e-map editor changed (GA 1383 电子地图管理): a plan image uploaded for a site or for the
 * overview of all sites, and where markers sit on it — cameras and zones on a site's plan, sites on the overview — as
 * fractions of the image's width and height. These win over the configuration file's {@code plan}, {@code x} and
 * {@code y}.
 *
 * <p>Each change is journalled ({@code CONFIG_CHANGE}, subject {@code center/emap/<site>}, with who made it) and
 * replayed at start; an image goes to {@code DATA/emap/} with its SHA-256 in the record. An image must be PNG, JPEG
 * or SVG (by its first bytes, whatever the request says) and at most {@link #MAX_IMAGE_BYTES}.
 *
 * <p>Annotations drawn on a plan or the overview ({@link Annotation}: a text, a line or an area with its label) are
 * journalled the same way, each change the whole annotation (created, moved or edited) or its removal.
 * Thread-safe.
 */
public final class EmapEdits {
    /** The site key of the overview map of all sites. */
    public static final String OVERVIEW = "overview";
    /** The largest plan image accepted, bytes (below the HTTP server's 1 MiB request limit). */
    public static final int MAX_IMAGE_BYTES = 768 * 1024;
    static final String SUBJECT = "center/emap/";
    private static final Logger LOG = LoggerFactory.getLogger(EmapEdits.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MARKER = Pattern.compile("(camera|zone|site):[A-Za-z0-9._-]{1,64}");

    private final RecordStore journal;
    private final Path dir;
    private final Clock clock;
    private final Set<String> sites;
    private final Map<String, Path> plans = new ConcurrentHashMap<>();
    private final Map<String, String> types = new ConcurrentHashMap<>();
    private final Map<String, Map<String, double[]>> positions = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Annotation>> annotations = new ConcurrentHashMap<>();
    /** The most annotations on one plan. */
    public static final int MAX_ANNOTATIONS = 200;
    private static final Pattern ANNOTATION_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    /**
     * A note drawn on a plan (GA 1383 电子地图管理: annotate the map): a {@code text} at one point, a {@code line}
     * through two or more points, or an {@code area} bounded by three or more, each with its text (the label of a
     * line or area may be empty). Points are fractions of the plan's width and height, 0 to 1.
     *
     * @param id     its id on the plan, 1 to 32 letters, digits, '_' or '-'
     * @param kind   {@code text}, {@code line} or {@code area}
     * @param text   what it says, at most 200 characters
     * @param points where it is drawn
     */
    public record Annotation(String id, String kind, String text, java.util.List<Position> points) {
        /** Copies the list; an absent text is empty. */
        public Annotation {
            text = text == null ? "" : text;
            points = points == null ? java.util.List.of() : java.util.List.copyOf(points);
        }

        /** @return what is wrong with it, or null */
        String problem() {
            if (id == null || !ANNOTATION_ID.matcher(id).matches()) {
                return "annotation id must be 1 to 32 letters, digits, '_' or '-'";
            }
            int least = switch (kind == null ? "" : kind) {
                case "text" -> 1;
                case "line" -> 2;
                case "area" -> 3;
                default -> -1;
            };
            if (least < 0) {
                return "annotation " + id + ": kind must be text, line or area";
            }
            if (text.length() > 200 || kind.equals("text") && text.isBlank()) {
                return "annotation " + id + ": text must be " + (kind.equals("text") ? "1" : "0") + " to 200 characters";
            }
            if (points.size() < least || points.size() > 100 || kind.equals("text") && points.size() != 1) {
                return "annotation " + id + ": " + (kind.equals("area") ? "an " : "a ") + kind + " has "
                        + (kind.equals("text") ? "1 point"
                        : least + " to 100 points");
            }
            for (Position p : points) {
                if (!(p.x() >= 0 && p.x() <= 1 && p.y() >= 0 && p.y() <= 1)) {
                    return "annotation " + id + ": x and y must be 0 to 1";
                }
            }
            return null;
        }

        ObjectNode json() {
            ObjectNode n = JsonNodeFactory.instance.objectNode().put("id", id).put("kind", kind).put("text", text);
            var a = n.putArray("points");
            points.forEach(p -> a.addObject().put("x", p.x()).put("y", p.y()));
            return n;
        }

        static Annotation of(JsonNode n) {
            java.util.List<Position> ps = new java.util.ArrayList<>();
            n.path("points").forEach(p -> ps.add(new Position(p.path("x").asDouble(), p.path("y").asDouble())));
            return new Annotation(n.path("id").asText(null), n.path("kind").asText(null), n.path("text").asText(""),
                    ps);
        }
    }

    /** Where a marker sits: fractions of the plan's width ({@code x}) and height ({@code y}), 0 to 1. */
    public record Position(double x, double y) {
    }

    private EmapEdits(RecordStore journal, Path data, Clock clock, Set<String> sites) {
        this.journal = journal;
        this.dir = data.resolve("emap");
        this.clock = clock;
        this.sites = Set.copyOf(sites);
    }

    /**
     * Opens the editor's state: the journalled changes replayed in order.
     *
     * @param journal the centre's journal
     * @param data    the data directory (images go to {@code DATA/emap})
     * @param clock   the centre's clock
     * @param sites   the configured site ids
     * @return the edits
     */
    public static EmapEdits open(RecordStore journal, Path data, Clock clock, Set<String> sites) {
        EmapEdits e = new EmapEdits(Objects.requireNonNull(journal), Objects.requireNonNull(data),
                Objects.requireNonNull(clock), sites);
        journal.replay(1, Set.of(RecordType.CONFIG_CHANGE), r -> {
            if (r.subject().startsWith(SUBJECT)) {
                try {
                    e.apply(r.subject().substring(SUBJECT.length()), JSON.readTree(r.payload()));
                } catch (IOException | RuntimeException x) {
                    LOG.warn("journalled e-map change at {} cannot be applied: {}", r.position(), x.toString());
                }
            }
        });
        return e;
    }

    private void apply(String site, JsonNode n) {
        if (n.hasNonNull("plan")) {
            plans.put(site, dir.resolve(n.path("plan").asText()));
            types.put(site, n.path("type").asText());
        }
        if (n.hasNonNull("annotation")) {
            Annotation a = Annotation.of(n.path("annotation"));
            annotations.computeIfAbsent(site, x -> new java.util.concurrent.ConcurrentSkipListMap<>()).put(a.id(), a);
        }
        if (n.hasNonNull("removedAnnotation")) {
            annotations.getOrDefault(site, Map.of()).remove(n.path("removedAnnotation").asText());
        }
        JsonNode p = n.path("positions");
        p.fieldNames().forEachRemaining(k -> positions.computeIfAbsent(site, x -> new ConcurrentHashMap<>())
                .put(k, new double[] {p.path(k).path("x").asDouble(), p.path(k).path("y").asDouble()}));
    }

    private void checkSite(String site) {
        if (!OVERVIEW.equals(site) && !sites.contains(site)) {
            throw new IllegalArgumentException("no site '" + site + "'");
        }
    }

    /**
     * Stores a plan image for a site (or the {@link #OVERVIEW}) and journals it.
     *
     * @param site  a site id, or {@link #OVERVIEW}
     * @param image the image's bytes
     * @param by    who uploaded it
     * @return completes once the change is durable
     * @throws IllegalArgumentException naming the limit: not PNG, JPEG or SVG, larger than {@link #MAX_IMAGE_BYTES},
     *                                  or an unknown site
     */
    public CompletionStage<Long> putPlan(String site, byte[] image, String by) {
        checkSite(site);
        if (image.length == 0 || image.length > MAX_IMAGE_BYTES) {
            throw new IllegalArgumentException("a plan image must be 1 to " + MAX_IMAGE_BYTES + " bytes ("
                    + MAX_IMAGE_BYTES / 1024 + " KiB); this one has " + image.length);
        }
        String type = type(image);
        if (type == null) {
            throw new IllegalArgumentException("a plan image must be PNG, JPEG or SVG");
        }
        String sha = sha256(image);
        String name = site + "-" + sha.substring(0, 16) + (type.equals("image/png") ? ".png"
                : type.equals("image/jpeg") ? ".jpg" : ".svg");
        try {
            Files.createDirectories(dir);
            Path tmp = Files.write(dir.resolve(name + ".tmp"), image);
            Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("plan", name).put("type", type)
                .put("bytes", image.length).put("sha256", sha);
        return journal(site, n, by).thenApply(pos -> {
            apply(site, n);
            return pos;
        });
    }

    /**
     * Moves markers on a site's plan (or sites on the {@link #OVERVIEW}) and journals it.
     *
     * @param site    a site id, or {@link #OVERVIEW}
     * @param markers by {@code camera:<id>}, {@code zone:<number>} or {@code site:<id>}
     * @param by      who moved them
     * @return completes once the change is durable
     * @throws IllegalArgumentException for a malformed marker, a position outside 0 to 1, or an unknown site
     */
    public CompletionStage<Long> putPositions(String site, Map<String, Position> markers, String by) {
        checkSite(site);
        if (markers.isEmpty() || markers.size() > 500) {
            throw new IllegalArgumentException("markers: 1 to 500");
        }
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        ObjectNode p = n.putObject("positions");
        for (Map.Entry<String, Position> m : new LinkedHashMap<>(markers).entrySet()) {
            if (!MARKER.matcher(m.getKey()).matches()) {
                throw new IllegalArgumentException("marker '" + m.getKey() + "' must be camera:, zone: or site: and an id");
            }
            Position v = m.getValue();
            if (!(v.x() >= 0 && v.x() <= 1 && v.y() >= 0 && v.y() <= 1)) {
                throw new IllegalArgumentException("marker " + m.getKey() + ": x and y must be 0 to 1");
            }
            p.putObject(m.getKey()).put("x", v.x()).put("y", v.y());
        }
        return journal(site, n, by).thenApply(pos -> {
            apply(site, n);
            return pos;
        });
    }

    /**
     * Creates an annotation on a site's plan (or the {@link #OVERVIEW}), or replaces the one of that id: moved or
     * edited. Journalled.
     *
     * @param site a site id, or {@link #OVERVIEW}
     * @param a    the annotation
     * @param by   who drew it
     * @return completes once the change is durable
     * @throws IllegalArgumentException naming what is wrong: its id, kind, text or points, too many annotations, or
     *                                  an unknown site
     */
    public CompletionStage<Long> putAnnotation(String site, Annotation a, String by) {
        checkSite(site);
        String problem = a.problem();
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        Map<String, Annotation> on = annotations.getOrDefault(site, Map.of());
        if (!on.containsKey(a.id()) && on.size() >= MAX_ANNOTATIONS) {
            throw new IllegalArgumentException("a plan has at most " + MAX_ANNOTATIONS + " annotations");
        }
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.set("annotation", a.json());
        return journal(site, n, by).thenApply(pos -> {
            apply(site, n);
            return pos;
        });
    }

    /**
     * Removes an annotation. Journalled.
     *
     * @param site a site id, or {@link #OVERVIEW}
     * @param id   the annotation's id
     * @param by   who removed it
     * @return completes once the change is durable, with false when there was no such annotation (nothing journalled)
     * @throws IllegalArgumentException for an unknown site
     */
    public CompletionStage<Boolean> removeAnnotation(String site, String id, String by) {
        checkSite(site);
        if (!annotations.getOrDefault(site, Map.of()).containsKey(id)) {
            return java.util.concurrent.CompletableFuture.completedFuture(false);
        }
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("removedAnnotation", id);
        return journal(site, n, by).thenApply(pos -> {
            apply(site, n);
            return true;
        });
    }

    /**
     * @param site a site id, or {@link #OVERVIEW}
     * @return its annotations, by id
     */
    public java.util.List<Annotation> annotations(String site) {
        return java.util.List.copyOf(annotations.getOrDefault(site, Map.of()).values());
    }

    /**
     * @param site a site id, or {@link #OVERVIEW}
     * @return its annotations as JSON, for the e-map
     */
    public com.fasterxml.jackson.databind.node.ArrayNode annotationsJson(String site) {
        var a = JsonNodeFactory.instance.arrayNode();
        annotations(site).forEach(x -> a.add(x.json()));
        return a;
    }

    private CompletionStage<Long> journal(String site, ObjectNode change, String by) {
        change.put("by", by);
        return journal.append(new NewRecord(RecordType.CONFIG_CHANGE, 1, clock.instant(), SUBJECT + site,
                change.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * @param site a site id, or {@link #OVERVIEW}
     * @return the uploaded plan as a {@code data:} URL, or null when none was uploaded (or its file is gone)
     */
    public String planImage(String site) {
        Path p = plans.get(site);
        if (p == null) {
            return null;
        }
        try {
            return "data:" + types.get(site) + ";base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(p));
        } catch (IOException e) {
            LOG.warn("e-map plan of {} cannot be read: {}", site, e.toString());
            return null;
        }
    }

    /**
     * @param site   a site id, or {@link #OVERVIEW}
     * @param marker {@code camera:<id>}, {@code zone:<number>} or {@code site:<id>}
     * @return where it was moved to, or null when it never was
     */
    public Position position(String site, String marker) {
        double[] v = positions.getOrDefault(site, Map.of()).get(marker);
        return v == null ? null : new Position(v[0], v[1]);
    }

    /** @return the MIME type the image's first bytes say, or null when it is none of PNG, JPEG, SVG */
    static String type(byte[] b) {
        if (b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return "image/png";
        }
        if (b.length > 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF) {
            return "image/jpeg";
        }
        String head = new String(b, 0, Math.min(b.length, 512), StandardCharsets.UTF_8).stripLeading();
        if ((head.startsWith("<?xml") || head.startsWith("<svg")) && head.contains("<svg")) {
            return "image/svg+xml";
        }
        return null;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
