/**
 * The durable store: an append-only sequence of typed records ({@link org.arc4j.core.store.RecordStore}) that the
 * intake, the pipeline, security (audit) and the reference centre write to, and its embedded default, the
 * {@link org.arc4j.core.store.Journal}. An acknowledged alarm is in the store before the device hears ACK (GA 1383
 * 服务质量: missed alarms 0), is kept for its retention (记录存储与播放: alarm information ≥ 180 days, police alarms
 * forever) and is backed up (数据维护: alarm data daily, configuration and customer data before and after every
 * change).
 *
 * <h2>Interfaces</h2>
 * <ul>
 *   <li>{@link org.arc4j.core.store.RecordStore}: append (single, atomic batch), read, replay, subscribe.</li>
 *   <li>{@link org.arc4j.core.store.EventQueries}: events by time, account, category and case state; cases by
 *       state.</li>
 *   <li>{@link org.arc4j.core.store.Retention}: compaction under a {@link org.arc4j.core.store.RetentionPolicy}
 *       with the GA 1383 floors.</li>
 *   <li>{@link org.arc4j.core.store.Backup}: consistent online backups and their verification;
 *       {@link org.arc4j.core.store.Journal#restore} restores one.</li>
 * </ul>
 * A JDBC store can implement the same interfaces; the conventions below are what they rely on.
 *
 * <h2>Record conventions (writers must follow them)</h2>
 * <dl>
 *   <dt>{@link org.arc4j.core.store.RecordType#EVENT}</dt>
 *   <dd>payload: the event's {@link org.arc4j.core.event.EventJson} (UTF-8), version
 *       {@link org.arc4j.core.event.EventJson#VERSION}, with the id the intake assigned; {@code at}: the receive
 *       time (time-range queries use {@code at}); subject: the account (or empty). The index reads the account,
 *       category and id from the JSON.</dd>
 *   <dt>{@link org.arc4j.core.store.RecordType#CASE_TRANSITION}</dt>
 *   <dd>subject: the <b>case id</b>; payload: a UTF-8 JSON object with at least {@code "state"} (the state the
 *       case entered, e.g. {@code "RECEIVED"}, {@code "VERIFIED"}, {@code "FORWARDED_TO_POLICE"},
 *       {@code "CLOSED"}), optionally {@code "events"}: an array of the ids ({@code EventId.toString()}) of the
 *       events that belong to the case (name each event once, in the transition that adds it to the case), and
 *       {@code "police": true} when the case was forwarded to the police. A state of
 *       {@code "FORWARDED_TO_POLICE"} also counts as forwarded. Example:
 *       {@code {"state":"RECEIVED","events":["01JD…"]}} then {@code {"state":"FORWARDED_TO_POLICE","police":true}}.
 *       The case's current state is the state of its latest transition. The pipeline's transitions (version 2)
 *       also give the position of the event's record ({@code "eventAt"}) instead of a copy of the event, so a
 *       store keeps each record at its position for the record's whole life (compaction never renumbers).</dd>
 *   <dt>{@link org.arc4j.core.store.RecordType#OPERATOR_ACTION}</dt>
 *   <dd>subject: the case id when the action concerns a case (then it shares the case's retention), else the
 *       operator.</dd>
 *   <dt>{@link org.arc4j.core.store.RecordType#CONFIG_CHANGE}, {@link org.arc4j.core.store.RecordType#CHECKPOINT}</dt>
 *   <dd>subject: what is configured / the subscriber; the newest record per subject is kept regardless of age and
 *       found without a replay ({@link org.arc4j.core.store.RecordStore#newest}). The pipeline's checkpoint of its
 *       open cases (subject {@code pipeline/open-cases}) names the positions of their transitions, so recovery reads
 *       those and the log after it, not the whole history.</dd>
 *   <dt>{@link org.arc4j.core.store.RecordType#CLIP}</dt>
 *   <dd>subject: the <b>case id</b> (so the clip shares the case's retention); {@code at}: the clip's first frame;
 *       payload: a UTF-8 JSON object describing a video file outside the store (sdk-media's {@code ClipRecord}:
 *       path, channel, codecs, SHA-256, start and end, whether it is complete).</dd>
 * </dl>
 *
 * <h2>Retention classes (decided at compaction time)</h2>
 * A record belongs to a case when it is a transition, operator action or clip whose subject is the case id, or an
 * event whose id a transition of the case named. Such records are aged from the case's latest transition and are
 * kept forever once any transition of the case said it was forwarded to the police, however long after the
 * alarm. Every other record is aged from its own {@code at} against the {@link org.arc4j.core.store.RetentionPolicy}
 * of its type.
 *
 * <h2>Journal file format</h2>
 * A directory of segment files {@code <20-digit first position>.seg}, each a 24-byte header (magic
 * {@code ARCJ}, format 1, base position, CRC32C) followed by frames; all integers big-endian:
 * <pre>
 * int length (of the body)   int CRC32C (of the length field and the body)
 * body: byte type code (EVENT 1, IDEMPOTENCY_KEY 2, CASE_TRANSITION 3, OPERATOR_ACTION 4, CONFIG_CHANGE 5,
 *       AUDIT 6, SUPERVISION 7, CHECKPOINT 8, CLIP 9)
 *       byte flags (bit 0: the next record is of the same atomic batch; bit 1: first record of an append;
 *                   bit 2: subject and payload are packed)
 *       short version   long position   long epoch second   int nano   short subject length   subject (UTF-8)
 *       payload
 * </pre>
 * A packed frame (written whenever packing is smaller) holds, after the subject length (that of the unpacked
 * subject), the subject and the payload together as {@code varint(unpacked length)} and tokens: {@code 0LLLLLLL}
 * and L+1 literal bytes, or {@code 1LLLLLLL} and a 16-bit distance D: copy L+4 bytes from D bytes back in a fixed
 * dictionary of typical records followed by what is unpacked so far. The dictionary belongs to the format and never
 * changes.
 * Beside them: {@code index/query.idx} (the query index, saved in the background and on close, and rebuilt from
 * the segments when missing, torn or stale; after a crash only the records after its last save are indexed again),
 * {@code index/<20-digit base>.frames} (each sealed segment's position index: where each record's frame is, and its
 * type, so that an open reads only the active segment; a sealed segment whose index is missing, torn or of another
 * size is scanned, and damage in a sealed segment opened from its index is found when the record is read, which
 * skips it, and quarantined by an open without the index),
 * {@code quarantine/} (copies of corrupt regions found on open) and {@code journal.lock}.
 */
package org.arc4j.core.store;
