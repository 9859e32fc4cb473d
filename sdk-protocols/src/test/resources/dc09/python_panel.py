"""An independent DC-09 panel for interoperability tests, written for arc4j in Python (no arc4j code):
frames a SIA-DCS report with its own CRC-16/ARC and length, encrypts it with openssl (AES-CBC, zero IV, no
padding by the cipher, the standard's own pad at the front) when given a hex key, sends it over TCP or UDP,
and checks the reply's CRC, length, token, sequence and account, decrypting it with openssl when encrypted.
Usage: python3 python_panel.py tcp|udp host port account seq timestamp [hexkey]
Prints 'OK <token> <seq>' or 'FAIL <reason>'."""
import socket, subprocess, sys, random, string

def crc(data):
    c = 0
    for x in data:
        c ^= x
        for _ in range(8):
            c = (c >> 1) ^ 0xA001 if c & 1 else c >> 1
    return c

def aes(mode, keyhex, data):
    return subprocess.run(['openssl', 'enc', mode, '-aes-%d-cbc' % (len(keyhex) * 4), '-nopad', '-nosalt',
                           '-iv', '0' * 32, '-K', keyhex], input=data, capture_output=True, check=True).stdout

def main():
    transport, host, port, account, seq, ts = sys.argv[1:7]
    key = sys.argv[7] if len(sys.argv) > 7 else None
    data = '#%s|Nri1/BA001' % account
    if key:
        rest = '|' + data + ']_' + ts
        pad = ''.join(random.choice(string.ascii_letters) for _ in range((16 - len(rest) % 16) % 16))
        body = aes('-e', key, (pad + rest).encode()).hex().upper()
        content = '"*SIA-DCS"%sL0#%s[%s' % (seq, account, body)
    else:
        content = '"SIA-DCS"%sL0#%s[%s]_%s' % (seq, account, data, ts)
    c = content.encode()
    frame = b'\n' + ('%04X0%03X' % (crc(c), len(c))).encode() + c + b'\r'
    if transport == 'udp':
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(10)
        s.sendto(frame, (host, int(port)))
        reply = s.recv(2048)
    else:
        s = socket.create_connection((host, int(port)), timeout=10)
        s.sendall(frame)
        reply = b''
        while not reply.endswith(b'\r'):
            chunk = s.recv(2048)
            if not chunk:
                break
            reply += chunk
    s.close()
    if len(reply) < 11 or reply[0:1] != b'\n' or not reply.endswith(b'\r'):
        print('FAIL framing %r' % reply)
        return
    body = reply[9:-1]
    if int(reply[1:5], 16) != crc(body):
        print('FAIL crc')
        return
    if int(reply[5:9], 16) != len(body):
        print('FAIL length')
        return
    text = body.decode('ascii')
    token = text[1:text.index('"', 1)]
    rseq = text[text.index('"', 1) + 1:][:4]
    if ('#' + account + '[') not in text and token != 'NAK':
        print('FAIL account %s' % text)
        return
    if key:
        if not token.startswith('*'):
            print('FAIL reply to an encrypted message is not encrypted: %s' % text)
            return
        plain = aes('-d', key, bytes.fromhex(text[text.index('[') + 1:])).decode('ascii')
        if ']_' not in plain:
            print('FAIL decrypted reply %r' % plain)
            return
        token = token[1:]
    print('OK %s %s' % (token, rseq))

main()
