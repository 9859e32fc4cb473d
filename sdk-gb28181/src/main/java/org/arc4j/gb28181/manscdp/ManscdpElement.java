package org.arc4j.gb28181.manscdp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One XML element of a MANSCDP body (GB/T 28181 Annex A): name, attributes, trimmed text and children in
 * document order. Immutable.
 *
 * @param name       the element name as written (MANSCDP names are case-sensitive)
 * @param attributes the attributes
 * @param text       the trimmed character content directly inside the element, empty when none
 * @param children   the child elements
 */
public record ManscdpElement(String name, Map<String, String> attributes, String text,
                             List<ManscdpElement> children) {
    /** Copies the collections. */
    public ManscdpElement {
        Objects.requireNonNull(name, "name");
        attributes = Map.copyOf(attributes);
        text = text == null ? "" : text;
        children = Collections.unmodifiableList(new ArrayList<>(children));
    }

    /**
     * The first child with a name.
     *
     * @param childName the name
     * @return the child, or null
     */
    public ManscdpElement child(String childName) {
        for (ManscdpElement c : children) {
            if (c.name.equals(childName)) {
                return c;
            }
        }
        return null;
    }

    /**
     * All children with a name.
     *
     * @param childName the name
     * @return the children, in order
     */
    public List<ManscdpElement> children(String childName) {
        return children.stream().filter(c -> c.name.equals(childName)).toList();
    }

    /**
     * The text of the first child with a name.
     *
     * @param childName the name
     * @return its text, or null when the child is absent or empty
     */
    public String childText(String childName) {
        ManscdpElement c = child(childName);
        return c == null || c.text.isEmpty() ? null : c.text;
    }

    /**
     * The text of a descendant along a path of names.
     *
     * @param path element names from this element down, e.g. {@code "Info", "AlarmType"}
     * @return the text, or null
     */
    public String path(String... path) {
        ManscdpElement e = this;
        for (String p : path) {
            e = e.child(p);
            if (e == null) {
                return null;
            }
        }
        return e.text.isEmpty() ? null : e.text;
    }

    /** @return the children as name to text, for flat items (a Catalog Item, a RecordInfo Item) */
    public Map<String, String> flat() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (ManscdpElement c : children) {
            m.putIfAbsent(c.name, c.text);
        }
        return Collections.unmodifiableMap(m);
    }
}
