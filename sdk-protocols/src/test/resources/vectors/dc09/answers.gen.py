import subprocess
def crc(b):
    c=0
    for x in b:
        c^=x
        for _ in range(8):
            c=(c>>1)^0xA001 if c&1 else c>>1
    return c
def frame(content, break_crc=False):
    b=content.encode()
    c=crc(b) ^ (1 if break_crc else 0)
    return '\\n%04X0%03X%s\\r' % (c, len(b), content)
def aes(keyhex, plain):
    out=subprocess.run(['openssl','enc','-e','-aes-%d-cbc'%(len(keyhex)*4),'-nopad','-nosalt','-iv','0'*32,'-K',keyhex],input=plain.encode(),capture_output=True,check=True).stdout
    return out.hex().upper()
K='2B7E151628AED2A6ABF7158809CF4F3C'
ts='_08:00:00,11-24-2026'
rows=[]
rows.append(('ack', frame('"SIA-DCS"0042R0A1L003#0001234[#0001234|Nri2/BA015]'+ts), '', '', '"ACK"0042R0A1L003#0001234[]', 1))
rows.append(('ack-absent-receiver', frame('"SIA-DCS"0043L0#1234[#1234|NBA001]'+ts), '', '', '"ACK"0043L0#1234[]', 1))
rows.append(('ack-unknown-code', frame('"SIA-DCS"0044L0#1234[#1234|NZZ01]'+ts), '', '', '"ACK"0044L0#1234[]', 1))
rows.append(('ack-duplicate', frame('"SIA-DCS"0045L0#1234[#1234|NBA001]'+ts), '', 'repeat=2', '"ACK"0045L0#1234[]', 1))
rows.append(('ack-null', frame('"NULL"0000L0#1234[]'+ts), '', '', '"ACK"0000L0#1234[]', 0))
rows.append(('nak-timestamp-behind', frame('"SIA-DCS"0046L0#1234[#1234|NBA001]_07:59:19,11-24-2026'), '', '', '"NAK"0000R0L0A0[]_08:00:00,11-24-2026', 0))
rows.append(('nak-timestamp-ahead', frame('"SIA-DCS"0047L0#1234[#1234|NBA001]_08:00:21,11-24-2026'), '', '', '"NAK"0000R0L0A0[]_08:00:00,11-24-2026', 0))
plain='Q7xK2mP9wZ4Tr8|#1234|NBA001]'+ts  # 10+1+... = 48? checked below
assert len(plain)%16==0, len(plain)
rows.append(('nak-no-key', frame('"*SIA-DCS"0048L0#1234['+aes(K,plain)), '', '', '"NAK"0000R0L0A0[]_08:00:00,11-24-2026', 1))
rows.append(('nak-wrong-key', frame('"*SIA-DCS"0049L0#1234['+aes(K,plain)), '11112222333344445555666677778888', '', '"NAK"0000R0L0A0[]_08:00:00,11-24-2026', 1))
rows.append(('duh-data', frame('"SIA-DCS"0050R7L0#1234[#1234|Qgarbage]'+ts), '', '', '"DUH"0050R7L0#1234[]', 0))
rows.append(('silent-bad-crc', frame('"SIA-DCS"0051L0#1234[#1234|NBA001]'+ts, True), '', '', 'none', 0))
rows.append(('silent-intake-refused', frame('"SIA-DCS"0052L0#1234[#1234|NBA001]'+ts), '', 'intake=closed', 'none', 0))
print('# DC-09 answer table: one vector per row of the table in org.arc4j.protocols.dc09 (package-info).')
print('# Made for this project with python3 (CRC-16/ARC, framing) and openssl enc -aes-128-cbc -nopad -iv 0 (AES).')
print('# Receiver clock: 2026-11-24T08:00:00Z; window 40 s behind, 20 s ahead.')
print('# situation\tframe (\\n=LF, \\r=CR)\treceiver key (hex) or empty\toptions\texpected reply content ("none" = no reply)\tevents stored')
for r in rows:
    print('\t'.join(str(x) for x in r))
