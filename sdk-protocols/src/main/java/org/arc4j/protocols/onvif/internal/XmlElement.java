package org.arc4j.protocols.onvif.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One element of a parsed SOAP message: namespace, local name, attributes by local name, text and children,
 * plus the namespace declarations in scope, so that QName-valued text (a fault subcode {@code ter:NotAuthorized},
 * a topic {@code tns1:VideoSource/MotionAlarm}) can be resolved. Built once by {@link Xml}, then read only;
 * safe to share between threads after construction.
 */
public final class XmlElement {
    private final XmlElement parent;
    private final String namespace;
    private final String localName;
    private final Map<String, String> attributes = new LinkedHashMap<>();
    private final Map<String, String> declared = new HashMap<>(2);
    private final List<XmlElement> children = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();

    XmlElement(XmlElement parent, String namespace, String localName) {
        this.parent = parent;
        this.namespace = namespace == null ? "" : namespace;
        this.localName = localName;
    }

    XmlElement parent() {
        return parent;
    }

    /** A copy with another namespace, keeping declarations and attributes (no children yet). */
    XmlElement withNamespace(String ns) {
        XmlElement e = new XmlElement(parent, ns, localName);
        e.attributes.putAll(attributes);
        e.declared.putAll(declared);
        return e;
    }

    void declare(String prefix, String uri) {
        declared.put(prefix == null ? "" : prefix, uri);
    }

    void attribute(String local, String value) {
        attributes.put(local, value);
    }

    void add(XmlElement child) {
        children.add(child);
    }

    void appendText(String s) {
        text.append(s);
    }

    /** @return the namespace URI, empty when none or unbound */
    public String namespace() {
        return namespace;
    }

    /** @return the local name */
    public String name() {
        return localName;
    }

    /** @return the text content directly inside this element, trimmed */
    public String text() {
        return text.toString().trim();
    }

    /** @return the children, in document order */
    public List<XmlElement> children() {
        return Collections.unmodifiableList(children);
    }

    /**
     * An attribute by local name (namespaces of attributes are ignored: cameras put them anywhere).
     *
     * @param local the local name
     * @return its value, or null
     */
    public String attr(String local) {
        return attributes.get(local);
    }

    /**
     * The first child with this local name.
     *
     * @param local the local name
     * @return the child, or null
     */
    public XmlElement child(String local) {
        for (XmlElement c : children) {
            if (c.localName.equals(local)) {
                return c;
            }
        }
        return null;
    }

    /**
     * Follows a path of local names through first children.
     *
     * @param path local names
     * @return the element at the end, or null
     */
    public XmlElement path(String... path) {
        XmlElement e = this;
        for (String p : path) {
            e = e.child(p);
            if (e == null) {
                return null;
            }
        }
        return e;
    }

    /**
     * The text of the element at a path.
     *
     * @param path local names
     * @return its trimmed text, or null when absent
     */
    public String text(String... path) {
        XmlElement e = path(path);
        return e == null ? null : e.text();
    }

    /**
     * All children with this local name.
     *
     * @param local the local name
     * @return them, possibly empty
     */
    public List<XmlElement> all(String local) {
        List<XmlElement> out = new ArrayList<>();
        for (XmlElement c : children) {
            if (c.localName.equals(local)) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * Every descendant (not this element) with this local name, in document order.
     *
     * @param local the local name
     * @return them, possibly empty
     */
    public List<XmlElement> descendants(String local) {
        List<XmlElement> out = new ArrayList<>();
        collect(local, out);
        return out;
    }

    private void collect(String local, List<XmlElement> out) {
        for (XmlElement c : children) {
            if (c.localName.equals(local)) {
                out.add(c);
            }
            c.collect(local, out);
        }
    }

    /**
     * Resolves a prefix against the declarations in scope here.
     *
     * @param prefix the prefix, empty for the default namespace
     * @return the namespace, or null when unbound
     */
    public String resolve(String prefix) {
        for (XmlElement e = this; e != null; e = e.parent) {
            String uri = e.declared.get(prefix);
            if (uri != null) {
                return uri;
            }
        }
        return null;
    }

    /**
     * The local part of a QName-valued text ({@code ter:NotAuthorized} → {@code NotAuthorized}).
     *
     * @param qname the text
     * @return the part after the colon, trimmed
     */
    public static String localPart(String qname) {
        if (qname == null) {
            return null;
        }
        String t = qname.trim();
        int c = t.indexOf(':');
        return c < 0 ? t : t.substring(c + 1).trim();
    }

    @Override
    public String toString() {
        return "{" + namespace + "}" + localName;
    }
}
