package dev.tern.config;

import java.time.Duration;
import java.util.Optional;

/** Reads the {@code [bounce]} table into {@link BounceSettings}; absent keys keep the defaults. */
final class BounceReader {

    private BounceReader() {
    }

    static BounceSettings read(Section top, BounceSettings d) throws ConfigException {
        Optional<Section> table = top.table("bounce");
        if (table.isEmpty()) {
            return d;
        }
        Section s = table.get();
        BounceSettings settings = new BounceSettings(
                s.duration("delay_warning", d.delayWarning(), Duration.ZERO, Duration.ofDays(100)),
                s.size("max_returned_size", d.maxReturnedSize(), 0, Integer.MAX_VALUE),
                s.choice("success_notices", d.successNotices(), BounceSettings.SuccessNotices.class));
        s.refuseUnknown();
        return settings;
    }
}
