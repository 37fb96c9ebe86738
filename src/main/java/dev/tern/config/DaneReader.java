package dev.tern.config;

import java.util.Optional;

/** Reads {@code [dane]} into {@link DaneSettings}. docs/config-dane.md lists the keys. */
final class DaneReader {

    private DaneReader() {
    }

    static DaneSettings read(Section top, DaneSettings d) throws ConfigException {
        Optional<Section> table = top.table("dane");
        if (table.isEmpty()) {
            return d;
        }
        Section s = table.get();
        Boolean enabled = s.boolOrAuto("enabled", switch (d.mode()) {
            case ON -> Boolean.TRUE;
            case OFF -> Boolean.FALSE;
            case AUTO -> null;
        });
        s.refuseUnknown();
        return new DaneSettings(enabled == null ? DaneSettings.Mode.AUTO
                : enabled ? DaneSettings.Mode.ON : DaneSettings.Mode.OFF);
    }
}
