# Generates variants.tsv: one frame per real-panel variant the DC-09 receiver tolerates (made for arc4j with
# python3 only; CRC-16/ARC and framing written here). Run: python3 variants.gen.py > variants.tsv
def crc(b):
    c = 0
    for x in b:
        c ^= x
        for _ in range(8):
            c = (c >> 1) ^ 0xA001 if c & 1 else c >> 1
    return c

def esc(b):
    out = ''
    for x in b:
        if x == 0x0A: out += '\\n'
        elif x == 0x0D: out += '\\r'
        elif 0x20 <= x < 0x7F and x != 0x5C: out += chr(x)
        else: out += '\\x%02X' % x
    return out

def hexframe(content, length=None, lower=False, with_cr=False):
    c = content.encode()
    k = crc(c + b'\r') if with_cr else crc(c)
    head = '%04X' % k
    if lower: head = head.lower()
    ln = length if length is not None else '0%03X' % len(c)
    return b'\n' + head.encode() + ln.encode() + c + b'\r'

ts = '_08:00:00,11-24-2026'
rows = []
# raw CRC bytes: find a sequence number whose CRC has an LF or CR byte
for seq in range(10000):
    content = '"SIA-DCS"%04dL0#1234[#1234|NBA001]%s' % (seq, ts)
    k = crc(content.encode())
    if (k >> 8) in (0x0A, 0x0D) or (k & 0xFF) in (0x0A, 0x0D):
        c = content.encode()
        rows.append(('RAW_CRC_BYTES', b'\n' + bytes([k >> 8, k & 0xFF]) + ('0%03X' % len(c)).encode() + c + b'\r', 'RAW_CRC_BYTES', 'RAW_BYTES'))
        break
c = '"ADM-CID"0247R4F39L4F39#4F39[#4F39|3401 01 057]'
rows.append(('CRC_INCLUDES_CR', hexframe(c, length='0%03d' % len(c), with_cr=True), 'CRC_INCLUDES_CR,DECIMAL_LENGTH', 'HEX_INCLUDING_CR'))
c = '"SIA-DCS"0002L0#1234[#1234|NBA1]' + ts
rows.append(('DECIMAL_LENGTH', hexframe(c, length='0%03d' % len(c)), 'DECIMAL_LENGTH', 'HEX'))
rows.append(('LENGTH_MISMATCH', hexframe('"SIA-DCS"0003L0#1234[#1234|NBA001]' + ts, length='0078'), 'LENGTH_MISMATCH', 'HEX'))
rows.append(('LOWER_CASE_HEX', hexframe('"SIA-DCS"0004L0#12ab[#12ab|NBA001]' + ts, lower=True), 'LOWER_CASE_HEX', 'HEX'))
rows.append(('EMPTY_LINE_PREFIX', hexframe('"SIA-DCS"0005L#1234[#1234|NBA001]' + ts), 'EMPTY_LINE_PREFIX', 'HEX'))
rows.append(('ACCOUNT_IN_DATA_ONLY', hexframe('"SIA-DCS"0006R0001L0001[#006969|Nri04/OP001]' + ts), 'ACCOUNT_IN_DATA_ONLY', 'HEX'))
rows.append(('DATA_ACCOUNT_WITHOUT_HASH', hexframe('"SIA-DCS"0007L0#1234[1234|NBA001]' + ts), 'DATA_ACCOUNT_WITHOUT_HASH', 'HEX'))
rows.append(('EMPTY_DATA_ACCOUNT', hexframe('"SIA-DCS"0008L0#AAA[|Nri1/CL501]' + ts), 'EMPTY_DATA_ACCOUNT', 'HEX'))
rows.append(('NULL_WITHOUT_TIMESTAMP', hexframe('"NULL"0000L0#1234[]'), 'NULL_WITHOUT_TIMESTAMP', 'HEX'))
print('# One frame per tolerated DC-09 variant (org.arc4j.protocols.dc09.Dc09Variant), made for arc4j by variants.gen.py.')
print('# Receiver clock for the timestamps: 2026-11-24T08:00:00Z. Escapes: \\n LF, \\r CR, \\xNN a raw byte.')
print('# variant\tframe\texpected variants (tolerant decode and data parse)\tCRC style of the reply')
for name, frame, expected, style in rows:
    print('%s\t%s\t%s\t%s' % (name, esc(frame), expected, style))
