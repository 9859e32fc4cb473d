package org.arc4j.media.video;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessUnitTest {
    @Test
    void annexBAndLengthPrefixedForms() {
        AccessUnit au = new AccessUnit(VideoCodec.H264, 7, List.of(new byte[] {0x67, 1}, new byte[] {0x65, 2, 3}),
                true);
        assertThat(au.toAnnexB()).containsExactly(0, 0, 0, 1, 0x67, 1, 0, 0, 0, 1, 0x65, 2, 3);
        assertThat(au.toLengthPrefixed()).containsExactly(0, 0, 0, 2, 0x67, 1, 0, 0, 0, 3, 0x65, 2, 3);
        assertThat(au.isKey()).isTrue();
        assertThat(au.nalTypes()).containsExactly(7, 5);
        assertThat(AnnexB.INSTANCE.split(au.toAnnexB(), 0, 13)).hasSize(2);
    }

    @Test
    void thePublicConstructorCopiesAndAccessorsCopy() {
        byte[] nal = {0x26, 0x01, 5};
        List<byte[]> nals = new ArrayList<>(List.of(nal));
        AccessUnit au = new AccessUnit(VideoCodec.H265, 0, nals, true);
        nal[2] = 9;
        nals.clear();
        au.nalUnit(0)[2] = 9;
        assertThat(au.nalUnit(0)).containsExactly(0x26, 0x01, 5);
        assertThat(au.isKey()).isTrue();
        assertThat(au).isEqualTo(new AccessUnit(VideoCodec.H265, 0, List.of(new byte[] {0x26, 0x01, 5}), true));
    }
}
