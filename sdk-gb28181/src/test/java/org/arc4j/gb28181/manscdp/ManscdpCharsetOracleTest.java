package org.arc4j.gb28181.manscdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Bodies encoded by Python's codecs (GB2312, GB18030, UTF-8) decode to the same names here. */
class ManscdpCharsetOracleTest {
    @Test
    void pythonEncodedBodiesDecode() throws Exception {
        String py = """
                import base64
                names = ['前门摄像机', '东区围墙红外对射', '仓库（二号）门磁', '㐀丂', 'Camera 01']
                for enc in ['gb2312', 'gb18030', 'utf-8']:
                    for n in names:
                        try:
                            body = ('<?xml version="1.0" encoding="%s"?><Response><CmdType>DeviceInfo</CmdType>'
                                    '<SN>1</SN><DeviceID>34020000001320000001</DeviceID><DeviceName>%s</DeviceName>'
                                    '</Response>' % (enc.upper(), n)).encode(enc)
                        except UnicodeEncodeError:
                            continue
                        print(enc, base64.b64encode(n.encode('utf-8')).decode(), base64.b64encode(body).decode())
                """;
        Process p = new ProcessBuilder("python3", "-c", py).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        List<String> lines = out.lines().toList();
        assertThat(lines).hasSizeGreaterThan(10);
        int gbOnlyInGb18030 = 0;
        for (String line : lines) {
            String[] f = line.split(" ");
            String name = new String(Base64.getDecoder().decode(f[1]), StandardCharsets.UTF_8);
            byte[] body = Base64.getDecoder().decode(f[2]);
            ManscdpResult r = ManscdpDecoder.INSTANCE.decode(body);
            assertThat(r).as(line).isInstanceOf(ManscdpResult.Decoded.class);
            ManscdpDocument d = ((ManscdpResult.Decoded) r).document();
            assertThat(d.text("DeviceName")).as("%s %s", f[0], name).isEqualTo(name);
            if (f[0].equals("gb18030") && name.equals("㐀丂")) {
                gbOnlyInGb18030++;
            }
        }
        assertThat(gbOnlyInGb18030).isOne();
    }
}
